// An app's health from what Berth observes (instances, failures and crash loops from the
// reconciler, traffic from the sampler), computed when asked: one app's, or many apps' (the
// overview's counts, /metrics), so that every answer is true when asked and all agree.
import type { Orchestrator } from '../../core/ports/orchestrator.js';
import type { Runtime } from '../../core/ports/runtime.js';
import type { Store } from '../../core/ports/store.js';
import type { AppHealth, HealthStatus } from '../../core/ports/telemetry.js';
import type { App } from '../../domain/app.js';
import type { CronRun } from '../../domain/cron-run.js';
import { isServing } from '../../domain/revision.js';
import type { TrafficSplit } from '../../domain/revision.js';
import { windowFigures } from '../metrics/app-sample.js';
import type { AppSample } from '../metrics/app-sample.js';
import { noTraffic } from '../metrics/edge-deltas.js';
import type { TrafficDelta } from '../metrics/edge-deltas.js';
import type { MetricSampler } from '../metrics/metric-sampler.js';
import { createIoYield } from '../io-yield.js';
import { liveInstancesByApp } from '../live-instances.js';
import type { AppInstances } from '../live-instances.js';
import { evaluateHealth } from './evaluate-health.js';

export interface HealthMonitorOptions {
  store: Store;
  runtime: Runtime;
  orchestrator: Pick<Orchestrator, 'revisionStatus' | 'replicasFor'>;
  sampler: MetricSampler;
  now: () => Date;
  /** Traffic window judged (error rate, latency). */
  windowMs: number;
  /** A newest sample older than this is a data gap (health unknown). */
  staleAfterMs: number;
  /** An instance that failed this recently degrades the app (the check interval: a failure since the last check). */
  recentFailureMs: number;
}

/** What a check reads, for any number of apps at once: one read of each kind, whatever their number. */
interface Observed {
  at: Date;
  traffic: ReadonlyMap<string, readonly TrafficSplit[]>;
  instances: ReadonlyMap<string, AppInstances>;
  /** Traffic since the last sample, counted in when asked on demand (null: the periodic check, right after a sample). */
  unsampled: ReadonlyMap<string, TrafficDelta> | null;
  lastCronRuns: ReadonlyMap<string, CronRun>;
}

type Judged = Omit<AppHealth, 'lastDeployedAt'>;

export function createHealthMonitor(options: HealthMonitorOptions) {
  async function observe(apps: readonly App[], onDemand: boolean): Promise<Observed> {
    const at = options.now();
    const [only] = apps;
    const [traffic, unsampled, lastCronRuns] = await Promise.all([
      apps.length === 1 && only ? options.store.traffic.get(only.id).then((splits) => new Map([[only.id, splits]])) : options.store.traffic.all(),
      onDemand ? options.sampler.unsampledAll() : null,
      options.store.cronRuns.latestOf(apps.filter((a) => a.type === 'cron').map((a) => a.id)),
    ]);
    return { at, traffic, instances: await liveInstancesByApp(options.runtime, traffic), unsampled, lastCronRuns };
  }

  function cronVerdict(run: CronRun | undefined): Pick<AppHealth, 'status' | 'reasons'> {
    const status = !run || run.status === 'running' || run.status === 'skipped' ? 'unknown' : run.status === 'succeeded' ? 'healthy' : 'unhealthy';
    return { status, reasons: run ? [`last run ${run.status}`] : ['no run yet'] };
  }

  function judge(app: App, o: Observed): Judged {
    const { at } = o;
    const serving = (o.traffic.get(app.id) ?? []).filter(isServing);
    const instances = o.instances.get(app.id) ?? { replicas: [], warm: [] };
    const running = instances.replicas.filter((i) => i.phase === 'running');
    const statuses = serving.map((s) => options.orchestrator.revisionStatus(s.revisionId));
    const lastFailureAt = Math.max(...statuses.map((s) => s.lastFailureAt?.getTime() ?? -Infinity));
    const failedAgoMs = at.getTime() - lastFailureAt;
    const recent = options.sampler.window(app.id, at.getTime() - options.windowMs);
    const delta = o.unsampled ? (o.unsampled.get(app.id) ?? noTraffic(options.sampler.boundsMs().length + 1)) : null;
    const unsampled: AppSample[] = delta ? [{ appId: app.id, at, instances: 0, cpuPercent: 0, memoryMi: 0, memoryPercent: 0, ...delta }] : [];
    const traffic = windowFigures([...recent, ...unsampled], options.sampler.boundsMs());
    const oldest = Math.min(...running.map((i) => i.startedAt.getTime()));
    const base = {
      appId: app.id,
      uptimeS: running.length > 0 ? Math.max(0, Math.round((at.getTime() - oldest) / 1000)) : 0,
      instanceCount: running.length,
      warmInstances: instances.warm.length,
      errorRate: traffic.errorRate,
      avgLatencyMs: traffic.avgLatencyMs,
      requestCount: traffic.requests,
      lastCheckedAt: at,
    };
    if (app.type === 'cron') return { ...base, ...cronVerdict(o.lastCronRuns.get(app.id)) };
    const verdict = evaluateHealth({
      serving: serving.length > 0,
      expectedReplicas: options.orchestrator.replicasFor(app) * serving.length,
      runningInstances: running.length,
      crashLooping: statuses.some((s) => s.phase === 'CrashLoopBackOff'),
      lastFailureAgoS: failedAgoMs >= 0 && failedAgoMs < options.recentFailureMs ? Math.round(failedAgoMs / 1000) : null,
      sampled: at.getTime() - (options.sampler.latest(app.id)?.at.getTime() ?? -Infinity) <= options.staleAfterMs,
      traffic,
    });
    return { ...base, ...verdict };
  }

  return {
    /** The app's health now: instances and failures as they are, traffic up to this moment. */
    async checkNow(app: App): Promise<AppHealth> {
      const [observed, deployed] = await Promise.all([observe([app], true), options.store.deployments.latestSucceeded(app.id)]);
      return { ...judge(app, observed), lastDeployedAt: deployed?.finishedAt ?? null };
    },
    /** Each app's status now, as `checkNow` would answer it, from one observation of them all. */
    async statusesNow(apps: readonly App[]): Promise<Map<string, HealthStatus>> {
      if (apps.length === 0) return new Map();
      const observed = await observe(apps, true);
      const statuses = new Map<string, HealthStatus>();
      const breathe = createIoYield();
      for (const app of apps) {
        await breathe();
        statuses.set(app.id, judge(app, observed).status);
      }
      return statuses;
    },
  };
}
