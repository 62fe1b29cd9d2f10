// Memory kills as an alert: an instance killed by its memory limit is the plainest memory
// problem there is, yet a sampled threshold rarely sees it (memory climbs past the limit between
// two samples). The high_memory condition also fires while an OOM kill of the app is within the
// alert window, and clears once none is.
import type { InstanceStatus } from '../../core/ports/runtime.js';
import type { Condition } from './alert-rules.js';

export interface OomKill {
  instanceId: string;
  revisionName: string;
  at: Date;
}

/** Recent OOM kills per app, as the runtime reports instance exits. */
export function createOomKills(keepMs: number) {
  const byApp = new Map<string, OomKill[]>();
  return {
    record(status: Pick<InstanceStatus, 'appId' | 'instanceId' | 'revisionName' | 'oomKilled'>, at: Date): void {
      if (!status.oomKilled) return;
      const kills = (byApp.get(status.appId) ?? []).filter((k) => k.at.getTime() > at.getTime() - keepMs);
      kills.push({ instanceId: status.instanceId, revisionName: status.revisionName, at });
      byApp.set(status.appId, kills);
    },
    /** Kills of the app at or after `fromMs`, oldest first. */
    since(appId: string, fromMs: number): OomKill[] {
      return (byApp.get(appId) ?? []).filter((k) => k.at.getTime() >= fromMs);
    },
    /** Drops apps that are gone. */
    forget(live: ReadonlySet<string>): void {
      for (const appId of byApp.keys()) if (!live.has(appId)) byApp.delete(appId);
    },
  };
}

const span = (ms: number) => (ms >= 120_000 ? `${Math.round(ms / 60_000)} minutes` : `${Math.round(ms / 1000)} s`);

/** The sampled high_memory condition, firing (critical) while the window holds an OOM kill. */
export function withOomKills(memory: Condition, kills: readonly OomKill[], input: { windowMs: number; memoryLimitMi: number }): Condition {
  const latest = kills.at(-1);
  if (latest === undefined) return memory;
  const count = kills.length === 1 ? 'An instance was' : `${kills.length} instances were`;
  return {
    type: 'high_memory',
    firing: true,
    severity: 'critical',
    message:
      `${count} killed for exceeding the memory limit (${input.memoryLimitMi} MiB) in the last ${span(input.windowMs)}: ` +
      `latest ${latest.instanceId} of ${latest.revisionName} at ${latest.at.toISOString()}`,
  };
}
