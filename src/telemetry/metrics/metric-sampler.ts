// Samples every live app each interval: cpu and memory of its instances (cgroups or /proc, via
// the runtime driver) and its traffic from the edge's counters. Each sample is added to the
// app's minute and hour roll-up buckets in the store and kept in a short in-memory window for
// alert rules, health and the Prometheus exposition.
import type { Logger } from '../../core/ports/logger.js';
import type { EdgeStatsSnapshot, EdgeStatsSource } from '../../core/ports/route-table.js';
import type { Runtime } from '../../core/ports/runtime.js';
import type { Store } from '../../core/ports/store.js';
import type { MetricBucket } from '../../core/ports/telemetry.js';
import type { App } from '../../domain/app.js';
import type { AppSample } from './app-sample.js';
import { round2 } from './app-sample.js';
import { edgeDeltas, noTraffic } from './edge-deltas.js';
import type { TrafficDelta } from './edge-deltas.js';
import { createIoYield } from '../io-yield.js';
import { liveInstancesByApp } from '../live-instances.js';

export interface SamplerOptions {
  store: Store;
  runtime: Runtime;
  edge: EdgeStatsSource;
  logger: Logger;
  now: () => Date;
  /** How long samples stay in memory (the longest window a rule or health looks at). */
  windowMs: number;
  onSample?: (samples: readonly AppSample[], apps: ReadonlyMap<string, App>) => Promise<void>;
}

export const rollupResolutionsS = [60, 3600] as const;

export interface MetricSampler {
  sample(): Promise<AppSample[]>;
  latest(appId: string): AppSample | null;
  window(appId: string, sinceMs: number): AppSample[];
  /** The app's traffic since its last sample (the edge's counters now), without taking a sample. */
  unsampled(appId: string): Promise<TrafficDelta>;
  /** Every app's traffic since its last sample, from one read of the edge's counters (apps with none are absent). */
  unsampledAll(): Promise<ReadonlyMap<string, TrafficDelta>>;
  /** Last edge snapshot, for cumulative counters in the exposition. */
  lastEdge(): EdgeStatsSnapshot | null;
  /** Live apps as of the last sample. */
  apps(): ReadonlyMap<string, App>;
  boundsMs(): readonly number[];
}

function toBuckets(sample: AppSample): MetricBucket[] {
  return rollupResolutionsS.map((resolutionS) => {
    const stepMs = resolutionS * 1000;
    const latencyAvg = sample.requests > 0 ? sample.latencySumMs / sample.requests : 0;
    return {
      appId: sample.appId,
      resolutionS,
      start: new Date(Math.floor(sample.at.getTime() / stepMs) * stepMs),
      samples: 1,
      cpuSum: sample.cpuPercent,
      cpuMax: sample.cpuPercent,
      memorySum: sample.memoryMi,
      memoryMax: sample.memoryMi,
      instancesSum: sample.instances,
      instancesMax: sample.instances,
      requests: sample.requests,
      errors: sample.errors,
      latencySumMs: sample.latencySumMs,
      latencyMaxMs: latencyAvg,
    };
  });
}

export function createMetricSampler(options: SamplerOptions): MetricSampler {
  const recent = new Map<string, AppSample[]>();
  let previousEdge: EdgeStatsSnapshot | null = null;
  let liveApps = new Map<string, App>();
  let bounds: readonly number[] = [];

  async function usageOf(app: App, instanceIds: string[]) {
    const usages = await Promise.all(instanceIds.map((id) => options.runtime.usage(id).catch(() => null)));
    const known = usages.filter((u) => u !== null);
    const cpuCores = known.reduce((sum, u) => sum + u.cpuPercent / 100, 0);
    const memoryMi = known.reduce((sum, u) => sum + u.memoryMi, 0);
    const cpuLimitCores = (known.length * app.cpuLimitMillicores) / 1000;
    const memoryLimitMi = known.length * app.memoryLimitMi;
    return {
      cpuPercent: cpuLimitCores > 0 ? round2((cpuCores / cpuLimitCores) * 100) : 0,
      memoryMi: round2(memoryMi),
      memoryPercent: memoryLimitMi > 0 ? round2((memoryMi / memoryLimitMi) * 100) : 0,
    };
  }

  async function sample(): Promise<AppSample[]> {
    const at = options.now();
    const [apps, traffic] = await Promise.all([options.store.apps.listLive(), options.store.traffic.all()]);
    liveApps = new Map(apps.map((a) => [a.id, a]));
    const instances = await liveInstancesByApp(options.runtime, traffic);
    const edge = await options.edge.stats();
    const deltas = edgeDeltas(edge, previousEdge);
    previousEdge = edge;
    bounds = edge.apps[0]?.latency.boundsMs ?? bounds;
    const samples: AppSample[] = [];
    const breathe = createIoYield();
    for (const app of apps) {
      await breathe();
      // The app's figures are its replicas': warm standbys are neither its capacity nor its load.
      const ids = (instances.get(app.id)?.replicas ?? []).map((i) => i.instanceId);
      const usage = await usageOf(app, ids);
      const traffic = deltas.get(app.id) ?? noTraffic(bounds.length + 1);
      samples.push({ appId: app.id, at, instances: ids.length, ...usage, ...traffic });
    }
    const horizon = at.getTime() - options.windowMs;
    for (const s of samples) {
      const list = recent.get(s.appId) ?? [];
      list.push(s);
      while (list.length > 0 && (list[0]?.at.getTime() ?? 0) < horizon) list.shift();
      recent.set(s.appId, list);
    }
    for (const appId of recent.keys()) if (!liveApps.has(appId)) recent.delete(appId);
    await options.store.metrics.add(samples.flatMap(toBuckets));
    await options.onSample?.(samples, liveApps);
    return samples;
  }

  return {
    sample,
    latest: (appId) => recent.get(appId)?.at(-1) ?? null,
    window: (appId, sinceMs) => (recent.get(appId) ?? []).filter((s) => s.at.getTime() >= sinceMs),
    async unsampled(appId) {
      return edgeDeltas(await options.edge.stats(), previousEdge).get(appId) ?? noTraffic(bounds.length + 1);
    },
    async unsampledAll() {
      return edgeDeltas(await options.edge.stats(), previousEdge);
    },
    lastEdge: () => previousEdge,
    apps: () => liveApps,
    boundsMs: () => bounds,
  };
}
