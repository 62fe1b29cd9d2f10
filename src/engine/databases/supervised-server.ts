// A database server process as Berth runs it: as a system user, in a pid and mount namespace of
// its own where its volume appears at /mnt (Berth's data dir is root's alone), dying with Berth
// (kill -9 included: its launch starts with the parent guard instances and build steps use, and
// the namespace goes with bwrap), limited to its cpu and memory, restarted when it exits on its own
// (not when, before it ever served, it exited saying it refuses to start), and stopped by the
// signal its program treats as a clean, fast shutdown.
import type { Logger } from '../../core/ports/logger.js';
import type { ManagedDatabase } from '../../domain/database.js';
import { createInstanceCgroups, JOIN_CGROUPS_SCRIPT, removeInstanceCgroups, type CgroupLocation } from '../runtime/host/cgroup-v1.js';
import type { HostTools } from '../runtime/host/host-tools.js';
import { checkSafeName } from '../runtime/host/names.js';
import { parentGuardHop } from '../runtime/host/parent-guard.js';
import { processTree } from '../runtime/host/proc-fs.js';
import { signalGroup, spawnChild, type ChildProcess } from '../spawn.js';

export const VOLUME_IN_SERVER = '/mnt';
export const SERVER_ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' };

export interface ServerUser {
  uid: number;
  gid: number;
}

/** The helper programs a server's launch runs, resolved as for instances (runtime/host/host-tools.ts). */
export type ServerTools = Pick<HostTools, 'sh' | 'bwrap' | 'setpriv'>;

export interface ServerLaunch {
  tools: ServerTools;
  /** The volume's directory, which the server sees at /mnt. */
  dir: string;
  user: ServerUser;
  command: readonly string[];
  /** `cgroup.procs` files to join before exec; none when cgroups are off. */
  cgroupProcs?: readonly string[];
}

/**
 * argv that runs `command` as `user` with the volume at /mnt. The chain, outermost first:
 * setpriv --pdeathsig + sh (dies with Berth; exits if Berth died before it could ask) → sh (joins
 * the server's cgroups, so every process it forks is counted) → bwrap (pid and mount namespaces)
 * → setpriv (the server's user) → the command.
 */
