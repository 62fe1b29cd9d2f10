// A database server process as Berth runs it: as a system user, in a pid and mount namespace of
// its own where its volume appears at /mnt (Berth's data dir is root's alone), dying with Berth
// (kill -9 included: its launch starts with the parent guard instances and build steps use, and
// the namespace goes with bwrap), limited to its cpu and memory, restarted when it exits on its own
// with a growing wait and given up on after a few failed starts in a row (restart-policy.ts; at
// once when, before it ever served, it exited saying it refuses to start), and stopped by the
// signal its program treats as a clean, fast shutdown.
import type { Logger } from '../../core/ports/logger.js';
import type { ManagedDatabase } from '../../domain/database.js';
import { createInstanceCgroups, JOIN_CGROUPS_SCRIPT, removeInstanceCgroups, type CgroupLocation } from '../runtime/host/cgroup-v1.js';
import type { HostTools } from '../runtime/host/host-tools.js';
import { checkSafeName } from '../runtime/host/names.js';
import { parentGuardHop } from '../runtime/host/parent-guard.js';
import { processTree } from '../runtime/host/proc-fs.js';
import { signalGroup, spawnChild, type ChildProcess } from '../spawn.js';
import { afterExit, defaultRestartPolicy, type RestartPolicy } from './restart-policy.js';

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

/** What the supervisor is doing with its server. */
export type ServerState =
  /** Its first launch runs and has not served yet. */
  | { kind: 'starting' }
  | { kind: 'serving' }
  /**
   * A launch exited (`lastExit`: why, in the server's words where it gave them); start number
   * `attempt` in a row (of at most `maxAttempts`) is due at `nextTryAt`, or runs and has not
   * served yet (`nextTryAt` null).
   */
  | { kind: 'restarting'; attempt: number; maxAttempts: number; nextTryAt: Date | null; lastExit: string }
  /** The supervisor stopped restarting it after `exit` (`lastExit`: why); its data is untouched. */
  | { kind: 'given-up'; exit: ServerExit; lastExit: string }
  | { kind: 'stopped' };

export interface SupervisedServer {
  stop(): Promise<void>;
  /** Whether a launch is running now (false between an exit and the supervisor's restart, and once stopped). */
  running(): boolean;
  state(): ServerState;
  /** Why the probe last failed ('no answer' before it was tried). */
  probeFailure(): string;
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
  /** Resolves once the server answers as it should (a launch serves); tried after every launch. */
  probe: () => Promise<void>;
  /**
   * Whether an exit before the server ever served says it will refuse on every restart (its own
   * log gave a reason: damaged data, a bad setting): it is not restarted. Absent: always restarted.
   */
  refusesToStart?: (exit: ServerExit) => boolean;
  /** Why the server exited in its own words (from its log), secrets masked; '' when it gave none. */
  reasonOf?: (exit: ServerExit) => string;
  /** Called once when the supervisor gives up on a server that had served: its last exit, and the failed starts in a row. */
  onGaveUp?: (lastExit: string, failedStarts: number) => void;
  restartPolicy?: RestartPolicy;
}

/** How long a launch may take to serve before Berth gives up on it (the first start: restarts included). */
const START_DEADLINE_MS = 30_000;
const PROBE_INTERVAL_MS = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function describeExit(exit: ServerExit, reason: string): string {
  if (reason !== '') return reason;
  return exit.signal ? `killed by ${exit.signal}` : `exited with status ${exit.code ?? 'unknown'}`;
}

