// Who gets which signal. A graceful stop signals the app's own process group (inside a sandbox
// that is the first process below the bwrap helpers, which would otherwise turn SIGTERM into an
// immediate kill); a hard stop kills the whole tree the instance grew.
import { processTree, readAllStats, type ProcStat } from '../host/proc-fs.js';

const HELPER_COMMS = new Set(['bwrap']);

function send(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

/** The process group that holds the app: its first non-helper process below `rootPid`. */
export function appGroupLeader(
  rootPid: number,
  sandboxed: boolean,
  stats: readonly ProcStat[] = readAllStats(),
): number | null {
  if (!sandboxed) return rootPid;
  const app = processTree(rootPid, stats).find((s) => !HELPER_COMMS.has(s.comm));
  return app ? app.pid : null;
}

/** SIGTERM (or another signal) to the app's process group; false when there is none yet. */
export function signalApp(rootPid: number, sandboxed: boolean, signal: NodeJS.Signals): boolean {
  const leader = appGroupLeader(rootPid, sandboxed);
  if (leader === null) return false;
  return send(-leader, signal) || send(leader, signal);
}

/** SIGKILL to everything below and including `rootPid`, and to its process group. */
export function killTree(rootPid: number, extra: readonly ProcStat[] = []): number {
  const stats = readAllStats();
  const victims = new Set<number>([...processTree(rootPid, stats).map((s) => s.pid), ...extra.map((s) => s.pid)]);
  for (const s of stats) if (s.pgid === rootPid) victims.add(s.pid);
  let killed = 0;
  send(-rootPid, 'SIGKILL');
  for (const pid of victims) if (send(pid, 'SIGKILL')) killed++;
  return killed;
}

/** SIGKILL to a process group only (its leader may be gone, and its pid reused). */
export function killGroup(pgid: number): boolean {
  return send(-pgid, 'SIGKILL');
}
