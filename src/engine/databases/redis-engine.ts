// REDIS: a redis-server of its own per database, data on its volume (AOF), reachable on a unix
// socket only, which attached apps get mounted at /var/run/redis.
import { existsSync } from 'node:fs';
import { chown, cp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseServerState, ProvisionResult } from '../../core/ports/databases.js';
import type { Logger } from '../../core/ports/logger.js';
import type { ManagedDatabase } from '../../domain/database.js';
import { DomainError, isStorageFull } from '../../domain/errors.js';
import { runCommand } from '../spawn.js';
import type { VolumeStore } from '../volumes/volume-store.js';
import { findDatabaseTool, type DatabaseToolSettings } from './database-tools.js';
import { systemUser } from './postgres-binaries.js';
import { copyAppendOnlyDir } from './redis-aof-copy.js';
import { RedisRefused, startRedisServer, type RedisServer } from './redis-server.js';
import type { RestartPolicy } from './restart-policy.js';
import { databaseServerState } from './server-state.js';
import { limitsOf, SERVER_ENV, type ServerTools } from './supervised-server.js';
import { BACKUP_FAILED, maskPaths, RESTORE_FAILED } from './tool-failure.js';
import type { CgroupLocation } from '../runtime/host/cgroup-v1.js';

export const REDIS_SOCKET_DIR = '/var/run/redis';

async function chownTree(dir: string, user: { uid: number; gid: number }): Promise<void> {
  await chown(dir, user.uid, user.gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await chownTree(join(dir, entry.name), user);
    else await chown(join(dir, entry.name), user.uid, user.gid);
  }
}

export interface RedisEngine {
  versions(): readonly string[];
  /** Why no version is offered when redis-server is missing (which variable to set); else null. */
  missing(): string | null;
  provision(database: ManagedDatabase): Promise<ProvisionResult>;
  destroy(database: ManagedDatabase): Promise<void>;
  stopServer(database: ManagedDatabase): Promise<void>;
  close(): Promise<void>;
  /** Copies the append-only file into `dir`. */
  snapshot(database: ManagedDatabase, dir: string): Promise<void>;
  /** Stops the server, puts `dir`'s append-only file in place, starts it again. */
  restoreSnapshot(database: ManagedDatabase, dir: string): Promise<void>;
  serverState(database: ManagedDatabase): DatabaseServerState;
}

/** The major version of the machine's redis-server, or none. */
async function redisVersions(bin: string | null): Promise<string[]> {
  if (bin === null || process.getuid?.() !== 0 || !systemUser('redis')) return [];
  const result = await runCommand([bin, '--version'], { env: SERVER_ENV, timeoutMs: 10_000 });
  const major = /v=(\d+)\./.exec(result.stdout)?.[1];
  return major ? [major] : [];
}