export async function superviseServer(input: SupervisedServerInput): Promise<SupervisedServer> {
  const policy = input.restartPolicy ?? defaultRestartPolicy;
  const limits = input.limits;
  const groups = limits ? await createInstanceCgroups(limits.location, checkSafeName('cgroup', limits.name), { cpuMillicores: limits.cpuMillicores, memoryMi: limits.memoryMi, pids: 0 }) : null;
  const argv = serverArgv({ tools: input.tools, dir: input.dir, user: input.user, command: input.command, cgroupProcs: groups?.procsFiles ?? [] });
  let child: ChildProcess | null = null;
  let stopping = false;
  let exited: Promise<void> = Promise.resolve();
  let state: ServerState = { kind: 'starting' };
  let everServed = false;
  let failedStarts = 0;
  let alive = false;
  let retry: NodeJS.Timeout | null = null;
  let probeFailure = 'no answer';

  /** Probes a launch until it serves, it exits, or its deadline passes (then it is killed: a failed start). */
  const watch = async (launched: ChildProcess): Promise<void> => {
    const deadline = Date.now() + START_DEADLINE_MS;
    while (!stopping && child === launched && alive) {
      try {
        await input.probe();
        if (stopping || child !== launched || !alive) return;
        if (state.kind === 'restarting') input.logger.info({ attempt: state.attempt }, 'database server serves again');
        everServed = true;
        failedStarts = 0;
        state = { kind: 'serving' };
        return;
      } catch (error) {
        probeFailure = (error as Error).message;
      }
      if (Date.now() >= deadline) {
        input.logger.warn({ last: probeFailure }, `database server did not serve within ${START_DEADLINE_MS / 1000} s; killing this launch`);
        signalGroup(launched, 'SIGKILL');
        return;
      }
      await sleep(PROBE_INTERVAL_MS);
    }
  };

  const exitedOnItsOwn = (exit: ServerExit): void => {
    const said = { code: exit.code, signal: exit.signal, tail: exit.output.slice(-500) };
    const lastExit = describeExit(exit, input.reasonOf?.(exit) ?? '');
    if (!everServed && input.refusesToStart?.(exit)) {
      state = { kind: 'given-up', exit, lastExit };
      input.logger.warn(said, 'database server exited before it served, saying why; not restarting it');
      return;
    }
    failedStarts = state.kind === 'serving' ? 0 : failedStarts + 1;
    const next = afterExit(policy, failedStarts);
    if (!next.restart) {
      state = { kind: 'given-up', exit, lastExit };
      input.logger.warn(said, `database server failed to start ${failedStarts} times in a row; not restarting it`);
      if (everServed) input.onGaveUp?.(lastExit, failedStarts);
      return;
    }
    state = { kind: 'restarting', attempt: next.attempt, maxAttempts: policy.maxFailedStarts, nextTryAt: new Date(Date.now() + next.delayMs), lastExit };
    input.logger.warn(said, `database server exited; restarting it in ${next.delayMs / 1000} s (start ${next.attempt} of at most ${policy.maxFailedStarts} in a row)`);
    retry = setTimeout(() => {
      retry = null;
      if (stopping) return;
      if (state.kind === 'restarting') state = { ...state, nextTryAt: null };
      launch();
    }, next.delayMs);
    retry.unref();
  };

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
      if (!stopping && !failedToSpawn) exitedOnItsOwn({ code, signal, output: tail });
    });
    exited = new Promise((resolve) => {
      started.once('exit', () => {
        alive = false;
        resolve();
      });
      started.once('error', (error) => {
        failedToSpawn = true;
        alive = false;
        state = { kind: 'given-up', exit: { code: null, signal: null, output: error.message }, lastExit: `could not be launched: ${error.message}` };
        resolve();
      });
    });
    void watch(started);
  };
  launch();
  return {
    state: () => state,
    probeFailure: () => probeFailure,
    running: () => alive,
    async stop() {
      stopping = true;
      if (retry) clearTimeout(retry);
      if (state.kind !== 'given-up') state = { kind: 'stopped' };
      // The server, not bwrap: bwrap is its namespace's init, and the kernel would kill the server with it.
      const tree = alive && child?.pid ? processTree(child.pid) : [];
      const main = tree.find((p) => p.comm === input.comm && tree.find((q) => q.pid === p.ppid)?.comm !== input.comm);
      if (main) process.kill(main.pid, input.stopSignal);
      else if (child && alive) signalGroup(child, 'SIGKILL');
      const killed = sleep(15_000).then(() => (child && alive ? signalGroup(child, 'SIGKILL') : undefined));
      await Promise.race([exited, killed]);
      await exited;
      if (groups) await removeInstanceCgroups(groups);
    },
  };
}

/**
 * Waits for the server's first launch to serve, for up to 30 s (restarts included); then stops the
 * server and says why. A server the supervisor gave up on (it refused to start, saying why, or
 * failed too many starts in a row) ends the wait at once: ServerExitedEarly.
 */
export async function waitUntilServing(server: SupervisedServer, logger: Logger): Promise<void> {
  const deadline = Date.now() + START_DEADLINE_MS;
  while (Date.now() < deadline) {
    const state = server.state();
    if (state.kind === 'serving') return;
    if (state.kind === 'given-up') {
      await server.stop();
      throw new ServerExitedEarly(state.exit);
    }
    await sleep(PROBE_INTERVAL_MS);
  }
  const last = server.probeFailure();
  logger.warn({ last }, `database server did not serve within ${START_DEADLINE_MS / 1000} s; stopping it`);
  await server.stop();
  throw new Error(`the database server did not start: ${last}`);
}

/** The limits of a database's server, where cgroups are on. */
export function limitsOf(location: CgroupLocation | null, database: ManagedDatabase): ServerLimits | null {
  return location ? { location, name: `db-${database.id}`, cpuMillicores: database.resources.cpuMillicores, memoryMi: database.resources.memoryMi } : null;
}
