// What Berth itself writes into an app's log: how each instance ended, so a user reading the
// log sees why the app restarted (or how a cron run finished) next to the app's own lines.
import type { InstanceStatus } from '../../core/ports/runtime.js';
import type { LogLine } from '../../core/ports/telemetry.js';

export function exitLine(status: InstanceStatus, at: Date): LogLine {
  const cronRun = /-run-[0-9a-f]+$/.test(status.instanceId);
  const what = cronRun ? `Cron run ${status.instanceId}` : `Instance ${status.instanceId}`;
  const base = { appId: status.appId, revisionName: status.revisionName, instanceId: status.instanceId, stream: 'platform' as const, timestamp: at };
  if (status.oomKilled) return { ...base, severity: 'CRITICAL', message: `${what} was killed: it exceeded its memory limit (OOMKilled)` };
  if (status.exitCode === 0) return { ...base, severity: 'INFO', message: `${what} exited with code 0` };
  if (status.signal === 'SIGTERM' || status.exitCode === 143) return { ...base, severity: 'INFO', message: `${what} stopped (SIGTERM)` };
  const how = status.exitCode !== null ? `exited with code ${status.exitCode}` : `was killed by ${status.signal ?? 'a signal'}`;
  return { ...base, severity: 'ERROR', message: `${what} ${how}` };
}
