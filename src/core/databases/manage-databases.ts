// Managed databases (client-contract.md): create (provisioning continues after the answer), read,
// status, connection (the only read that shows the password), and delete with all its data.
import { slugProblem } from '../../domain/app.js';
import { databaseResources, type DatabaseEngine, type DatabaseStatus, type ManagedDatabase } from '../../domain/database.js';
import { DomainError, refuse } from '../../domain/errors.js';
import type { Phrase } from '../../domain/wording.js';
import type { Principal } from '../../domain/workspace.js';
import { recordAudit } from '../audit/record-audit.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';
import type { DatabaseServerState } from '../ports/databases.js';
import { findDatabase, type DatabaseRef } from './find-database.js';
import { provisionDatabase } from './provision-database.js';

export interface CreateDatabaseInput {
  actor: Principal;
  workspaceId: string;
  name: string;
  slug: string;
  engine: DatabaseEngine;
  version?: string | undefined;
  cpu?: string | undefined;
  memory?: string | undefined;
  storageGb?: number | undefined;
  storageClass?: string | undefined;
  highAvailability?: boolean | undefined;
  projectId?: string | undefined;
}

type DatabaseDeps = Pick<Deps, 'store' | 'clock' | 'ids' | 'databaseEngines' | 'provisioning'>;

export async function createDatabase(deps: DatabaseDeps, input: CreateDatabaseInput): Promise<ManagedDatabase> {
  authorize(input.actor, input.workspaceId, 'databases:write');
  const problems: (string | Phrase)[] = [];
  const slug = slugProblem(input.slug);
  if (slug) problems.push(slug);
  if (input.name.trim() === '') problems.push('name must not be empty');
  const { problems: resourceProblems, resources } = databaseResources(input, input.storageClass ?? null);
  problems.push(...resourceProblems);
  const versions = deps.databaseEngines.versions(input.engine);
  const version = input.version ?? versions[0];
  // A program the engine needs is missing: say which, and how to point Berth at it.
  const missing = versions.length === 0 ? deps.databaseEngines.missing(input.engine) : null;
  const why = missing ? `: ${missing}` : '';
  if (version === undefined) problems.push(`engine ${input.engine} is not available on this machine${why}`);
  else if (!versions.includes(version)) {
    problems.push(`version ${version} of ${input.engine} is not available on this machine (available: ${versions.join(', ') || 'none'})${why}`);
  }
  refuse(problems);
  const now = deps.clock.now();
  const database: ManagedDatabase = {
    id: deps.ids('database'),
    workspaceId: input.workspaceId,
    projectId: input.projectId ?? null,
    name: input.name.trim(),
    slug: input.slug,
    engine: input.engine,
    version: version ?? '',
    status: 'provisioning',
    statusMessage: null,
    resources,
    connection: null,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.databases.create(database);
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: input.workspaceId,
    action: 'database.create',
    targetType: 'database',
    targetId: database.id,
    detail: { engine: database.engine, slug: database.slug },
  });
  const running = deps.provisioning.track(database.id, provisionDatabase(deps, database));
  // SQLITE provisions at once (a volume): the answer already says so.
  if (database.engine === 'SQLITE') await running;
  return (await deps.store.databases.byId(database.id)) ?? database;
}

export async function listDatabases(
  deps: Pick<Deps, 'store'>,
  input: { actor: Principal; workspaceId: string; engine?: DatabaseEngine | undefined; status?: DatabaseStatus | undefined; search?: string | undefined },
): Promise<ManagedDatabase[]> {
  authorize(input.actor, input.workspaceId, 'databases:read');
  return deps.store.databases.list({ workspaceId: input.workspaceId, engine: input.engine, status: input.status, search: input.search });
}

export const getDatabase = (deps: Pick<Deps, 'store'>, input: DatabaseRef): Promise<ManagedDatabase> => findDatabase(deps, input, 'databases:read');

export interface DatabaseRuntimeStatus {
  database: ManagedDatabase;
  readyInstances: number;
  desiredInstances: number;
  /** Why it is not ready, when it is not. */
  message: string | null;
  /** While Berth restarts the server after it exited: the same facts as the message, for programs. */
  restart: DatabaseRestartProgress | null;
}

export interface DatabaseRestartProgress {
  /** The start in a row Berth is making (or will make at `nextTryAt`). */
  attempt: number;
  maxAttempts: number;
  /** When that start is due; null: it is under way now. */
  nextTryAt: Date | null;
  /** Why the server last exited, in its own words where it gave them. */
  lastExit: string;
}

