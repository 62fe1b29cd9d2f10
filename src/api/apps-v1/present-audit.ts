// The audit trail on the Apps API's wire: each core action as a word of this dialect (a closed
// table: a new action does not compile until it has one) and a sentence made from its detail.
import type { AuditAction, AuditEntry } from '../../domain/audit.js';
import { auditActions } from '../../domain/audit.js';
import { coreFields } from '../../domain/wording.js';
import type { CoreField } from '../../domain/wording.js';
import { sourceTypeWords } from '../dialect-words.js';
import { appsV1Fields } from './apps-v1-words.js';

const actionWords: Record<AuditAction, string> = {
  'api_key.create': 'create_api_key',
  'api_key.delete': 'delete_api_key',
  'app.create': 'create',
  'app.update': 'update',
  'app.source.update': 'update_source',
  'app.scale': 'scale',
  'app.restart': 'restart',
  'app.delete': 'delete',
  'app.purge': 'delete',
  'app.restore': 'restore',
  'deploy.trigger': 'deploy',
  'deploy.cancel': 'cancel_deployment',
  'deploy.rollback': 'revert',
  'deploy.env_sync': 'rollout_env',
  'deploy.build': 'deploy_build',
  'build.create': 'build',
  'build.cancel': 'cancel_build',
  'env_vars.set': 'set_env',
  'env_vars.delete': 'delete_env',
  'traffic.set': 'set_traffic',
  'upload.init': 'upload',
  'upload.receive': 'upload',
  'share.create': 'create_share',
  'share.revoke': 'revoke_share',
  'domain.add': 'add_domain',
  'domain.verify': 'verify_domain',
  'domain.remove': 'remove_domain',
  'webhook.secret.rotate': 'rotate_webhook_secret',
  'registry_credential.create': 'create_registry_credential',
  'registry_credential.delete': 'delete_registry_credential',
  'database.create': 'create_database',
  'database.delete': 'delete_database',
  'database.attach': 'attach_database',
  'database.detach': 'detach_database',
  'database.query': 'query_database',
  'volume.create': 'create_volume',
  'database.backup': 'backup_database',
  'database.restore': 'restore_database',
  'database.fail': 'database_failed',
  'database.restart': 'restart_database',
};

const isAction = (action: string): action is AuditAction => (auditActions as readonly string[]).includes(action);
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
const fieldWord = (name: string) => ((coreFields as readonly string[]).includes(name) ? appsV1Fields[name as CoreField] : name);

function sentence(action: AuditAction, d: Record<string, unknown>): string {
  switch (action) {
    case 'app.create':
      return `Created the app (slug ${text(d.slug)})`;
    case 'app.update':
      return `Changed ${list(d.fields).map(fieldWord).join(', ') || 'nothing'}`;
    case 'app.source.update':
      return `Set the source to ${text(d.type)}`;
    case 'app.scale':
      return `Scaled to ${text(d.replicas)} replicas`;
    case 'app.restart':
      return `Restarted ${text(d.replaced)} instances`;
    case 'app.delete':
    case 'app.purge':
      return `Deleted the app ${text(d.slug)}`;
    case 'app.restore':
      return `Restored the app ${text(d.slug)}`;
    case 'deploy.trigger': {
      const source = d.source === 'GIT' || d.source === 'UPLOAD' || d.source === 'IMAGE' ? sourceTypeWords.appsV1[d.source] : text(d.source);
      return d.image ? `Deployed image ${text(d.image)}` : `Deployed from ${source}`;
    }
    case 'deploy.cancel':
      return 'Cancelled a deployment';
    case 'deploy.rollback':
      return `Reverted to the deployment of ${text(d.from)}`;
    case 'deploy.env_sync':
      return `Rolled out the env on ${text(d.from)}`;
    case 'deploy.build':
      return `Deployed build ${text(d.buildId)}`;
    case 'build.create':
      return `Built version ${text(d.versionId)}`;
    case 'build.cancel':
      return `Cancelled build ${text(d.buildId)}`;
    case 'env_vars.set':
      return [list(d.keys).length ? `Set env ${list(d.keys).join(', ')}` : '', list(d.deleted).length ? `deleted ${list(d.deleted).join(', ')}` : ''].filter(Boolean).join('; ') || 'Changed env';
    case 'env_vars.delete':
      return `Deleted env ${text(d.key)}`;
    case 'traffic.set':
      return 'Set the traffic split';
    case 'upload.init':
    case 'upload.receive':
      return `Uploaded a tarball (${text(d.sizeBytes)} bytes)`;
    default:
      return actionWords[action].replace(/_/g, ' ');
  }
}

export function presentAuditEntry(entry: AuditEntry & { actorName: string | null }) {
  const known = isAction(entry.action);
  return {
    action: known ? actionWords[entry.action as AuditAction] : entry.action,
    user: entry.actorName ?? (entry.actorKeyId ? entry.actorKeyId : 'webhook'),
    details: known ? sentence(entry.action as AuditAction, entry.detail ?? {}) : entry.action,
    created_at: entry.createdAt.toISOString(),
  };
}
