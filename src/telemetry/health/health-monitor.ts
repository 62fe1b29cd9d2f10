// Recomputes every app's health each interval from what Berth observes (instances, restarts and
// crash loops from the reconciler, traffic from the sampler) and keeps the latest answer.
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
}

export function createHealthMonitor(options: HealthMonitorOptions) {
  const latest = new Map<string, AppHealth>();
  const restartsSeen = new Map<string, number>();

  async function cronHealth(app: App, at: Date, base: Omit<AppHealth, 'status' | 'reasons'>): Promise<AppHealth> {
    const [run] = await options.store.cronRuns.list(app.id, 1);
    const status = !run || run.status === 'running' || run.status === 'skipped' ? 'unknown' : run.status === 'succeeded' ? 'healthy' : 'unhealthy';
    return { ...base, status, reasons: run ? [`last run ${run.status}`] : ['no run yet'], lastCheckedAt: at };
  }

  async function checkApp(app: App, splits: readonly TrafficSplit[], at: Date, byApp: ReadonlyMap<string, AppInstances>): Promise<AppHealth> {
    const serving = splits.filter(isServing);
    const instances = byApp.get(app.id) ?? { replicas: [], warm: [] };
    const running = instances.replicas.filter((i) => i.phase === 'running');
    const statuses = serving.map((s) => options.orchestrator.revisionStatus(s.revisionId));
    const restarts = statuses.reduce((sum, s) => sum + s.restarts, 0);
    const before = restartsSeen.get(app.id) ?? restarts;
    restartsSeen.set(app.id, restarts);
    const traffic = windowFigures(options.sampler.window(app.id, at.getTime() - options.windowMs), options.sampler.boundsMs());
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
      restartsSinceLastCheck: Math.max(0, restarts - before),
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
        latest.set(app.id, await checkApp(app, traffic.get(app.id) ?? [], at, byApp));
      }
      for (const appId of latest.keys()) if (!live.has(appId)) latest.delete(appId);
    },
    get: (appId: string) => latest.get(appId) ?? null,
    all: () => latest.values(),
  };
}