/** Ready when RUNNING and its server serves now; otherwise the message says what is happening to it. */
export async function databaseStatus(deps: Pick<Deps, 'store' | 'databaseEngines'>, input: DatabaseRef): Promise<DatabaseRuntimeStatus> {
  const database = await findDatabase(deps, input, 'databases:read');
  if (database.status !== 'running') return { database, readyInstances: 0, desiredInstances: 1, message: database.statusMessage, restart: null };
  const server = deps.databaseEngines.serverState(database);
  const restart = server.kind === 'restarting' ? { attempt: server.attempt, maxAttempts: server.maxAttempts, nextTryAt: server.nextTryAt, lastExit: server.lastExit } : null;
  return { database, readyInstances: server.kind === 'serving' ? 1 : 0, desiredInstances: 1, message: serverMessage(server), restart };
}

/** What is happening to a RUNNING database's server, in a sentence; null while it serves. */
export function serverMessage(server: DatabaseServerState): string | null {
  switch (server.kind) {
    case 'serving':
      return null;
    case 'starting':
      return "Berth is starting the database's server";
    case 'restarting': {
      const next = server.nextTryAt ? `next try at ${server.nextTryAt.toISOString()}` : 'under way now';
      return `The database's server exited (${server.lastExit}); Berth is restarting it: attempt ${server.attempt} of ${server.maxAttempts}, ${next}`;
    }
    case 'given-up':
      return `Berth stopped restarting the database's server: ${server.reason}`;
    case 'down-after-failed-restore':
      return "The database's server is not running (after a failed restore: restore a backup that is whole)";
    case 'stopped':
      return "The database's server is not running";
  }
}

/** The connection with its password; the database must have been provisioned. */
export async function databaseConnection(deps: Pick<Deps, 'store'>, input: DatabaseRef): Promise<ManagedDatabase & { connection: NonNullable<ManagedDatabase['connection']> }> {
  const database = await findDatabase(deps, input, 'databases:read');
  if (!database.connection) {
    throw new DomainError('conflict', database.status === 'failed' ? `Database provisioning failed: ${database.statusMessage ?? 'unknown reason'}` : 'Database is still provisioning');
  }
  return { ...database, connection: database.connection };
}

/**
 * Starts the database's server again with its data (a FAILED one included: after Berth gave up
 * restarting it, this is how a user asks for more tries): PROVISIONING until it serves, then
 * RUNNING, or FAILED saying why. SQLITE has no server: RUNNING at once.
 */
export async function restartDatabase(deps: DatabaseDeps, input: DatabaseRef): Promise<ManagedDatabase> {
  const database = await findDatabase(deps, input, 'databases:write');
  if (database.status === 'provisioning') throw new DomainError('conflict', 'Database is still provisioning');
  // Still RUNNING in the store while Berth, having just started itself, starts its server again (resumeDatabases).
  if (deps.provisioning.inFlight(database.id)) {
    throw new DomainError('conflict', "Berth is starting the database's server; restart it once that start has ended (its status says how it went)");
  }
  await deps.store.databases.setStatus(database.id, 'provisioning', null, deps.clock.now());
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: input.workspaceId,
    action: 'database.restart',
    targetType: 'database',
    targetId: database.id,
    // Why it had FAILED, when it had: the restart's reason to be.
    detail: { engine: database.engine, failedWith: database.status === 'failed' ? database.statusMessage : null },
  });
  const running = deps.provisioning.track(
    database.id,
    deps.databaseEngines
      .stopServer(database)
      // A server that will not stop is killed by its stop; whatever went wrong, the start says the rest.
      .catch(() => undefined)
      .then(() => provisionDatabase(deps, database)),
  );
  if (database.engine === 'SQLITE') await running;
  return (await deps.store.databases.byId(database.id)) ?? database;
}

export async function deleteDatabase(deps: DatabaseDeps, input: DatabaseRef): Promise<void> {
  const database = await findDatabase(deps, input, 'databases:write');
  await deps.provisioning.settled(database.id);
  for (const attachment of await deps.store.databases.attachmentsOfDatabase(database.id)) {
    const env = (await deps.store.envVars.list(attachment.appId)).find((v) => v.key === attachment.envKey);
    if (env) await deps.store.envVars.delete(attachment.appId, env.id);
  }
  await deps.store.databases.delete(database.id);
  await deps.databaseEngines.destroy(database);
  await deps.databaseEngines.backups.removeAll(database.id);
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: input.workspaceId,
    action: 'database.delete',
    targetType: 'database',
    targetId: database.id,
    detail: { engine: database.engine, slug: database.slug },
  });
}
