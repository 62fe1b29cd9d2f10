// Enforces log retention (days) and the per-app size cap in small chunks, each its own short
// transaction, so the ingest writer is never held up for long. Apps over the cap lose their
// oldest lines until they are at 90 % of it; purged apps lose everything.
import type { Logger } from '../../core/ports/logger.js';
import type { LogRepository, MetricRepository } from '../../core/ports/telemetry.js';

export interface PrunerOptions {
  logs: LogRepository;
  metrics: MetricRepository;
  logger: Logger;
  now: () => Date;
  retentionDays: number;
  maxBytesPerApp: number;
  /** Lines deleted per transaction. */
  chunk?: number;
  /** Pause between chunks, letting the writer in. */
  pauseMs?: number;
}

const DAY_MS = 86_400_000;
/** Roll-up tiers kept: minutes for the 1h/6h/24h periods, hours for 7d/30d. */
export const metricRetention = [
  { resolutionS: 60, keepMs: 2 * DAY_MS },
  { resolutionS: 3600, keepMs: 35 * DAY_MS },
];

export function createLogPruner(options: PrunerOptions) {
  const chunk = options.chunk ?? 5_000;
  const pause = () => new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 5));

  async function drain(step: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await step();
      total += n;
      if (n < chunk) return total;
      await pause();
    }
  }

  /** Apps over their size cap lose their oldest lines; cheap when none is (one row per app read). */
  async function enforceCaps(): Promise<number> {
    let deleted = 0;
    for (const usage of await options.logs.usage()) {
      if (usage.bytes <= options.maxBytesPerApp) continue;
      // Lines are roughly alike in size: delete the share that brings the app to 90 % of its cap.
      const excess = usage.bytes - options.maxBytesPerApp * 0.9;
      let toDelete = Math.ceil((usage.lines * excess) / Math.max(1, usage.bytes));
      while (toDelete > 0) {
        const n = await options.logs.deleteOldest(usage.appId, Math.min(chunk, toDelete));
        deleted += n;
        toDelete -= n;
        if (n === 0) break;
        await pause();
      }
    }
    return deleted;
  }

  /** One full pass: purged apps, retention, caps, old metric buckets; returns lines deleted. */
  async function prune(): Promise<number> {
    let deleted = 0;
    const cutoff = new Date(options.now().getTime() - options.retentionDays * DAY_MS);
    for (const appId of await options.logs.orphanedApps()) {
      deleted += await drain(() => options.logs.deleteOldest(appId, chunk));
      await options.logs.forgetApp(appId);
    }
    for (const usage of await options.logs.usage()) {
      deleted += await drain(() => options.logs.deleteOlderThan(usage.appId, cutoff, chunk));
    }
    deleted += await enforceCaps();
    for (const tier of metricRetention) {
      await options.metrics.deleteBefore(tier.resolutionS, new Date(options.now().getTime() - tier.keepMs));
    }
    return deleted;
  }

  // One pass at a time: two passes deleting the same oldest lines would count them twice.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = chain.then(task, task);
    chain = run.catch(() => undefined);
    return run;
  };
  return { prune: () => serial(prune), enforceCaps: () => serial(enforceCaps) };
}
