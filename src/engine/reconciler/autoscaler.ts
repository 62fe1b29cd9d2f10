// Periodically sizes autoscaled apps (maxReplicas > minReplicas) on their CPU utilisation,
// through the reconciler's replica overrides. Decisions come from autoscale-policy.ts.
import type { Clock } from '../../core/ports/clock.js';
import type { EventSink } from '../../core/ports/events.js';
import type { Logger } from '../../core/ports/logger.js';
import type { Runtime } from '../../core/ports/runtime.js';
import type { Store } from '../../core/ports/store.js';
import { recommendReplicas, stabilizedReplicas, utilizationOfLimit } from './autoscale-policy.js';
import type { Recommendation } from './autoscale-policy.js';
import type { Reconciler } from './create-reconciler.js';

export interface AutoscalerOptions {
  store: Store;
  runtime: Runtime;
  reconciler: Reconciler;
  clock: Clock;
  logger: Logger;
  intervalMs?: number;
  stabilizationWindowMs?: number;
  /** Each change of size is told as a SuccessfulRescale event, with the autoscaler's reason. */
  events?: EventSink;
}

export function createAutoscaler(options: AutoscalerOptions) {
  const intervalMs = options.intervalMs ?? 15_000;
  const windowMs = options.stabilizationWindowMs ?? 120_000;
  const history = new Map<string, Recommendation[]>();
  let timer: NodeJS.Timeout | null = null;
  let running = false;

  async function evaluate(): Promise<void> {
    const now = options.clock.now().getTime();
    for (const app of await options.store.apps.listWithTraffic()) {
      if (app.maxReplicas <= app.minReplicas || app.replicas === 0 || app.type === 'cron') continue;
      const ready = options.reconciler.readyInstances(app.id);
      if (ready.length === 0) continue;
      const usages = (await Promise.all(ready.map((i) => options.runtime.usage(i.instanceId)))).filter(
        (u) => u !== null,
      );
      if (usages.length === 0) continue;
      const avgCpu = usages.reduce((sum, u) => sum + u.cpuPercent, 0) / usages.length;
      const current = options.reconciler.replicasFor(app);
      const recommendation = recommendReplicas({
        current,
        utilizationPercent: utilizationOfLimit(avgCpu, app.cpuLimitMillicores),
        targetPercent: app.cpuTargetUtilization,
        min: app.minReplicas,
        max: app.maxReplicas,
      });
      const list = [...(history.get(app.id) ?? []), { at: now, replicas: recommendation }].filter(
        (r) => now - r.at <= windowMs,
      );
      history.set(app.id, list);
      const next = stabilizedReplicas(current, list, now, windowMs);
      if (next !== current) {
        options.logger.info({ appId: app.id, from: current, to: next, cpuPercent: Math.round(avgCpu) }, 'autoscaling');
        const utilization = Math.round(utilizationOfLimit(avgCpu, app.cpuLimitMillicores));
        const side = next > current ? 'above' : 'below';
        options.events?.record({
          appId: app.id,
          type: 'Normal',
          reason: 'SuccessfulRescale',
          message: `New size: ${next}; reason: cpu utilization ${utilization}% of the limit, ${side} the ${app.cpuTargetUtilization}% target`,
          object: { kind: 'App', name: app.slug },
        });
        options.reconciler.setAutoscaled(app.id, next);
        await options.reconciler.reconcileNow();
      }
    }
  }

  return {
    start(): void {
      timer = setInterval(() => {
        if (running) return;
        running = true;
        evaluate()
          .catch((error: unknown) => options.logger.error({ error: String(error) }, 'autoscaler failed'))
          .finally(() => (running = false));
      }, intervalMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
    },
    evaluate,
  };
}
