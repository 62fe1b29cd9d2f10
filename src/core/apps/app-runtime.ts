// What runs for an app now, as the reconciler knows it: replicas wanted and ready and the
// instances of its serving revisions, crashed ones waiting for their restart and ones told to
// stop whose process still runs too (status); every
// instance, warm standbys too (pods); and
// each instance's usage, disk included (metrics).
import type { App } from '../../domain/app.js';
import type { Deps } from '../deps.js';
import type { AppRuntimeSummary, InstanceReport } from '../ports/orchestrator.js';
import { findApp } from './find-app.js';
import type { AppRef } from './find-app.js';

export async function appRuntime(
  deps: Pick<Deps, 'store' | 'orchestrator'>,
  input: AppRef,
): Promise<{ app: App; summary: AppRuntimeSummary; pods: InstanceReport[] }> {
  const app = await findApp(deps, input, 'apps:read');
  const [summary, instances] = await Promise.all([deps.orchestrator.appSummary(app.id), deps.orchestrator.instances(app.id)]);
  // An instance told to stop runs on until its process exits (a pod shown Terminating): listed, not counted.
  return { app, summary, pods: instances.filter((i) => i.serving || i.phase === 'stopping') };
}

export async function appInstances(deps: Pick<Deps, 'store' | 'orchestrator'>, input: AppRef): Promise<{ app: App; instances: InstanceReport[] }> {
  const app = await findApp(deps, input, 'apps:read');
  return { app, instances: await deps.orchestrator.instances(app.id) };
}

export interface UsageTotals {
  cpuPercent: number;
  memoryMi: number;
  /** Each writable space once (the instances of a revision share theirs); null when none was measured. */
  diskBytes: number | null;
  networkRxBytes: number | null;
  networkTxBytes: number | null;
}

const sumKnown = (values: (number | null | undefined)[]): number | null => {
  const known = values.filter((v): v is number => typeof v === 'number');
  return known.length > 0 ? known.reduce((a, b) => a + b, 0) : null;
};

/** The app's instances with their usage now, and the totals of its replicas (the serving ones). */
export async function appUsage(
  deps: Pick<Deps, 'store' | 'orchestrator' | 'clock'>,
  input: AppRef,
): Promise<{ app: App; at: Date; instances: InstanceReport[]; totals: UsageTotals }> {
  const app = await findApp(deps, input, 'monitoring:read');
  // Only processes are measured: not one being stopped, nor a crashed one waiting for its restart.
  const instances = (await deps.orchestrator.instances(app.id, { usage: true, disk: true })).filter((i) => i.phase !== 'stopping' && i.phase !== 'restarting');
  const replicas = instances.filter((i) => i.serving);
  const diskByRevision = new Map<string, number>();
  for (const i of replicas) if (typeof i.usage?.diskBytes === 'number') diskByRevision.set(i.revisionId, Math.max(diskByRevision.get(i.revisionId) ?? 0, i.usage.diskBytes));
  const totals: UsageTotals = {
    cpuPercent: Math.round((sumKnown(replicas.map((i) => i.usage?.cpuPercent)) ?? 0) * 10) / 10,
    memoryMi: Math.round((sumKnown(replicas.map((i) => i.usage?.memoryMi)) ?? 0) * 10) / 10,
    diskBytes: diskByRevision.size > 0 ? [...diskByRevision.values()].reduce((a, b) => a + b, 0) : null,
    networkRxBytes: sumKnown(replicas.map((i) => i.usage?.networkRxBytes)),
    networkTxBytes: sumKnown(replicas.map((i) => i.usage?.networkTxBytes)),
  };
  return { app, at: deps.clock.now(), instances, totals };
}
