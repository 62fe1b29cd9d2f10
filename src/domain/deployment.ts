// A deployment is one user-visible attempt to put a new revision live.
export const deploymentStatuses = ['queued', 'building', 'deploying', 'succeeded', 'failed', 'cancelled'] as const;
export type DeploymentStatus = (typeof deploymentStatuses)[number];

export const triggerTypes = ['MANUAL', 'WEBHOOK', 'ROLLBACK', 'AUTO_DEPLOY', 'ENV_CHANGE'] as const;
export type TriggerType = (typeof triggerTypes)[number];

export const terminalDeploymentStatuses: readonly DeploymentStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface Deployment {
  id: string;
  appId: string;
  workspaceId: string;
  status: DeploymentStatus;
  triggerType: TriggerType;
  gitBranch: string | null;
  gitCommitSha: string | null;
  gitCommitMessage: string | null;
  buildpack: string | null;
  imageRef: string | null;
  revisionName: string | null;
  rolledBackFrom: string | null;
  error: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
}
