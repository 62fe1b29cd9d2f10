// Attach and detach (client-contract.md): the connection string becomes a secret env var of the
// app (sealed at rest, masked in reads), injected at its next deploy; SQLITE also mounts the
// database's volume and pins the app to one replica, and attaches to one app at a time. Detach
// removes the link and the variable, never the data.
import { connectionEnvKey, connectionUri, databaseDefaults, mountPathProblem, type DatabaseAttachment, type ManagedDatabase } from '../../domain/database.js';
import { conflict, DomainError, notFound, refuse } from '../../domain/errors.js';
import { findApp, type AppRef } from '../apps/find-app.js';
import { pinToOneReplica } from '../apps/pin-one-replica.js';
import { mountedPaths, refuseOverlap } from '../apps/manage-volumes.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';
import { findDatabase, type DatabaseRef } from './find-database.js';

type AttachDeps = Pick<Deps, 'store' | 'clock' | 'ids'>;

export interface AppDatabase {
  attachment: DatabaseAttachment;
  database: ManagedDatabase;
}

/** A server reached on a unix socket: the directory attached apps get mounted. */
const socketPathOf = (database: ManagedDatabase): string | null => (database.connection?.host.startsWith('/') ? database.connection.host : null);

export async function attachDatabase(deps: AttachDeps, input: DatabaseRef & { appId: string; mountPath?: string | undefined }): Promise<AppDatabase> {
  const database = await findDatabase(deps, input, 'databases:write');
  const app = await findApp(deps, { actor: input.actor, workspaceId: input.workspaceId, appId: input.appId }, 'databases:write');
  if (input.mountPath !== undefined && database.engine !== 'SQLITE') refuse(['mountPath applies to SQLITE databases only']);
  const mountPath = database.engine === 'SQLITE' ? (input.mountPath ?? databaseDefaults.sqliteMountPath) : socketPathOf(database);
  if (mountPath !== null) {
    refuse([mountPathProblem(mountPath)].filter((p): p is string => p !== null));
  }
  if (!database.connection) {
    throw new DomainError('conflict', database.status === 'failed' ? 'Database provisioning failed; it cannot be attached' : 'Database is still provisioning; attach it once it is RUNNING');
  }
  const envKey = connectionEnvKey[database.engine];
  const others = await deps.store.databases.attachmentsOfApp(app.id);
  if (others.some((a) => a.databaseId === database.id)) conflict('The database is already attached to this app');
  if (others.some((a) => a.envKey === envKey)) conflict(`The app already has a database attached as ${envKey}; detach it first`);
  if (database.engine === 'SQLITE') await refuseSecondWriter(deps, database, app.id);
  // The app's own value would be overwritten now and deleted at detach: never silently.
  if ((await deps.store.envVars.list(app.id)).some((v) => v.key === envKey)) {
    conflict(`The app already sets ${envKey} itself; remove that env var (or rename it) first, then attach: Berth injects the connection as ${envKey}`);
  }
  if (mountPath !== null) refuseOverlap(await mountedPaths(deps, app.id), mountPath);
  const now = deps.clock.now();
  const attachment: DatabaseAttachment = { databaseId: database.id, appId: app.id, mountPath, envKey, createdAt: now };
  await deps.store.databases.attach(attachment);
  await deps.store.envVars.upsertMany([
    { id: deps.ids('envVar'), appId: app.id, key: envKey, value: connectionUri(database.engine, database.connection, mountPath), isSecret: true, scope: 'runtime', createdAt: now, updatedAt: now },
  ]);
  if (database.engine === 'SQLITE') await pinToOneReplica(deps, app.id);
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: input.workspaceId,
    action: 'database.attach',
    targetType: 'database',
    targetId: database.id,
    appId: app.id,
    detail: { envKey, mountPath },
  });
  return { attachment, database };
}

/**
 * One SQLITE file, one writer: pinning each app to one replica keeps its own writes in one
 * process, but two apps would still write the one file. A soft-deleted app's attachment counts
 * too: restoring the app brings it back.
 */
async function refuseSecondWriter(deps: Pick<Deps, 'store'>, database: ManagedDatabase, appId: string): Promise<void> {
  const held = (await deps.store.databases.attachmentsOfDatabase(database.id)).find((a) => a.appId !== appId);
  if (!held) return;
  const holder = await deps.store.apps.findForPurge(database.workspaceId, held.appId);
  const named = holder ? `app "${holder.name}" (${holder.slug})` : `app ${held.appId}`;
  const free = holder?.deletedAt ? ', which is deleted (restoring it brings the attachment back): delete that app permanently, or restore it and detach the database from it,' : ': detach it from that app';
  conflict(`SQLITE database ${database.slug} is attached to ${named}${free} first; an SQLITE database is written by one app only`);
}

export async function detachDatabase(deps: AttachDeps, input: DatabaseRef & { appId: string }): Promise<void> {
  const database = await findDatabase(deps, input, 'databases:write');
  const app = await findApp(deps, { actor: input.actor, workspaceId: input.workspaceId, appId: input.appId }, 'databases:write');
  const attachment = (await deps.store.databases.attachmentsOfApp(app.id)).find((a) => a.databaseId === database.id) ?? notFound('Attachment');
  await deps.store.databases.detach(database.id, app.id);
  const env = (await deps.store.envVars.list(app.id)).find((v) => v.key === attachment.envKey);
  if (env) await deps.store.envVars.delete(app.id, env.id);
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: input.workspaceId,
    action: 'database.detach',
    targetType: 'database',
    targetId: database.id,
    appId: app.id,
    detail: { envKey: attachment.envKey },
  });
}

export async function listAppDatabases(deps: Pick<Deps, 'store'>, input: AppRef): Promise<AppDatabase[]> {
  const app = await findApp(deps, input, 'databases:read');
  const out: AppDatabase[] = [];
  for (const attachment of await deps.store.databases.attachmentsOfApp(app.id)) {
    const database = await deps.store.databases.byId(attachment.databaseId);
    if (database) out.push({ attachment, database });
  }
  return out;
}

/** The apps a database is attached to (the console's database page); deleted apps are left out. */
export async function listDatabaseAttachments(deps: Pick<Deps, 'store'>, input: DatabaseRef): Promise<AppDatabase[]> {
  const database = await findDatabase(deps, input, 'databases:read');
  const out: AppDatabase[] = [];
  for (const attachment of await deps.store.databases.attachmentsOfDatabase(database.id)) {
    if (await deps.store.apps.find(input.workspaceId, attachment.appId)) out.push({ attachment, database });
  }
  return out;
}
