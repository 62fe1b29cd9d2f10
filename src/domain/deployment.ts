// A deployment is one user-visible attempt to put a new revision live.
export const deploymentStatuses = ['queued', 'building', 'deploying', 'succeeded', 'failed', 'cancelled'] as const;
export type DeploymentStatus = (typeof deploymentStatuses)[number];

export const triggerTypes = ['MANUAL', 'WEBHOOK', 'ROLLBACK', 'AUTO_DEPLOY', 'ENV_CHANGE'] as const;
export type TriggerType = (typeof triggerTypes)[number];

export const terminalDeploymentStatuses: readonly DeploymentStatus[] = ['succeeded', 'failed', 'cancelled'];

export const isTerminal = (status: DeploymentStatus): boolean => terminalDeploymentStatuses.includes(status);

/**
 * How far a deployment got, in order: waiting in the queue, fetching its source, building it,
 * running the release command, rolling the revision out, done. With a terminal status it says
 * where the deployment ended, so each stage can report only what ran.
 */
export const deploymentStages = ['queued', 'fetching', 'building', 'releasing', 'rolling_out', 'done'] as const;
export type DeploymentStage = (typeof deploymentStages)[number];

export const stageIndex = (stage: DeploymentStage): number => deploymentStages.indexOf(stage);

export interface Deployment {
  id: string;
  appId: string;
  workspaceId: string;
  status: DeploymentStatus;
  triggerType: TriggerType;
  /** The furthest stage reached (null on deployments stored before stages were recorded). */
  stage: DeploymentStage | null;
  gitBranch: string | null;
  gitCommitSha: string | null;
  gitCommitMessage: string | null;
  buildpack: string | null;
  imageRef: string | null;
  revisionName: string | null;
  /** Set when the deployment reuses an earlier revision's artifact (rollback, env sync): no build ran. */
  reusedRevision: string | null;
  /** When its build stored the artifact; null when no build of this deployment produced one. */
  builtAt: Date | null;
  rolledBackFrom: string | null;
  /** The app build (spec 003) this deployment rolls out; null when it built its own artifact or reused a revision's. */
  buildId: string | null;
  /** The key that asked for it, where recorded. */
  createdBy: string | null;
  error: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
}

/**
 * Where a deployment stands now, for histories: `live` while its revision holds traffic,
 * `retired` once it went live and no longer does; otherwise as its status says.
 */
export const deploymentStandings = ['live', 'retired', 'queued', 'building', 'deploying', 'failed', 'cancelled'] as const;
export type DeploymentStanding = (typeof deploymentStandings)[number];

/** `servingRevisions`: names of the app's revisions that hold a share of traffic now. */
export function standingOf(deployment: Pick<Deployment, 'status' | 'revisionName'>, servingRevisions: ReadonlySet<string>): DeploymentStanding {
  if (deployment.status !== 'succeeded') return deployment.status;
  return deployment.revisionName !== null && servingRevisions.has(deployment.revisionName) ? 'live' : 'retired';
}

/** Why a deployment was cancelled because its app went away. */
export const appDeletedReason = 'Cancelled: the app was deleted';

/** The fields a new deployment must be given; everything else starts empty. */
export type NewDeployment = Pick<Deployment, 'id' | 'appId' | 'workspaceId' | 'status' | 'triggerType' | 'stage' | 'createdAt'> &
  Partial<Omit<Deployment, 'id' | 'appId' | 'workspaceId' | 'status' | 'triggerType' | 'stage' | 'createdAt'>>;

/** The one place a deployment record is made. */
export function newDeployment(fields: NewDeployment): Deployment {
  return {
    gitBranch: null,
    gitCommitSha: null,
    gitCommitMessage: null,
    buildpack: null,
    imageRef: null,
    revisionName: null,
    reusedRevision: null,
    builtAt: null,
    rolledBackFrom: null,
    buildId: null,
    createdBy: null,
    error: null,
    startedAt: null,
    finishedAt: null,
    ...fields,
  };
}
