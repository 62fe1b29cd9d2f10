// Makes the running instances match the store's desired state: starts and stops instances,
// probes readiness, restarts crashes with backoff, publishes the route table after every
// change (new instances join only once ready; old ones leave before they are stopped), and
// warms revisions for the core before it moves traffic to them.
import crypto from 'node:crypto';
import type { Clock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import type { AppRuntimeSummary, Orchestrator, RevisionRuntimeStatus } from '../../core/ports/orchestrator.js';
import type { Endpoint, RouteTable } from '../../core/ports/route-table.js';
import type { InstanceStatus, ReadinessProbe, Runtime } from '../../core/ports/runtime.js';
import type { Store } from '../../core/ports/store.js';
import type { App } from '../../domain/app.js';
import { instanceEnv } from '../../domain/instance-env.js';
import type { PlatformEnv } from '../../domain/instance-env.js';
import { instanceId } from '../../domain/names.js';
import type { Revision } from '../../domain/revision.js';
import { defaultCrashPolicy, emptyCrashRecord, isCrashLooping, recordFailure, recordHealthy } from './crash-backoff.js';
import type { CrashPolicy, CrashRecord } from './crash-backoff.js';
import { appReplicas, desiredReplicas } from './desired-replicas.js';
import { InstanceTable } from './instance-table.js';
import { planInstances } from './plan-instances.js';
import { revisionStatus } from './revision-status.js';
import { WarmWaiters } from './warm-waiters.js';

export interface ReconcilerOptions {
  store: Store;
  runtime: Runtime;
  clock: Clock;
  logger: Logger;
  platformEnv: PlatformEnv;
  buildRoutes: (input: {
    version: number;
    endpoints: (revisionId: string) => readonly Endpoint[];
  }) => Promise<RouteTable>;
  publish: (table: RouteTable) => void;
  readyTimeoutMs?: number;
  drainTimeoutMs?: number;
  /** Time between taking an instance out of the route table and signalling it to stop. */
  unrouteGraceMs?: number;
  /** Requests the edge still has in flight to an instance; it is signalled once they are answered. */
  inFlight?: (endpoint: Endpoint) => number;
  intervalMs?: number;
  warmWindowMs?: number;
  workerReadyAfterMs?: number;
  pidsLimit?: number;
  /** Cpu an instance may use until it is first ready, when above its limit (0: no boost). */
  startupCpuMillicores?: number;
  crashPolicy?: CrashPolicy;
}

export interface Reconciler extends Orchestrator {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Autoscaler's choice for an app (replicas within min..max); a manual scale clears it. */
  setAutoscaled(appId: string, replicas: number): void;
  /** Replicas the app runs per serving revision now (manual, autoscaled or minimum). */
  replicasFor(app: App): number;
  readyInstances(appId: string): { instanceId: string; revisionName: string }[];
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export function createReconciler(options: ReconcilerOptions): Reconciler {
  const o = {
    readyTimeoutMs: 60_000,
    drainTimeoutMs: 10_000,
    unrouteGraceMs: 500,
    intervalMs: 1_000,
    warmWindowMs: 15 * 60_000,
    workerReadyAfterMs: 1_000,
    pidsLimit: 512,
    startupCpuMillicores: 0,
    crashPolicy: defaultCrashPolicy,
    ...options,
  };
  const table = new InstanceTable();
  const waiters = new WarmWaiters();
  const crashes = new Map<string, CrashRecord>();
  const warming = new Map<string, number>();
  const autoscaled = new Map<string, number>();
  const transitions = new Map<string, string>();
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
    o.publish(await o.buildRoutes({ version: routeVersion, endpoints: (id) => table.endpoints(id) }));
  }

  function failure(revisionId: string, reason: string): void {
    crashes.set(revisionId, recordFailure(crashOf(revisionId), now(), reason, o.crashPolicy));
    if (waiters.fail(revisionId, reason)) warming.delete(revisionId);
    if (isCrashLooping(crashOf(revisionId), now(), o.crashPolicy))
      transitions.set(`${revisionId}:CrashLoop`, new Date(now()).toISOString());
  }

  async function startInstance(app: App, revision: Revision): Promise<void> {
    const id = instanceId(revision.name, crypto.randomBytes(3).toString('hex'));
    const status = await o.runtime.start({
      instanceId: id,
      appId: app.id,
      revisionName: revision.name,
      workDir: revision.artifactDir,
      command: revision.config.command,
      env: instanceEnv(revision, o.platformEnv),
      listens: revision.config.listens,
      limits: {
        memoryMi: revision.config.memoryLimitMi,
        cpuMillicores: revision.config.cpuLimitMillicores,
        pids: o.pidsLimit,
      },
      startupCpuMillicores: o.startupCpuMillicores,
    });
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
    });
    o.runtime.waitReady(id, probeFor(app, revision), o.readyTimeoutMs).then(
      () => {
        const tracked = table.get(id);
        if (!tracked || tracked.stopping) return;
        tracked.ready = true;
        tracked.readyAt = now();
        transitions.set(`${revision.id}:Ready`, new Date(now()).toISOString());
        waiters.settle(readyCount);
        void reconcile(false);
      },
      (error: unknown) => {
        const tracked = table.get(id);
        if (!tracked || tracked.stopping) return;
        const reason = error instanceof Error ? error.message : String(error);
        o.logger.warn({ instanceId: id, reason }, 'instance did not become ready');
        failure(revision.id, reason);
        tracked.stopping = true;
        void o.runtime.stop(id, { drainTimeoutMs: 0 }).finally(() => table.remove(id));
      },
    );
  }

  function onExit(status: InstanceStatus): void {
    const tracked = table.remove(status.instanceId);
    if (!tracked || tracked.stopping || closed) return;
    const reason = status.oomKilled
      ? 'OOMKilled: the instance exceeded its memory limit'
      : `exited with ${status.exitCode !== null ? `code ${status.exitCode}` : `signal ${status.signal ?? 'unknown'}`}`;
    o.logger.warn({ instanceId: status.instanceId, reason }, 'instance exited');
    if (status.oomKilled) transitions.set(`${tracked.revisionId}:OOMKilled`, new Date(now()).toISOString());
    failure(tracked.revisionId, reason);
    void reconcile(false);
  }

  async function loadDesiredState() {
    const [withTraffic, traffic, relevant] = await Promise.all([
      o.store.apps.listWithTraffic(),
      o.store.traffic.all(),
      o.store.revisions.listForReconcile(new Date(now() - o.warmWindowMs)),
    ]);
    const revisions = new Map<string, Revision>(relevant.map((r) => [r.id, r]));
    const appsById = new Map(withTraffic.map((a) => [a.id, a]));
    for (const revisionId of warming.keys()) {
      const revision = revisions.get(revisionId) ?? (await o.store.revisions.byId(revisionId));
      if (!revision) continue;
      revisions.set(revision.id, revision);
      if (!appsById.has(revision.appId)) {
        const app = await o.store.apps.byId(revision.appId);
        if (app) appsById.set(app.id, app);
      }
    }
    return { apps: [...appsById.values()], appsById, traffic, revisions };
  }

  /** One pass; publishes the route table when forced (the store changed) or instances changed. */
  async function tick(force: boolean): Promise<void> {
    if (closed) return;
    const { apps, appsById, traffic, revisions } = await loadDesiredState();
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
    });
    const plan = planInstances(
      desired,
      table
        .live()
        .map((i) => ({ instanceId: i.instanceId, revisionId: i.revisionId, ready: i.ready, startedAt: i.startedAt })),
    );
    for (const id of plan.stop) {
      const tracked = table.get(id);
      if (tracked) tracked.stopping = true;
    }
    const endpointsNow = endpointSignature();
    if (force || plan.stop.length > 0 || endpointsNow !== lastPublished) {
      lastPublished = endpointsNow;
      await publish();
    }
    for (const id of plan.stop) void drainAndStop(id);
    for (const { revisionId, count } of plan.start) {
      const revision = revisions.get(revisionId);
      const app = revision ? appsById.get(revision.appId) : undefined;
      if (!revision || !app) continue;
      if (crashOf(revisionId).nextStartAt > now()) continue;
      for (let n = 0; n < count; n++) {
        try {
          await startInstance(app, revision);
        } catch (error) {
          failure(revisionId, `could not start: ${error instanceof Error ? error.message : String(error)}`);
          break;
        }
      }
    }
    waiters.settle(readyCount);
  }

  /**
   * Out of the route table already: wait the grace period, then until the edge has no request in
   * flight to the instance (bounded by the drain timeout), then SIGTERM with what is left of it.
   * Apps that exit on SIGTERM without finishing their requests lose none this way.
   */
  async function drainAndStop(id: string): Promise<void> {
    const started = now();
    await delay(o.unrouteGraceMs);
    const address = table.get(id)?.address ?? null;
    while (address && o.inFlight && o.inFlight(address) > 0 && now() - started < o.drainTimeoutMs) await delay(50);
    const left = Math.max(1_000, o.drainTimeoutMs - (now() - started));
    await o.runtime.stop(id, { drainTimeoutMs: left }).finally(() => table.remove(id));
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

  return {
    async start() {
      const killed = await o.runtime.cleanupOrphans();
      if (killed > 0) o.logger.warn({ count: killed }, 'stopped instances left by a previous run');
      unsubscribe.push(o.runtime.onExit(onExit));
      await reconcileNow();
      timer = setInterval(() => void reconcile(false), o.intervalMs);
      timer.unref();
    },
    async stop() {
      closed = true;
      if (timer) clearInterval(timer);
      for (const off of unsubscribe) off();
      await chain;
      await o.runtime.close({ drainTimeoutMs: o.drainTimeoutMs });
    },
    async warm(revisionId, replicas) {
      warming.set(revisionId, Math.max(warming.get(revisionId) ?? 0, replicas));
      crashes.delete(revisionId);
      const ready = waiters.wait(revisionId, replicas);
      await reconcileNow();
      return ready;
    },
    reconcileNow,
    revisionStatus(revisionId): RevisionRuntimeStatus {
      const instances = table.all().filter((i) => i.revisionId === revisionId);
      return revisionStatus({
        instances,
        crash: crashOf(revisionId),
        crashLooping: isCrashLooping(crashOf(revisionId), now(), o.crashPolicy),
        transitions: (type) => transitions.get(`${revisionId}:${type}`) ?? null,
      });
    },
    async appSummary(appId): Promise<AppRuntimeSummary> {
      const instances = table.ofApp(appId);
      const usages = await Promise.all(instances.filter((i) => i.ready).map((i) => o.runtime.usage(i.instanceId)));
      const known = usages.filter((u) => u !== null);
      return {
        readyReplicas: instances.filter((i) => i.ready).length,
        totalReplicas: instances.length,
        cpuUsageMillicores: known.length ? Math.round(known.reduce((s, u) => s + u.cpuPercent * 10, 0)) : null,
        memoryUsageMi: known.length ? Math.round(known.reduce((s, u) => s + u.memoryMi, 0)) : null,
      };
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
        .filter((i) => i.ready)
        .map((i) => ({ instanceId: i.instanceId, revisionName: i.revisionName }));
    },
  };
}
