// The first hop of every host process Berth launches and must not outlive it (instances, build
// steps, database servers): it asks for SIGKILL when Berth dies, and exits at once if Berth has
// already died. bwrap's own --die-with-parent comes later, after a window a kill -9 can hit.
import type { HostTools } from './host-tools.js';

/**
 * Run right after `setpriv --pdeathsig`: a death signal asked for once the parent is already gone
 * never comes, so a process whose parent is no longer Berth (a kill -9 between fork and prctl)
 * exits instead of living on under init. `$PPID` is the parent when the shell started.
 */
export const PARENT_GUARD_SCRIPT = '[ "$PPID" = "$1" ] || exit 125; shift; exec "$@"';

/** argv to put before a command so it dies with `parentPid` (Berth), whatever the hops after it do. */
export function parentGuardHop(tools: Pick<HostTools, 'setpriv' | 'sh'>, parentPid: number = process.pid): string[] {
  return [tools.setpriv, '--pdeathsig', 'SIGKILL', '--', tools.sh, '-c', PARENT_GUARD_SCRIPT, 'sh', String(parentPid)];
}
