// An app's health from what Berth observes (instances, failures and crash loops from the
// reconciler, traffic from the sampler): every app's each interval, kept for the overview and
// the exposition, and one app's on demand, so that its health answer is true when asked.
import type { Orchestrator } from '../../core/ports/orchestrator.js';
import type { Runtime } from '../../core/ports/runtime.js';
import type { Store } from '../../core/ports/store.js';
import type { AppHealth } from '../../core/ports/telemetry.js';
import type { App } from '../../domain/app.js';
import { isServing } from '../../domain/revision.js';
import type { TrafficSplit } from '../../domain/revision.js';
import { windowFigures } from '../metrics/app-sample.js';
import type { MetricSampler } from '../metrics/metric-sampler.js';
import { createIoYield } from '../io-yield.js';
import { liveInstancesByApp } from '../live-instances.js';
import type { AppInstances } from '../live-instances.js';
import type { AppSample } from '../metrics/app-sample.js';
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

export function createHealthMonitor(options: HealthMonitorOptions) {
  const latest = new Map<string, AppHealth>();

  async function cronHealth(app: App, at: Date, base: Omit<AppHealth, 'status' | 'reasons'>): Promise<AppHealth> {
    const [run] = await options.store.cronRuns.list(app.id, 1);
    const status = !run || run.status === 'running' || run.status === 'skipped' ? 'unknown' : run.status === 'succeeded' ? 'healthy' : 'unhealthy';
    return { ...base, status, reasons: run ? [`last run ${run.status}`] : ['no run yet'], lastCheckedAt: at };
  }

  /** `unsampled`: the app's traffic since the last sample, counted in when asked on demand. */
  async function checkApp(app: App, splits: readonly TrafficSplit[], at: Date, byApp: ReadonlyMap<string, AppInstances>, unsampled: AppSample | null): Promise<AppHealth> {
    const serving = splits.filter(isServing);
    const instances = byApp.get(app.id) ?? { replicas: [], warm: [] };
    const running = instances.replicas.filter((i) => i.phase === 'running');
    const statuses = serving.map((s) => options.orchestrator.revisionStatus(s.revisionId));
    const lastFailureAt = Math.max(...statuses.map((s) => s.lastFailureAt?.getTime() ?? -Infinity));
    const failedAgoMs = at.getTime() - lastFailureAt;
    const recent = options.sampler.window(app.id, at.getTime() - options.windowMs);
    const traffic = windowFigures(unsampled ? [...recent, unsampled] : recent, options.sampler.boundsMs());
    const deployed = await options.store.deployments.latestSucceeded(app.id);
    const oldest = Math.min(...running.map((i) => i.startedAt.getTime()));
    const base = {
      appId: app.id,
      uptimeS: running.length > 0 ? Math.max(0, Math.round((at.getTime() - oldest) / 1000)) : 0,
      lastDeployedAt: deployed?.finishedAt ?? null,
      instanceCount: running.length,
      warmInstances: instances.warm.length,
      errorRate: traffic.errorRate,
      avgLatencyMs: traffic.avgLatencyMs,
      requestCount: traffic.requests,
      lastCheckedAt: at,
    };
    if (app.type === 'cron') return cronHealth(app, at, base);
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
    async check(): Promise<void> {
      const at = options.now();
      const [apps, traffic] = await Promise.all([options.store.apps.listLive(), options.store.traffic.all()]);
      const live = new Set(apps.map((a) => a.id));
      const byApp = await liveInstancesByApp(options.runtime, traffic);
      const breathe = createIoYield();
      for (const app of apps) {
        await breathe();
        latest.set(app.id, await checkApp(app, traffic.get(app.id) ?? [], at, byApp, null));
      }
      for (const appId of latest.keys()) if (!live.has(appId)) latest.delete(appId);
    },
    /** The app's health now: instances and failures as they are, traffic up to this moment. */
    async checkNow(app: App): Promise<AppHealth> {
      const at = options.now();
      const splits = await options.store.traffic.get(app.id);
      const byApp = await liveInstancesByApp(options.runtime, new Map([[app.id, splits]]));
      const delta = await options.sampler.unsampled(app.id);
      const unsampled: AppSample = { appId: app.id, at, instances: 0, cpuPercent: 0, memoryMi: 0, memoryPercent: 0, ...delta };
      return checkApp(app, splits, at, byApp, unsampled);
    },
    get: (appId: string) => latest.get(appId) ?? null,
    all: () => latest.values(),
  };
}
