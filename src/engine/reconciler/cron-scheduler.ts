// Runs cron apps: at each tick of an app's schedule, one run of its serving revision as a
// short-lived instance, recorded with its exit code. A tick that finds the previous run still
// going is recorded as skipped, so runs never pile up.
import { volumeMounts } from './volume-mounts.js';
import crypto from 'node:crypto';
import type { Clock } from '../../core/ports/clock.js';
import type { IdGenerator } from '../../domain/ids.js';
import type { Logger } from '../../core/ports/logger.js';
import type { InstanceReport } from '../../core/ports/orchestrator.js';
import type { InstanceStatus, Runtime } from '../../core/ports/runtime.js';
import type { Store } from '../../core/ports/store.js';
import { nextRunAfter } from '../../domain/cron-run.js';
import { instanceEnv } from '../../domain/instance-env.js';
import type { PlatformEnv } from '../../domain/instance-env.js';
import { instanceId } from '../../domain/names.js';
import { revisionArtifact } from '../../domain/revision.js';

export interface CronSchedulerOptions {
  store: Store;
  runtime: Runtime;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  platformEnv: PlatformEnv;
  intervalMs?: number;
  pidsLimit?: number;
  /** A run of a deleted app gets SIGTERM, then SIGKILL after this long. */
  drainTimeoutMs?: number;
}

export function createCronScheduler(options: CronSchedulerOptions) {
  const lastChecked = new Map<string, Date>();
  /** appId → the run in progress: its run id, and the instance that runs it. */
  const running = new Map<string, { runId: string; instanceId: string; revisionId: string; revisionName: string; startedAt: Date }>();
  const byInstance = new Map<string, { runId: string; appId: string }>();
  let timer: NodeJS.Timeout | null = null;
  let busy = false;
  let offExit: (() => void) | null = null;

  async function onExit(status: InstanceStatus): Promise<void> {
    const run = byInstance.get(status.instanceId);
    if (!run) return;
    byInstance.delete(status.instanceId);
    running.delete(run.appId);
    await options.store.cronRuns.finish(run.runId, {
      status: status.exitCode === 0 ? 'succeeded' : 'failed',
      exitCode: status.exitCode,
      finishedAt: options.clock.now(),
    });
  }

  async function tick(): Promise<void> {
    const now = options.clock.now();
    const [apps, traffic] = await Promise.all([options.store.apps.listWithTraffic(), options.store.traffic.all()]);
    const live = new Set(apps.map((a) => a.id));
    // A run of an app deleted meanwhile is stopped: nothing of a deleted app keeps running.
    for (const [appId, run] of running) {
      if (!live.has(appId)) await options.runtime.stop(run.instanceId, { drainTimeoutMs: options.drainTimeoutMs ?? 10_000 });
    }
    for (const app of apps) {
      if (app.type !== 'cron' || !app.schedule || app.replicas === 0) continue;
      const since = lastChecked.get(app.id);
      lastChecked.set(app.id, now);
      if (!since) continue; // first sight: start counting from now, never backfill
      const due = nextRunAfter(app.schedule, since);
      if (!due || due > now) continue;
      const split = (traffic.get(app.id) ?? []).find((s) => s.percent > 0);
      const revision = split ? await options.store.revisions.byId(split.revisionId) : null;
      if (!revision) continue;
      const runId = options.ids('cronRun');
      if (running.has(app.id)) {
        await options.store.cronRuns.create({ id: runId, appId: app.id, revisionId: revision.id, scheduledFor: due, startedAt: now, finishedAt: now, exitCode: null, status: 'skipped' });
        continue;
      }
      const id = instanceId(revision.name, `run-${crypto.randomBytes(3).toString('hex')}`);
      await options.store.cronRuns.create({ id: runId, appId: app.id, revisionId: revision.id, scheduledFor: due, startedAt: now, finishedAt: null, exitCode: null, status: 'running' });
      running.set(app.id, { runId, instanceId: id, revisionId: revision.id, revisionName: revision.name, startedAt: now });
      byInstance.set(id, { runId, appId: app.id });
      try {
        await options.runtime.start({
          instanceId: id,
          appId: app.id,
          revisionName: revision.name,
          artifact: revisionArtifact(revision),
          command: revision.config.command,
          env: instanceEnv(revision, options.platformEnv),
          listens: false,
          limits: { memoryMi: revision.config.memoryLimitMi, cpuMillicores: revision.config.cpuLimitMillicores, pids: options.pidsLimit ?? 512, diskMi: app.diskLimitMi },
          volumes: await volumeMounts(options.store, app.id),
        });
      } catch (error) {
        running.delete(app.id);
        byInstance.delete(id);
        options.logger.warn({ appId: app.id, error: String(error) }, 'cron run could not start');
        await options.store.cronRuns.finish(runId, { status: 'failed', exitCode: null, finishedAt: options.clock.now() });
      }
    }
  }

  return {
    /** The app's run in progress as an instance (none between runs): it runs, so it counts as ready, and takes no traffic. */
    reports(appId: string, serving: ReadonlySet<string>, node: string): InstanceReport[] {
      const run = running.get(appId);
      if (!run || !byInstance.has(run.instanceId)) return [];
      const { instanceId, revisionId, revisionName, startedAt } = run;
      return [{ instanceId, revisionId, revisionName, phase: 'running', ready: true, serving: serving.has(revisionId), restarts: 0, startedAt, node, failure: null }];
    },
    async start(): Promise<void> {
      await options.store.cronRuns.failUnfinished(options.clock.now());
      offExit = options.runtime.onExit((status) => void onExit(status));
      timer = setInterval(() => {
        if (busy) return;
        busy = true;
        tick()
          .catch((error: unknown) => options.logger.error({ error: String(error) }, 'cron tick failed'))
          .finally(() => (busy = false));
      }, options.intervalMs ?? 1_000);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      offExit?.();
    },
  };
}
