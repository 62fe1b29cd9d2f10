// Who did what, when: written by every mutating use-case; never holds secret values.

/** Every change Berth audits: a closed list, so each dialect that shows the trail names every one. */
export const auditActions = [
  'api_key.create',
  'api_key.delete',
  'app.create',
  'app.update',
  'app.source.update',
  'app.scale',
  'app.restart',
  'app.delete',
  'app.purge',
  'app.restore',
  'deploy.trigger',
  'deploy.cancel',
  'deploy.rollback',
  'deploy.env_sync',
  'deploy.build',
  'build.create',
  'build.cancel',
  'env_vars.set',
  'env_vars.delete',
  'traffic.set',
  'upload.init',
  'upload.receive',
  'share.create',
  'share.revoke',
  'domain.add',
  'domain.verify',
  'domain.remove',
  'webhook.secret.rotate',
  'registry_credential.create',
  'registry_credential.delete',
  'database.create',
  'database.delete',
  'database.attach',
  'database.detach',
  'database.query',
  'volume.create',
  'database.backup',
  'database.restore',
  'database.fail',
  'database.restart',
] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditEntry {
  id: string;
  workspaceId: string;
  actorKeyId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  /** The app the change was made to, when it was made to one. */
  appId: string | null;
  detail: Record<string, unknown> | null;
  createdAt: Date;
}
