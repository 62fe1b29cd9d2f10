// The durable build queue: jobs are rows (state queued → running → done), so a restart loses
// none. At most `concurrency` builds run at once and never two of one app (the later one waits,
// so deployments of an app finish in the order they were asked for). Jobs found `running` at
// start were interrupted by the restart; their deployments were already failed with that reason.
import type { BuildQueue, QueuedJobs } from '../../core/ports/builds.js';
import type { Logger } from '../../core/ports/logger.js';

export interface BuildQueueOptions {
  jobs: QueuedJobs;
  concurrency: number;
  /** Runs one deployment's build and rollout; the signal aborts it (reason `cancel` or `shutdown`). */
  run(deploymentId: string, signal: AbortSignal): Promise<void>;
  logger: Logger;
  pollMs?: number;
}

export interface RunningBuildQueue extends BuildQueue {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createBuildQueue(options: BuildQueueOptions): RunningBuildQueue {
  const running = new Map<string, { appId: string; controller: AbortController; done: Promise<void> }>();
  let stopped = false;
  let pumping = false;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  async function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        if (stopped || running.size >= options.concurrency) break;
        const queued = await options.jobs.listByState('queued', 100);
        const busy = new Set([...running.values()].map((r) => r.appId));
        for (const job of queued) {
          if (stopped || running.size >= options.concurrency) break;
          if (busy.has(job.appId) || running.has(job.deploymentId)) continue;
          busy.add(job.appId);
          await options.jobs.setState(job.deploymentId, 'running');
          const controller = new AbortController();
          const done = options
            .run(job.deploymentId, controller.signal)
            .catch((error: unknown) => options.logger.error({ err: error, deploymentId: job.deploymentId }, 'build run failed'))
            .then(() => options.jobs.setState(job.deploymentId, 'done'))
            .catch((error: unknown) => options.logger.error({ err: error, deploymentId: job.deploymentId }, 'could not mark the build done'))
            .finally(() => {
              running.delete(job.deploymentId);
              kick();
            });
          running.set(job.deploymentId, { appId: job.appId, controller, done });
        }
      } while (again);
    } catch (error) {
      options.logger.error({ err: error }, 'build queue could not read its jobs');
    } finally {
      pumping = false;
    }
  }

  function kick(): void {
    if (!stopped) void pump();
  }

  return {
    kick,
    finished(deploymentId) {
      return running.get(deploymentId)?.done ?? Promise.resolve();
    },
    cancel(deploymentId) {
      const entry = running.get(deploymentId);
      if (!entry) return false;
      entry.controller.abort('cancel');
      return true;
    },
    async start() {
      for (const job of await options.jobs.listByState('running', 10_000)) await options.jobs.setState(job.deploymentId, 'done');
      timer = setInterval(kick, options.pollMs ?? 2_000);
      timer.unref();
      kick();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      for (const entry of running.values()) entry.controller.abort('shutdown');
      await Promise.all([...running.values()].map((entry) => entry.done));
    },
  };
}
