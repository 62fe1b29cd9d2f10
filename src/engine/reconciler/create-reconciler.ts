// Makes the running instances match the store's desired state: starts and stops instances,
// probes readiness, restarts crashes with backoff, publishes the route table after every
// change (new instances join only once ready; old ones leave before they are stopped), warms
// revisions for the core before it moves traffic to them, replaces the instances of what serves
// (restart), and tells what happens to instances as events.
import { volumeMounts } from './volume-mounts.js';
import crypto from 'node:crypto';
import type { AppRuntimeSummary, InstanceReport, RestartReport, RevisionRuntimeStatus } from '../../core/ports/orchestrator.js';
import type { AdoptedInstance, InstanceStatus, OutputLine, ReadinessProbe } from '../../core/ports/runtime.js';
import type { App } from '../../domain/app.js';
import { instanceEnv } from '../../domain/instance-env.js';
import { instanceId } from '../../domain/names.js';
import { isServing, revisionArtifact } from '../../domain/revision.js';
import type { Revision } from '../../domain/revision.js';
import { defaultCrashPolicy, emptyCrashRecord, isCrashLooping, recordFailure, recordHealthy, recordStart } from './crash-backoff.js';
import type { CrashRecord } from './crash-backoff.js';
import { appSummary } from './app-summary.js';
import { appReplicas, desiredReplicas } from './desired-replicas.js';
import { loadDesiredState } from './load-desired-state.js';
import { InstanceTable } from './instance-table.js';
import { planInstances } from './plan-instances.js';
import { exitReason, quotable } from './exit-reasons.js';
import { instanceEvents } from './instance-events.js';
import { appFacts, awaitingRestart, revisionStatus } from './revision-status.js';
import type { ConditionHistory, RevisionFacts } from './revision-status.js';
import { Replacements, retirable } from './rolling-restart.js';
import { WarmWaiters } from './warm-waiters.js';
import { CrashedInstances } from './crashed-instances.js';
import type { TrackedInstance } from './instance-table.js';
import { trackedReport } from './tracked-report.js';
import type { Reconciler, ReconcilerOptions } from './reconciler-options.js';

export type { Reconciler, ReconcilerOptions } from './reconciler-options.js';

/** How much longer a warm-up waits than the instances' own readiness deadline. */
const warmSlackMs = 2_000;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
/** The longest a pass waits for the edge to serve its table (a stuck edge worker delays no answer longer). */
const publishWaitMs = 2_000;
/** How much longer than the drain timeout (and its grace) waiting for an app's instances to exit may take: the kill itself. */
const goneSlackMs = 5_000;

