// POSTGRES: a server of its own per database, from the machine's binaries, data on the
// database's volume, reachable on a unix socket only: Berth reaches it, and so do the apps that
// are attached to it (the socket's directory is mounted into their sandboxes), nobody else.
import type { DatabaseEngines, DatabaseServerState, ProvisionResult, QueryResult } from '../../core/ports/databases.js';
import type { Logger } from '../../core/ports/logger.js';
import type { ManagedDatabase } from '../../domain/database.js';
import { runCommand } from '../spawn.js';
import type { VolumeStore } from '../volumes/volume-store.js';
import { limitsOf, SERVER_ENV, type ServerTools } from './supervised-server.js';
import type { CgroupLocation } from '../runtime/host/cgroup-v1.js';
import { requireDatabaseTool, type DatabaseToolSettings } from './database-tools.js';
import type { PostgresInstall } from './postgres-binaries.js';
import { runReadOnlyQuery } from './postgres-query.js';
import { DomainError } from '../../domain/errors.js';
import { BACKUP_FAILED, maskPaths, RESTORE_FAILED, toolFailed } from './tool-failure.js';
import { PostgresRefused, startPostgresServer, type PostgresServer } from './postgres-server.js';
import type { RestartPolicy } from './restart-policy.js';
import { databaseServerState } from './server-state.js';

/** Where an attached app finds the server's socket: libpq's default directory. */
export const POSTGRES_SOCKET_PATH = '/var/run/postgresql';

export interface PostgresEngine extends Pick<DatabaseEngines, 'query' | 'close'> {
  versions(): readonly string[];
  /** pg_dump (custom format) of the app's database into `file`. */
  dump(database: ManagedDatabase, file: string): Promise<void>;
  /** pg_restore of such a dump over the app's database (objects dropped first). */
  restoreDump(database: ManagedDatabase, file: string): Promise<void>;
  provision(database: ManagedDatabase): Promise<ProvisionResult>;
  destroy(database: ManagedDatabase): Promise<void>;
  stopServer(database: ManagedDatabase): Promise<void>;
  serverState(database: ManagedDatabase): DatabaseServerState;
}

export function createPostgresEngine(options: { install: PostgresInstall; volumes: VolumeStore; logger: Logger; cgroups: CgroupLocation | null; tools: ServerTools; programs: DatabaseToolSettings; dataDirs: readonly string[];
  restartPolicy: RestartPolicy;
  /** A server that had served failed to start again too many times in a row: Berth no longer restarts it. */
  onGaveUp: (databaseId: string, reason: string) => void;
}): PostgresEngine {
  const { install, volumes } = options;
  const servers = new Map<string, Promise<PostgresServer>>();
  /** The servers that have started (a start in progress or failed is not here). */
  const started = new Map<string, PostgresServer>();
  const available = install.user !== null && process.getuid?.() === 0 ? [...install.versions.keys()] : [];

  async function start(database: ManagedDatabase): Promise<PostgresServer> {
    const bin = install.versions.get(database.version);
    if (!bin || !install.user) throw new Error(`PostgreSQL ${database.version} is not available on this machine`);
    const dir = await volumes.ensure(database.id, database.resources.storageGb * 1024, install.user);
    return startPostgresServer({
      tools: options.tools, bin, user: install.user, dir, memoryMi: database.resources.memoryMi, logger: options.logger, limits: limitsOf(options.cgroups, database), restartPolicy: options.restartPolicy,
      onGaveUp: (lastExit, failedStarts) => options.onGaveUp(database.id, maskPaths(`postgres exited and failed to start again ${failedStarts} times in a row: ${lastExit}`, options.dataDirs)),
    });
  }

  function serverOf(database: ManagedDatabase): Promise<PostgresServer> {
    let server = servers.get(database.id);
    if (!server) {
      server = start(database);
      servers.set(database.id, server);
      server.then(
        (running) => started.set(database.id, running),
        () => servers.delete(database.id),
      );
    }
    return server;
  }

  async function stop(databaseId: string): Promise<void> {
    const server = servers.get(databaseId);
    servers.delete(databaseId);
    if (server) await (await server.catch(() => null))?.stop();
    started.delete(databaseId);
  }

  return {
    versions: () => available,
    serverState(database) {
      const server = started.get(database.id);
      if (server) return databaseServerState(server.state(), options.dataDirs);
      return servers.has(database.id) ? { kind: 'starting' } : { kind: 'stopped' };
    },
    async provision(database) {
      const server = await serverOf(database);
      const { owner, database: name } = server.credentials;
      return { connection: { host: POSTGRES_SOCKET_PATH, port: 5432, username: owner.user, password: owner.password, database: name } };
    },
    stopServer: (database) => stop(database.id),
    async destroy(database) {
      await stop(database.id);
      await volumes.remove(database.id);
    },
    async query(database, input): Promise<QueryResult> {
      const server = await runningServer(database);
      const client = await server.connect('reader');
      try {
        return await runReadOnlyQuery(client, input);
      } finally {
        await client.end();
      }
    },
    async dump(database, file) {
      await adminTool(database, { tool: 'pg_dump', action: BACKUP_FAILED }, ['-Fc', '-f', file]);
    },
    async restoreDump(database, file) {
      // One transaction (which implies --exit-on-error): a dump that breaks off changes nothing.
      await adminTool(database, { tool: 'pg_restore', action: RESTORE_FAILED }, ['--clean', '--if-exists', '--single-transaction', file]);
    },
    async close() {
      await Promise.all([...servers.keys()].map((id) => stop(id)));
    },
  };

  /**
   * The database's server for a request: one that refuses to start, or that Berth is restarting
   * or gave up on, is a 503 that says so.
   */
  async function runningServer(database: ManagedDatabase): Promise<PostgresServer> {
    let server: PostgresServer;
    try {
      server = await serverOf(database);
    } catch (error) {
      if (error instanceof PostgresRefused) throw new DomainError('unavailable', `The database's server does not start: ${maskPaths(error.message, options.dataDirs)}`);
      throw error;
    }
    const state = server.state();
    if (state.kind === 'restarting') throw new DomainError('unavailable', `The database's server exited and Berth is restarting it (attempt ${state.attempt} of ${state.maxAttempts}): try again shortly`);
    if (state.kind === 'given-up') throw new DomainError('unavailable', `The database's server does not start: ${maskPaths(state.lastExit, options.dataDirs)}`);
    return server;
  }

  /** Runs a client tool (the version's own first) as the server's admin, over its socket. */
  async function adminTool(database: ManagedDatabase, { tool, action }: { tool: 'pg_dump' | 'pg_restore'; action: string }, args: string[]): Promise<void> {
    const versionBin = install.versions.get(database.version);
    const program = requireDatabaseTool(tool, options.programs, versionBin ? [versionBin] : []);
    const server = await runningServer(database);
    const { admin, database: name } = server.credentials;
    const argv = [program, '-h', server.socketDir, '-U', admin.user, '-d', name, ...args];
    const result = await runCommand(argv, { env: { ...SERVER_ENV, PGPASSWORD: admin.password }, timeoutMs: 30 * 60_000 });
    if (result.exitCode !== 0) throw toolFailed({ action, tool, result, secrets: [admin.password], dataDirs: options.dataDirs });
  }
}