export async function createRedisEngine(options: { volumes: VolumeStore; logger: Logger; cgroups: CgroupLocation | null; tools: ServerTools; programs: DatabaseToolSettings; dataDirs: readonly string[];
  restartPolicy: RestartPolicy;
  /** A server that had served failed to start again too many times in a row: Berth no longer restarts it. */
  onGaveUp: (databaseId: string, reason: string) => void;
}): Promise<RedisEngine> {
  const program = findDatabaseTool('redis-server', options.programs);
  const versions = await redisVersions(program.path);
  const user = systemUser('redis');
  const servers = new Map<string, Promise<RedisServer>>();
  /** The servers that have started (a start in progress or failed is not here). */
  const started = new Map<string, RedisServer>();
  /** Databases whose server a failed restore left stopped (until a request starts it again, or deletion). */
  const downAfterRestore = new Set<string>();

  async function start(database: ManagedDatabase): Promise<RedisServer> {
    const bin = program.path;
    if (bin === null) throw new Error(`Redis ${database.version} is not available on this machine: ${program.missing}`);
    if (!user || !versions.includes(database.version)) throw new Error(`Redis ${database.version} is not available on this machine`);
    const dir = await options.volumes.ensure(database.id, database.resources.storageGb * 1024, user);
    return startRedisServer({
      tools: options.tools, bin, user, dir, memoryMi: database.resources.memoryMi, logger: options.logger, limits: limitsOf(options.cgroups, database), restartPolicy: options.restartPolicy,
      onGaveUp: (lastExit, failedStarts) => options.onGaveUp(database.id, maskPaths(`redis-server exited and failed to start again ${failedStarts} times in a row: ${lastExit}`, options.dataDirs)),
    });
  }

  async function stop(databaseId: string): Promise<void> {
    const server = servers.get(databaseId);
    servers.delete(databaseId);
    if (server) await (await server.catch(() => null))?.stop();
    started.delete(databaseId);
  }

  return {
    versions: () => versions,
    missing: () => program.missing,
    serverState(database) {
      const server = started.get(database.id);
      if (server) return databaseServerState(server.state(), options.dataDirs);
      if (servers.has(database.id)) return { kind: 'starting' };
      return downAfterRestore.has(database.id) ? { kind: 'down-after-failed-restore' } : { kind: 'stopped' };
    },
    async provision(database) {
      const { password } = await serverOf(database);
      return { connection: { host: REDIS_SOCKET_DIR, port: 0, username: 'default', password, database: '0' } };
    },
    async stopServer(database) {
      await stop(database.id);
      downAfterRestore.delete(database.id);
    },
    async destroy(database) {
      await stop(database.id);
      downAfterRestore.delete(database.id);
      await options.volumes.remove(database.id);
    },
    async close() {
      await Promise.all([...servers.keys()].map((id) => stop(id)));
    },
    async snapshot(database, dir) {
      await serverOf(database);
      try {
        await copyAppendOnlyDir(join(await volumeDir(database), 'redis', 'appendonlydir'), join(dir, 'appendonlydir'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        throw new DomainError('conflict', `${BACKUP_FAILED}: redis-server replaced its append-only files during each copy (rewrites); try again`);
      }
    },
    async restoreSnapshot(database, dir) {
      await stop(database.id);
      const target = join(await volumeDir(database), 'redis', 'appendonlydir');
      // The live file is kept aside until the server runs from the backup's: a damaged one is undone.
      const kept = `${target}.before-restore`;
      await rm(kept, { recursive: true, force: true });
      if (existsSync(target)) await rename(target, kept);
      try {
        await cp(join(dir, 'appendonlydir'), target, { recursive: true });
        if (user) await chownTree(target, user);
        await serverOf(database);
      } catch (error) {
        await rm(target, { recursive: true, force: true });
        if (existsSync(kept)) await rename(kept, target);
        const again = await serverOf(database).then(
          () => null,
          (failed: unknown) => failed,
        );
        // Not "unchanged": the server is down. Its own files are in place; a whole backup starts it.
        if (again !== null) {
          downAfterRestore.add(database.id);
          throw new DomainError('unavailable', `The restore failed, and redis-server does not start from the database's own data either${reasonOf(again)}; restore a backup that is whole to start it again`);
        }
        if (isStorageFull(error)) throw error;
        if (reasonOf(error)) throw new DomainError('conflict', `${RESTORE_FAILED}: redis-server refused the backup's append-only file${reasonOf(error)}`);
        throw new DomainError('conflict', `${RESTORE_FAILED}: redis-server did not start from the backup's append-only file, which may be damaged`);
      }
      await rm(kept, { recursive: true, force: true });
    },
  };

  /** `: <why redis-server refused>` (data dir masked) when its log said; else ''. */
  function reasonOf(error: unknown): string {
    return error instanceof RedisRefused && error.reason !== '' ? `: ${maskPaths(error.reason, options.dataDirs)}` : '';
  }

  function serverOf(database: ManagedDatabase): Promise<RedisServer> {
    let server = servers.get(database.id);
    if (!server) {
      server = start(database);
      servers.set(database.id, server);
      server.then(
        (running) => {
          started.set(database.id, running);
          downAfterRestore.delete(database.id);
        },
        () => servers.delete(database.id),
      );
    }
    return server;
  }

  function volumeDir(database: ManagedDatabase): Promise<string> {
    return options.volumes.ensure(database.id, database.resources.storageGb * 1024, user ?? undefined);
  }
}