export function createReconciler(options: ReconcilerOptions): Reconciler {
  const o = {
    readyTimeoutMs: 60_000,
    drainTimeoutMs: 10_000,
    unrouteGraceMs: 500,
    intervalMs: 1_000,
    warmWindowMs: 15 * 60_000,
    warmRevisions: 1,
    workerReadyAfterMs: 1_000,
    pidsLimit: 512,
    startupCpuMillicores: 0,
    crashPolicy: defaultCrashPolicy,
    nodeName: 'localhost',
    ...options,
  };
  const tell = instanceEvents(o.events, o.nodeName);
  const replacements = new Replacements();
  const restarting = new Map<string, Promise<RestartReport>>();
  const crashed = new CrashedInstances();
  const table = new InstanceTable();
  const waiters = new WarmWaiters();
  const crashes = new Map<string, CrashRecord>();
  const warming = new Map<string, number>();
  const autoscaled = new Map<string, number>();
  const histories = new Map<string, ConditionHistory>();
  const lastStderr = new Map<string, string>();
  /** Revision ids that hold traffic, and the desired counts, as of the last pass. */
  let serving = new Set<string>();
  let lastDesired: ReadonlyMap<string, number> = new Map();
  let lastRevisions: ReadonlyMap<string, Revision> = new Map();
  let lastApps: ReadonlyMap<string, App> = new Map();
  const manualSeen = new Map<string, number | null>();
  let routeVersion = 0;
  let lastPublished = '';
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  const unsubscribe: (() => void)[] = [];

  const now = () => o.clock.now().getTime();
  const crashOf = (revisionId: string) => crashes.get(revisionId) ?? emptyCrashRecord();
  const readyCount = (revisionId: string) => table.ofRevision(revisionId).filter((i) => i.ready).length;

  function probeFor(app: App, revision: Revision): ReadinessProbe {
    if (!revision.config.listens) return { kind: 'uptime', minUptimeMs: o.workerReadyAfterMs };
    // The app's current probe settings apply, so fixing a wrong path needs no redeploy.
    if (app.readinessType === 'tcp') return { kind: 'tcp', timeoutMs: 2_000 };
    return { kind: 'http', path: app.readinessPath || revision.config.readinessPath || '/', timeoutMs: 2_000 };
  }

  async function publish(): Promise<void> {
    routeVersion += 1;
    // Waiting for the edge makes what a caller reads after reconcileNow() true of the edge as well.
    const served = o.publish(await o.buildRoutes({ version: routeVersion, endpoints: (id) => table.endpoints(id) }));
    if (served) await Promise.race([served, delay(publishWaitMs)]);
  }

  function failure(revisionId: string, reason: string, instance?: TrackedInstance): void {
    crashes.set(revisionId, recordFailure(crashOf(revisionId), now(), reason, o.crashPolicy));
    if (instance) {
      const { instanceId, appId, revisionName, restarts, startedAt } = instance;
      crashed.add({ instanceId, appId, revisionId, revisionName, restarts, startedAt, reason });
    }
    if (waiters.fail(revisionId, reason)) warming.delete(revisionId);
  }

  /** The app's `port`, then its image's EXPOSE, then its custom domains' `targetPort`: where to look when it does not listen on PORT. */
  async function preferredPorts(app: App, revision: Revision): Promise<number[]> {
    const targets = (await o.store.domains.list(app.id)).map((d) => d.targetPort);
    return [...new Set([app.port, revision.config.exposedPort ?? null, ...targets].filter((p): p is number => p !== null))];
  }

  async function startInstance(app: App, revision: Revision): Promise<void> {
    const id = instanceId(revision.name, crypto.randomBytes(3).toString('hex'));
    crashes.set(revision.id, recordStart(crashOf(revision.id)));
    const status = await o.runtime.start({
      instanceId: id,
      appId: app.id,
      revisionName: revision.name,
      artifact: revisionArtifact(revision),
      command: revision.config.command,
      env: instanceEnv(revision, o.platformEnv),
      listens: revision.config.listens,
      preferredPorts: revision.config.listens ? await preferredPorts(app, revision) : [],
      limits: {
        memoryMi: revision.config.memoryLimitMi,
        cpuMillicores: revision.config.cpuLimitMillicores,
        pids: o.pidsLimit,
        diskMi: app.diskLimitMi,
      },
      startupCpuMillicores: o.startupCpuMillicores,
      volumes: await volumeMounts(o.store, app.id),
    });
    const replaced = crashed.take(revision.id);
    tell.started(app.id, id, revision.name);
    table.add({
      instanceId: id,
      appId: app.id,
      revisionId: revision.id,
      revisionName: revision.name,
      startedAt: now(),
      ready: false,
      readyAt: null,
      stopping: false,
      address: status.address,
      memoryLimitMi: revision.config.memoryLimitMi,
      restarts: replaced === undefined ? 0 : replaced.restarts + 1,
    });
    o.runtime.waitReady(id, probeFor(app, revision), o.readyTimeoutMs).then(
      async () => {
        const found = await o.runtime.status(id);
        const tracked = table.get(id);
        if (!tracked || tracked.stopping) return;
        // The runtime found where the app really listens (it may not be PORT).
        tracked.address = found?.address ?? tracked.address;
        tracked.ready = true;
        tracked.readyAt = now();
        tell.ready(app.id, id, revision.name, revision.config.listens);
        waiters.settle(readyCount);
        void reconcile(false);
      },
      async (error: unknown) => {
        const exited = await o.runtime.status(id);
        const tracked = table.get(id);
        if (!tracked || tracked.stopping) return;
        // An exit says more than the probe that saw it: its code and the last line it wrote to stderr.
        const reason =
          exited?.phase === 'exited'
            ? `exited before it was ready: ${exitReason(exited, tracked.memoryLimitMi, lastStderr.get(id) ?? null)}`
            : error instanceof Error
              ? error.message
              : String(error);
        o.logger.warn({ instanceId: id, reason }, 'instance did not become ready');
        tell.unhealthy(app.id, id, reason);
        failure(revision.id, reason, tracked);
        tracked.stopping = true;
        void o.runtime.stop(id, { drainTimeoutMs: 0 }).finally(() => table.remove(id));
      },
    );
  }

  function onExit(status: InstanceStatus): void {
    const stderr = lastStderr.get(status.instanceId) ?? null;
    lastStderr.delete(status.instanceId);
    const tracked = table.remove(status.instanceId);
    replacements.settle(status.instanceId, null);
    if (!tracked || tracked.stopping || closed) return;
    const reason = exitReason(status, tracked.memoryLimitMi, stderr);
    o.logger.warn({ instanceId: status.instanceId, reason }, 'instance exited');
    tell.exited(tracked.appId, tracked.instanceId, tracked.revisionName, status.oomKilled, reason);
    failure(tracked.revisionId, reason, tracked);
    void reconcile(false);
  }

  function onOutput(line: OutputLine): void {
    if (line.stream !== 'stderr') return;
    const text = quotable(line.line);
    if (text !== null) lastStderr.set(line.instanceId, text);
  }

  /** One pass; publishes the route table when forced (the store changed) or instances changed. */
  async function tick(force: boolean): Promise<void> {
    if (closed) return;
    const { apps, appsById, traffic, revisions } = await loadDesiredState({ store: o.store, warmSince: new Date(now() - o.warmWindowMs), warming, waiters });
    for (const app of apps) {
      if (manualSeen.has(app.id) && manualSeen.get(app.id) !== app.replicas) autoscaled.delete(app.id);
      manualSeen.set(app.id, app.replicas);
    }
    for (const [revisionId] of warming) {
      if (!revisions.has(revisionId) || [...traffic.values()].some((s) => s.some((x) => x.revisionId === revisionId))) {
        if (!waiters.waiting(revisionId)) warming.delete(revisionId);
      }
    }
    for (const instance of table.live()) {
      if (instance.ready && instance.readyAt !== null && now() - instance.readyAt > o.crashPolicy.healthyAfterMs) {
        const record = crashes.get(instance.revisionId);
        if (record && record.failures.length > 0) crashes.set(instance.revisionId, recordHealthy(record));
      }
    }
    const desired = desiredReplicas({
      apps,
      traffic,
      revisions,
      autoscaled,
      warming,
      now: o.clock.now(),
      warmWindowMs: o.warmWindowMs,
      warmRevisions: o.warmRevisions,
    });
    serving = new Set([...traffic.values()].flatMap((splits) => splits.filter(isServing).map((s) => s.revisionId)));
    lastDesired = desired;
    lastRevisions = revisions;
    lastApps = appsById;
    // Instances marked for replacement (restart) do not count: the planner starts their successors.
    const plan = planInstances(
      desired,
      table
        .live()
        .filter((i) => !replacements.has(i.instanceId))
        .map((i) => ({ instanceId: i.instanceId, revisionId: i.revisionId, ready: i.ready, startedAt: i.startedAt })),
    );
    const stops = plan.stop.map((id) => ({ id, why: 'scaled down: its revision wants fewer instances' }));
    for (const { instanceId, by } of retirable(
      replacements.entries(),
      (revisionId) =>
        table
          .ofRevision(revisionId)
          .filter((i) => i.ready && !replacements.has(i.instanceId))
          .sort((a, b) => a.startedAt - b.startedAt)
          .map((i) => i.instanceId),
      (revisionId) => desired.get(revisionId) ?? 0,
    )) {
      stops.push({ id: instanceId, why: `replaced by ${by ?? 'nothing'} (restart)` });
      replacements.settle(instanceId, by);
    }
    for (const { id } of stops) {
      const tracked = table.get(id);
      if (tracked) tracked.stopping = true;
    }
    const endpointsNow = endpointSignature();
    if (force || stops.length > 0 || endpointsNow !== lastPublished) {
      lastPublished = endpointsNow;
      await publish();
    }
    for (const { id, why } of stops) void drainAndStop(id, why);
    for (const { revisionId, count } of plan.start) {
      const revision = revisions.get(revisionId);
      const app = revision ? appsById.get(revision.appId) : undefined;
      if (!revision || !app) continue;
      if (crashOf(revisionId).nextStartAt > now()) continue;
      for (let n = 0; n < count; n++) {
        try {
          await startInstance(app, revision);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          tell.failed(app.id, revision.name, reason);
          failure(revisionId, `could not start: ${reason}`);
          break;
        }
      }
    }
    waiters.settle(readyCount);
    for (const revision of revisions.values()) statusOf(revision.id, revision.status === 'failed' ? revision.statusMessage : null);
  }

  function factsOf(revisionId: string, failure: string | null): RevisionFacts {
    const instances = table.ofRevision(revisionId);
    const crash = crashOf(revisionId);
    return {
      desired: lastDesired.get(revisionId) ?? 0,
      ready: instances.filter((i) => i.ready).length,
      total: instances.length,
      stopping: table.all().filter((i) => i.revisionId === revisionId && i.stopping).length,
      crash,
      crashed: crashed.count(revisionId),
      crashLooping: isCrashLooping(crash, now(), o.crashPolicy),
      recentFailure: crash.lastFailureAt !== null && now() - crash.lastFailureAt < o.crashPolicy.loopWindowMs,
      failure,
      ...appFacts(lastApps.get(lastRevisions.get(revisionId)?.appId ?? ''), serving.has(revisionId)),
    };
  }

  function statusOf(revisionId: string, failure: string | null): RevisionRuntimeStatus {
    const history = histories.get(revisionId) ?? new Map();
    histories.set(revisionId, history);
    return revisionStatus(factsOf(revisionId, failure), history, new Date(now()).toISOString());
  }

  /**
   * Out of the route table already: wait the grace period, then until the edge has no request in
   * flight to the instance (bounded by the drain timeout), then SIGTERM with what is left of it.
   * Apps that exit on SIGTERM without finishing their requests lose none this way.
   */
  async function drainAndStop(id: string, why: string): Promise<void> {
    const started = now();
    const leaving = table.get(id);
    if (leaving) tell.killing(leaving.appId, id, why);
    await delay(o.unrouteGraceMs);
    const address = table.get(id)?.address ?? null;
    while (address && o.inFlight && o.inFlight(address) > 0 && now() - started < o.drainTimeoutMs) await delay(50);
    const left = Math.max(1_000, o.drainTimeoutMs - (now() - started));
    await o.runtime.stop(id, { drainTimeoutMs: left }).finally(() => {
      table.remove(id);
      if (leaving) o.onStopped?.(leaving.appId);
    });
  }

  function endpointSignature(): string {
    return table
      .live()
      .filter((i) => i.ready)
      .map((i) => i.instanceId)
      .sort()
      .join(',');
  }

  function reconcile(force: boolean): Promise<void> {
    const run = chain
      .then(() => tick(force))
      .catch((error: unknown) => {
        o.logger.error({ error: error instanceof Error ? error.message : String(error) }, 'reconcile failed');
      });
    chain = run;
    return run;
  }

  const reconcileNow = () => reconcile(true);

  /** One instance at a time: marked, replaced once its successor is ready, drained. */
  async function restartApp(appId: string, deadlineMs: number, startedBefore: number): Promise<RestartReport> {
    const servingNow = new Set((await o.store.traffic.get(appId)).filter(isServing).map((s) => s.revisionId));
    const targets = table.ofApp(appId).filter((i) => servingNow.has(i.revisionId) && i.startedAt < startedBefore);
    const replaced: RestartReport['replaced'] = [];
    for (const target of targets) {
      const current = table.get(target.instanceId);
      if (!current || current.stopping) continue; // gone meanwhile (failed, scaled down)
      const done = replacements.mark(target.instanceId, target.revisionId, deadlineMs, () => {
        void reconcile(false);
        const last = crashOf(target.revisionId).lastReason;
        return `the instance replacing ${target.instanceId} was not ready within ${Math.round(deadlineMs / 1000)} s${last ? ` (last failure: ${last})` : ''}`;
      });
      await reconcileNow();
      const by = await done;
      if (by !== target.instanceId) replaced.push({ instanceId: target.instanceId, by });
    }
    return { replaced };
  }

  /**
   * Instances a previous run left that the driver still runs: those of a revision that is still
   * wanted and that were ready serve again (the first pass stops extras); the others are stopped.
   */
  async function takeBack(adopted: readonly AdoptedInstance[]): Promise<void> {
    if (adopted.length === 0) return;
    const { revisions } = await loadDesiredState({ store: o.store, warmSince: new Date(now() - o.warmWindowMs), warming, waiters });
    const byName = new Map([...revisions.values()].map((r) => [`${r.appId}/${r.name}`, r]));
    for (const { status, artifact, ready } of adopted) {
      const revision = byName.get(`${status.appId}/${status.revisionName}`);
      const same = revision && revisionArtifact(revision).kind === artifact.kind;
      if (!revision || !same || !ready || status.phase === 'exited') {
        o.logger.warn({ instanceId: status.instanceId }, 'stopping an instance left by a previous run: nothing wants it');
        await o.runtime.stop(status.instanceId, { drainTimeoutMs: o.drainTimeoutMs });
        continue;
      }
      o.logger.info({ instanceId: status.instanceId }, 'adopted an instance left by a previous run');
      table.add({
        instanceId: status.instanceId,
        appId: status.appId,
        revisionId: revision.id,
        revisionName: revision.name,
        startedAt: status.startedAt.getTime(),
        ready: true,
        readyAt: now(),
        stopping: false,
        address: status.address,
        memoryLimitMi: revision.config.memoryLimitMi,
        restarts: 0,
      });
    }
  }

  return {
    async start() {
      unsubscribe.push(o.runtime.onExit(onExit));
      const { adopted, removed } = await o.runtime.adopt();
      if (removed > 0) o.logger.warn({ count: removed }, 'stopped instances left by a previous run');
      await takeBack(adopted);
      unsubscribe.push(o.runtime.onOutput(onOutput));
      await reconcileNow();
      timer = setInterval(() => void reconcile(false), o.intervalMs);
      timer.unref();
    },
    async stop(options) {
      closed = true;
      if (timer) clearInterval(timer);
      for (const off of unsubscribe) off();
      await chain;
      await o.runtime.close({ drainTimeoutMs: options?.drainTimeoutMs ?? o.drainTimeoutMs });
    },
    async warm(revisionId, replicas, deadlineMs) {
      warming.set(revisionId, Math.max(warming.get(revisionId) ?? 0, replicas));
      crashes.delete(revisionId);
      crashed.forget(revisionId);
      // The instances' own readiness deadline (same length, started a little later) says more
      // (what the app did) than this one: give it the time to answer first.
      const ready = waiters.wait(revisionId, replicas, deadlineMs + warmSlackMs, () => {
        // Nobody waits any more: the revision is wanted only if traffic or the warm window wants it.
        if (!waiters.waiting(revisionId)) warming.delete(revisionId);
        void reconcile(false);
        const last = crashOf(revisionId).lastReason;
        return `not ready within ${Math.round(deadlineMs / 1000)} s${last ? ` (last failure: ${last})` : ''}`;
      });
      await reconcileNow();
      return ready;
    },
    reconcileNow,
    async instances(appId, options = {}): Promise<InstanceReport[]> {
      const servingNow = new Set((await o.store.traffic.get(appId)).filter(isServing).map((s) => s.revisionId));
      // A crashed instance still being stopped is listed once: as waiting for its restart.
      const waiting = crashed.reports(appId, (revisionId) => awaitingRestart(factsOf(revisionId, null)), servingNow, o.nodeName);
      const waitingIds = new Set(waiting.map((w) => w.instanceId));
      const tracked = table.all().filter((i) => i.appId === appId && !waitingIds.has(i.instanceId));
      const withUsage = async (r: InstanceReport): Promise<InstanceReport> => (options.usage ? { ...r, usage: await o.runtime.usage(r.instanceId, { disk: options.disk === true }) } : r);
      const live = tracked.map((i) => withUsage(trackedReport(i, servingNow.has(i.revisionId), o.nodeName)));
      const runs = (o.jobRuns?.reports(appId, servingNow, o.nodeName) ?? []).map(withUsage);
      return [...(await Promise.all([...live, ...runs])), ...waiting.map((w) => (options.usage ? { ...w, usage: null } : w))];
    },
    restart(appId, { deadlineMs, startedBefore }) {
      const running = restarting.get(appId);
      if (running) return running;
      const run = restartApp(appId, deadlineMs, startedBefore.getTime()).finally(() => restarting.delete(appId));
      restarting.set(appId, run);
      return run;
    },
    revisionStatus(revisionId, failure = null): RevisionRuntimeStatus {
      const known = lastRevisions.get(revisionId);
      return statusOf(revisionId, failure ?? (known?.status === 'failed' ? known.statusMessage : null));
    },
    async appSummary(appId): Promise<AppRuntimeSummary> {
      const [app, splits] = await Promise.all([o.store.apps.byId(appId), o.store.traffic.get(appId)]);
      return appSummary({
        splits,
        instances: table.ofApp(appId),
        stopping: table.all().filter((i) => i.appId === appId && i.stopping).length,
        // A cron app wants no instance between its runs (the scheduler starts one per run), so none is missing.
        replicasPerRevision: app ? (app.type === 'cron' ? 0 : appReplicas(app, autoscaled)) : null,
        desired: (revisionId) => lastDesired.get(revisionId) ?? 0,
        usage: (id) => o.runtime.usage(id),
      });
    },
    async instancesGone(appId) {
      const deadline = now() + o.unrouteGraceMs + o.drainTimeoutMs + goneSlackMs;
      while (table.all().some((i) => i.appId === appId) && now() < deadline) await delay(50);
    },
    setAutoscaled(appId, replicas) {
      autoscaled.set(appId, replicas);
    },
    replicasFor(app) {
      return appReplicas(app, autoscaled);
    },
    readyInstances(appId) {
      return table
        .ofApp(appId)
        .filter((i) => i.ready && serving.has(i.revisionId))
        .map((i) => ({ instanceId: i.instanceId, revisionName: i.revisionName }));
    },
  };
}