export function serverArgv(launch: ServerLaunch): string[] {
  const { tools, user } = launch;
  const procs = launch.cgroupProcs ?? [];
  const join = procs.length > 0 ? [tools.sh, '-c', JOIN_CGROUPS_SCRIPT, 'sh', ...procs, '--'] : [];
  return [
    ...parentGuardHop(tools),
    ...join,
    tools.bwrap, '--dev-bind', '/', '/', '--bind', launch.dir, VOLUME_IN_SERVER, '--chdir', VOLUME_IN_SERVER, '--unshare-pid', '--die-with-parent', '--',
    tools.setpriv, `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', ...launch.command,
  ];
}

export interface SupervisedServer {
  stop(): Promise<void>;
  /** Whether a launch is running now (false between an exit and the supervisor's restart, and once stopped). */
  running(): boolean;
  /** The exit after which the supervisor stopped restarting (`refusesToStart` said so); null: it restarts. */
  refused(): ServerExit | null;
  /** Says the server has served: from now on every exit is restarted. */
  served(): void;
}

/** How a launch ended, and the tail of its output (stdout and stderr: its log, for most servers). */
export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** A server that exited while Berth waited for it to serve: `output` is what it said last. */
export class ServerExitedEarly extends Error {
  constructor(readonly exit: ServerExit) {
    super(`the database server exited before it served (${exit.signal ? `killed by ${exit.signal}` : `status ${exit.code ?? 'unknown'}`})`);
  }
}

/** How much of a launch's output is kept for the log and for ServerExitedEarly. */
const OUTPUT_TAIL_CHARS = 8000;

/** The cpu and memory a server may use, enforced by cgroup v1 where Berth may create groups. */
export interface ServerLimits {
  location: CgroupLocation;
  /** The group's name under the location's root (one per database). */
  name: string;
  cpuMillicores: number;
  memoryMi: number;
}

export interface SupervisedServerInput {
  tools: ServerTools;
  dir: string;
  user: ServerUser;
  command: readonly string[];
  /** The server's process name (`comm`), and the signal that shuts it down cleanly. */
  comm: string;
  stopSignal: NodeJS.Signals;
  logger: Logger;
  /** Null: no cgroups on this machine. */
  limits: ServerLimits | null;
  /**
   * Whether an exit before the server ever served says it will refuse on every restart (its own
   * log gave a reason: damaged data, a bad setting): it is not restarted. Absent: always restarted.
   */
  refusesToStart?: (exit: ServerExit) => boolean;
}

/** How long a server may take to serve (restarts included) before Berth gives up on it. */
const START_DEADLINE_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function superviseServer(input: SupervisedServerInput): Promise<SupervisedServer> {
  const limits = input.limits;
  const groups = limits ? await createInstanceCgroups(limits.location, checkSafeName('cgroup', limits.name), { cpuMillicores: limits.cpuMillicores, memoryMi: limits.memoryMi, pids: 0 }) : null;
  const argv = serverArgv({ tools: input.tools, dir: input.dir, user: input.user, command: input.command, cgroupProcs: groups?.procsFiles ?? [] });
  let child: ChildProcess | null = null;
  let stopping = false;
  let exited: Promise<void> = Promise.resolve();
  let refused: ServerExit | null = null;
  let served = false;
  let alive = false;
  const launch = (): void => {
    // stdout too: redis-server logs there, and why it refused its data is in that log.
    const started = spawnChild(argv, { env: SERVER_ENV, cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    alive = true;
    let tail = '';
    let failedToSpawn = false;
    const keep = (chunk: Buffer) => (tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS));
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    // 'close', not 'exit', to decide: by then its output's last lines (why it exited) have been read.
    started.once('close', (code, signal) => {
      if (stopping || failedToSpawn) return;
      const exit = { code, signal, output: tail };
      const said = { code, signal, tail: tail.slice(-500) };
      if (!served && input.refusesToStart?.(exit)) {
        refused = exit;
        input.logger.warn(said, 'database server exited before it served, saying why; not restarting it');
        return;
      }
      input.logger.warn(said, 'database server exited; restarting it in 1 s');
      setTimeout(() => {
        if (!stopping) launch();
      }, 1000).unref();
    });
    exited = new Promise((resolve) => {
      started.once('exit', () => {
        alive = false;
        resolve();
      });
      started.once('error', () => {
        failedToSpawn = true;
        alive = false;
        resolve();
      });
    });
  };
  launch();
  return {
    refused: () => refused,
    served: () => {
      served = true;
    },
    running: () => alive,
    async stop() {
      stopping = true;
      // The server, not bwrap: bwrap is its namespace's init, and the kernel would kill the server with it.
      const tree = child?.pid ? processTree(child.pid) : [];
      const main = tree.find((p) => p.comm === input.comm && tree.find((q) => q.pid === p.ppid)?.comm !== input.comm);
      if (main) process.kill(main.pid, input.stopSignal);
      else if (child) signalGroup(child, 'SIGKILL');
      const killed = sleep(15_000).then(() => (child ? signalGroup(child, 'SIGKILL') : undefined));
      await Promise.race([exited, killed]);
      await exited;
      if (groups) await removeInstanceCgroups(groups);
    },
  };
}

/**
 * Retries `probe` until it resolves, for up to 30 s (the supervisor restarts a server that exits);
 * then stops the server and says why. A server that exited refusing to start (the supervisor's
 * `refusesToStart`) ends the wait at once: ServerExitedEarly.
 */
export async function waitUntilServing(server: SupervisedServer, probe: () => Promise<void>, logger: Logger): Promise<void> {
  const deadline = Date.now() + START_DEADLINE_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      await probe();
      server.served();
      return;
    } catch (error) {
      last = (error as Error).message;
      const refused = server.refused();
      if (refused) {
        await server.stop();
        throw new ServerExitedEarly(refused);
      }
      await sleep(50);
    }
  }
  logger.warn({ last }, `database server did not serve within ${START_DEADLINE_MS / 1000} s; stopping it`);
  await server.stop();
  throw new Error(`the database server did not start: ${last}`);
}

/** The limits of a database's server, where cgroups are on. */
export function limitsOf(location: CgroupLocation | null, database: ManagedDatabase): ServerLimits | null {
  return location ? { location, name: `db-${database.id}`, cpuMillicores: database.resources.cpuMillicores, memoryMi: database.resources.memoryMi } : null;
}
