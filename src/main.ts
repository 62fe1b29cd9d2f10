// The composition root: config → store → core → engine (runtime, reconciler) → API and edge.
// The only place that constructs and wires everything; tests call it with their own choices.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApi } from './api/build-api.js';
import type { Config } from './config.js';
import { createCore } from './core/create-core.js';
import { resumeDatabases } from './core/databases/provision-database.js';
import { databaseServerGaveUp } from './core/databases/server-gave-up.js';
import { backUpAll } from './core/databases/database-backups.js';
import { startBackupSchedule } from './engine/databases/backup-schedule.js';
import { createDatabaseEngines } from './engine/databases/create-database-engines.js';
import { createVolumeStore } from './engine/volumes/volume-store.js';
import type { Core } from './core/create-core.js';
import { createArtifactPins, type AroundPrune } from './core/deploys/artifact-pins.js';
import { collectGarbage } from './core/deploys/collect-garbage.js';
import { pruneQuietly } from './core/deploys/prune-app.js';
import { sweepUploads } from './core/deploys/sweep-uploads.js';
import { createDatabaseProvisioning } from './core/databases/database-provisioning.js';
import { createDeploymentSignals } from './core/deploys/deployment-signals.js';
import { createEventRecorder } from './core/events/event-recorder.js';
import type { Deps } from './core/deps.js';
import { bootstrap } from './core/keys/bootstrap.js';
import { systemClock } from './core/ports/clock.js';
import type { Clock } from './core/ports/clock.js';
import type { DnsResolver } from './core/ports/dns.js';
import type { Orchestrator } from './core/ports/orchestrator.js';
import type { Runtime } from './core/ports/runtime.js';
import type { Store } from './core/ports/store.js';
import { recoverAfterRestart } from './core/recover-after-restart.js';
import { buildRouteTable } from './core/routing/build-route-table.js';
import { createIdGenerator, isIdOf } from './domain/ids.js';
import { createEdge } from './edge/create-edge.js';
import type { Edge } from './edge/create-edge.js';
import { createBuildLogHub } from './engine/builder/build-log-hub.js';
import { createBuildQueue } from './engine/builder/build-queue.js';
import { combineJobSources } from './engine/builder/job-sources.js';
import type { RunningBuildQueue } from './engine/builder/build-queue.js';
import { hostScopes } from './engine/host-scopes.js';
import { createBuilder } from './engine/builder/create-builder.js';
import { createAutoscaler } from './engine/reconciler/autoscaler.js';
import { createCronScheduler } from './engine/reconciler/cron-scheduler.js';
import { createReconciler } from './engine/reconciler/create-reconciler.js';
import { createContainerImages } from './engine/runtime/docker/container-images.js';
import { dockerClient } from './engine/runtime/docker/docker-client.js';
import { createSandboxedSteps } from './engine/runtime/process/steps/create-sandboxed-steps.js';
import { endAllPreviews, stopIdlePreviews } from './core/previews/manage-previews.js';
import { systemDns } from './engine/system-dns.js';
import { createStore } from './store/create-store.js';
import { createTelemetry } from './telemetry/create-telemetry.js';
import type { TelemetryService } from './telemetry/create-telemetry.js';
import { deferredTelemetry } from './telemetry/deferred-telemetry.js';
import { openStore } from './store/open-store.js';
import type { StoreBackend } from './store/open-store.js';
import { createSecretBox, loadSecretKey } from './store/secret-box.js';
import { appOrigin, edgeCertificates, edgeSettings, launchEdgeWorker } from './main/edge.js';
import { startDockerRuntime, startPreviewEngine, startProcessRuntime } from './main/runtimes.js';

export { edgeSettings, launchEdgeWorker } from './main/edge.js';

export const berthVersion = '0.1.0';

export interface StartOptions {
  clock?: Clock;
  dns?: DnsResolver;
  /** Wraps each prune as it starts, by scope (`app:<id>`, `all`, `uploads`): a seam for tests that hold or watch one. */
  aroundPrune?: AroundPrune;
}

export interface RunningBerth {
  apiUrl: string;
  apiPort: number;
  edgePort: number;
  /** Null when the edge serves no TLS (BERTH_EDGE_TLS_PORT unset). */
  edgeTlsPort: number | null;
  backend: StoreBackend;
  core: Core;
  /** The repositories the core runs on, for tests and tools that inspect what was stored. */
  store: Store;
  api: FastifyInstance;
  edge: Edge;
  runtime: Runtime;
  /** Logs, metrics, health and alerts (issue 5). */
  telemetry: TelemetryService;
  /** Set when this start created the workspace and its admin key (first start). */
  bootstrap: { workspaceId: string; plainKey: string | null; keyFile: string } | null;
  close(): Promise<void>;
}

function writeAdminKey(dataDir: string, plainKey: string): string {
  const file = path.join(dataDir, 'admin-key');
  fs.writeFileSync(file, `${plainKey}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}

export async function startBerth(config: Readonly<Config>, options: StartOptions = {}): Promise<RunningBerth> {
  const logger = pino({ level: config.logLevel, name: 'berth' });
  const clock = options.clock ?? systemClock;
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const box = createSecretBox(loadSecretKey(config.secretKeyHex, config.dataDir));
  const opened = await openStore({ databaseUrl: config.databaseUrl, sqlitePath: path.join(config.dataDir, 'berth.db') });
  const store = createStore(opened.db, box);
  const cleanups: (() => Promise<void>)[] = [() => opened.close()];
  /** Run first on close, in this order, before the cleanups (which run in reverse). */
  const firstSteps: (() => Promise<void>)[] = [];
  let closeStartedAt = Date.now();
  /** The drain time left, counted from the start of close (at least 1 s between SIGTERM and SIGKILL, as in a rollout). */
  const leftOfDrain = () => Math.max(1_000, config.drainTimeoutMs - (Date.now() - closeStartedAt));
  const closeAll = async () => {
    closeStartedAt = Date.now();
    for (const step of firstSteps.splice(0)) await step();
    for (const cleanup of cleanups.reverse()) await cleanup();
  };

  try {
    // Before the runtime, so it unmounts after every instance that uses a volume has stopped.
    const volumes = createVolumeStore({ rootDir: path.join(config.dataDir, 'volumes'), logger: logger.child({ component: 'volumes' }), bounded: config.isolation !== 'off' });
    cleanups.push(() => volumes.close());
    // Instances come from the configured driver only; build steps and release commands run as
    // sandboxed host processes whichever it is (the tree builder's own step driver).
    const runtime = config.containers.runtime === 'docker' ? await startDockerRuntime(config, logger, volumes, store) : await startProcessRuntime(config, logger, volumes);
    cleanups.push(() => runtime.close({ drainTimeoutMs: leftOfDrain() }));
    const scopes = hostScopes(config.dataDir, config.cgroupName);
    const buildSteps = await createSandboxedSteps({
      isolation: config.isolation,
      network: config.networkNamespaces ? config.isolation : 'off',
      cgroupRoot: scopes.builds.cgroupRoot,
      stateDir: scopes.builds.stateDir,
      uidsFile: scopes.builds.uidsFile,
      hiddenPaths: [config.dataDir],
      hostServices: config.hostServices,
      logger: logger.child({ component: 'builder' }),
    });
    cleanups.push(() => buildSteps.close());
    const previews = startPreviewEngine(config, logger, buildSteps);
    cleanups.push(() => previews.close());
    // The orchestrator is the reconciler; the core needs it before the reconciler exists.
    let orchestrator: Orchestrator | null = null;
    let telemetry: TelemetryService | null = null;
    let buildQueue: RunningBuildQueue | null = null;
    let edgeRef: Edge | null = null;
    const ids = createIdGenerator();
    const databaseEngines = await createDatabaseEngines({ dataDir: config.dataDir, volumes, logger: logger.child({ component: 'databases' }), backupsDir: path.join(config.dataDir, 'backups'),
      // Database servers are host processes on either driver: cgroups where host processes get them,
      // under a root of their own (the runtime sweeps its root of groups it does not know).
      cgroups: buildSteps.isolation.cgroups ? { mount: '/sys/fs/cgroup', root: scopes.databases.cgroupRoot } : null,
      programs: config.databases.programs,
      restartDelayMs: config.databases.restartDelayMs,
    });
    cleanups.push(() => databaseEngines.close());
    const events = createEventRecorder({ events: store.events, clock, ids, logger: logger.child({ component: 'events' }) });
    cleanups.push(() => events.flush());
    const deps: Deps = {
      store,
      clock,
      ids,
      dns: options.dns ?? systemDns,
      orchestrator: {
        warm: (id, n, deadlineMs) => required(orchestrator).warm(id, n, deadlineMs),
        reconcileNow: () => required(orchestrator).reconcileNow(),
        revisionStatus: (id, failure) => required(orchestrator).revisionStatus(id, failure),
        appSummary: (id) => required(orchestrator).appSummary(id),
        instances: (id, usage) => required(orchestrator).instances(id, usage),
        restart: (id, options) => required(orchestrator).restart(id, options),
        instancesGone: (id) => required(orchestrator).instancesGone(id),
        replicasFor: (app) => required(orchestrator).replicasFor(app),
      },
      settings: {
        baseDomain: config.baseDomain,
        edgePort: config.edgePort,
        edgeScheme: 'http',
        edgeTls: false,
        harborProject: config.harborProject,
        readyTimeoutMs: config.readyTimeoutMs,
        monitoring: { priceVcpuHour: config.telemetry.priceVcpuHour, priceGibHour: config.telemetry.priceGibHour, metricsToken: config.telemetry.metricsToken, sseHeartbeatMs: config.telemetry.sseHeartbeatMs },
        builds: {
          allowPrivateNetworks: config.builds.allowPrivateNetworks,
          maxUploadBytes: config.builds.maxUploadBytes,
          uploadUrlTtlMs: config.builds.uploadUrlTtlMs,
          publicUrl: config.builds.publicUrl,
          versionFiles: config.builds.versionFiles,
          keepRevisions: config.builds.keepRevisions,
        },
        databases: { queryTimeoutMs: config.databases.queryTimeoutMs, maxQueryRows: config.databases.maxQueryRows, backupKeep: config.databases.backupKeep },
        previews: { idleMs: config.previews.idleMs, maxPerWorkspace: config.previews.maxPerWorkspace },
      },
      telemetry: deferredTelemetry(() => telemetry),
      builder: createBuilder({
        rootDir: path.join(config.dataDir, 'builds'),
        steps: buildSteps,
        allowPrivateNetworks: config.builds.allowPrivateNetworks,
        buildTimeoutMs: config.builds.timeoutMs,
        maxExtractedBytes: config.builds.maxExtractedBytes,
        maxExtractedFiles: config.builds.maxExtractedFiles,
        platformEnv: {
          ...(config.cortexDbConnection ? { CORTEXDB_CONNECTION: config.cortexDbConnection } : {}),
          ...(config.harborProject ? { HARBOR_PROJECT: config.harborProject } : {}),
        },
        logger: logger.child({ component: 'builder' }),
        gcGraceMs: config.builds.artifactGraceMs,
        buildLimits: { memoryMi: config.builds.memoryMi, cpuMillicores: config.builds.cpuMillicores, pids: config.builds.pids },
        pruneDevDependencies: config.builds.pruneDevDependencies,
      }),
      buildQueue: { kick: () => buildQueue?.kick(), cancel: (id) => buildQueue?.cancel(id) ?? false, finished: (id) => buildQueue?.finished(id) ?? Promise.resolve() },
      buildLogs: createBuildLogHub({ repository: store.buildLogs, clock, logger: logger.child({ component: 'build-logs' }) }),
      appBuildLogs: createBuildLogHub({ repository: store.appBuildLogs, clock, logger: logger.child({ component: 'build-logs' }) }),
      signals: createDeploymentSignals(),
      pins: createArtifactPins(options.aroundPrune ? { around: options.aroundPrune } : {}),
      events,
      images: config.containers.runtime === 'docker' ? createContainerImages(dockerClient(config.containers.dockerHost), config.containers.registry) : null,
      databaseEngines,
      provisioning: createDatabaseProvisioning(),
      volumes,
      previews: previews.engine,
      // Preview hosts' routes carry their session's id as appId.
      previewTraffic: { idleTimes: () => edgeRef?.idleTimes() ?? Promise.resolve(new Map()) },
    };
    // After the queue, the reconciler and the sweeps have stopped (cleanups run in reverse): the
    // prunes they started end before the store closes.
    cleanups.push(() => deps.pins.settled());
    const core = createCore(deps);
    const edge = createEdge({
      ...edgeSettings(config),
      resolveKey: (key) => core.keyWorkspace(key),
      logger: logger.child({ component: 'edge' }),
      launchWorker: () => launchEdgeWorker(),
      certificates: edgeCertificates(config, store, clock),
    });
    edgeRef = edge;
    // New connections are refused (rather than sent to instances about to stop) while requests in
    // flight are served as the instances drain; what is still open when they are gone is cut.
    firstSteps.push(() => edge.stopAccepting());
    cleanups.push(() => edge.close());
    const edgePort = await edge.listen(config.edgePort, config.edgeHost);
    const edgeTlsPort = config.edge.tlsPort === null ? null : await edge.listenTls(config.edge.tlsPort, config.edgeHost);
    const origin = appOrigin(config, edgePort, edgeTlsPort);
    deps.settings.edgePort = origin.port;
    deps.settings.edgeScheme = origin.scheme;
    deps.settings.edgeTls = edgeTlsPort !== null;
    // Before the reconciler starts instances, so their first lines are logged.
    const monitoring = createTelemetry({
      store,
      runtime,
      edge,
      orchestrator: deps.orchestrator,
      clock,
      ids: deps.ids,
      logger: logger.child({ component: 'telemetry' }),
      config: config.telemetry,
    });
    await monitoring.start();
    telemetry = monitoring;
    cleanups.push(() => monitoring.stop());

    // Made before the reconciler, which lists a cron app's run in progress among its instances; started after it.
    const cron = createCronScheduler({
      store,
      runtime,
      clock,
      ids: deps.ids,
      logger: logger.child({ component: 'cron' }),
      platformEnv: { cortexDbConnection: config.cortexDbConnection, harborProject: config.harborProject },
      drainTimeoutMs: config.drainTimeoutMs,
    });
    const reconciler = createReconciler({
      store,
      runtime,
      clock,
      logger: logger.child({ component: 'reconciler' }),
      platformEnv: { cortexDbConnection: config.cortexDbConnection, harborProject: config.harborProject },
      buildRoutes: (input) => buildRouteTable(deps, { ...input, previewEndpoint: (id) => previews.engine.endpoint(id) }),
      publish: (table) => edge.setRoutes(table),
      inFlight: (endpoint) => edge.inFlight(endpoint),
      readyTimeoutMs: config.readyTimeoutMs,
      drainTimeoutMs: config.drainTimeoutMs,
      warmRevisions: config.warmRevisions,
      startupCpuMillicores: config.startupCpuMillicores,
      events,
      nodeName: os.hostname(),
      // A drained instance's tree was spared while it ran: prune its app again (one run for many stops).
      onStopped: (appId) => pruneQuietly(deps, appId),
      jobRuns: cron,
    });
    orchestrator = reconciler;
    const leftPreviews = await endAllPreviews(deps, 'Stopped: Berth restarted while this preview ran');
    if (leftPreviews > 0) logger.warn({ count: leftPreviews }, 'preview sessions left by a previous run marked stopped');
    const interrupted = await recoverAfterRestart(deps);
    if (interrupted > 0) logger.warn({ count: interrupted }, 'failed deployments interrupted by a restart');
    await reconciler.start();
    // Once the reconciler knows what runs: build output of every app that nothing keeps any more.
    void collectGarbage(deps).catch((error: unknown) => logger.warn({ err: error }, 'pruning old build output failed'));
    databaseEngines.onServerGaveUp((databaseId, reason) =>
      void databaseServerGaveUp(deps, { databaseId, reason }).catch((error: unknown) => logger.error({ err: error, databaseId }, 'recording a database server given up on failed')),
    );
    // Tracked before the API listens; the servers start in the background (they must not hold up the API).
    await resumeDatabases(deps);
    const backupCron = config.databases.backupCron;
    if (backupCron) {
      const schedule = startBackupSchedule({ cron: backupCron, now: () => clock.now(), run: () => backUpAll(deps), logger: logger.child({ component: 'backups' }) });
      cleanups.push(() => schedule.stop());
    }
    // As a rollout drains an instance: the edge answers what it has in flight before the instances
    // get SIGTERM, which most apps (Node's and Python's default) take as an order to exit at once.
    cleanups.push(async () => {
      if (!(await edge.requestsAnswered(closeStartedAt + config.drainTimeoutMs)))
        logger.warn({ drainTimeoutMs: config.drainTimeoutMs }, 'requests still in flight at the drain timeout: stopping the instances anyway');
      await reconciler.stop({ drainTimeoutMs: leftOfDrain() });
    });
    // Before the reconciler stops: the rows say stopped, then the dev servers go.
    cleanups.push(async () => void (await endAllPreviews(deps, 'Stopped: Berth stopped')));
    const idleSweep = setInterval(
      () => void stopIdlePreviews(deps).catch((error: unknown) => logger.warn({ err: error }, 'idle preview sweep failed')),
      Math.min(5_000, Math.max(250, Math.floor(config.previews.idleMs / 4))),
    );
    idleSweep.unref();
    cleanups.push(async () => clearInterval(idleSweep));
    // Expired uploads never completed go even when no deploy prunes their app.
    const uploadSweep = setInterval(
      () => void sweepUploads(deps).catch((error: unknown) => logger.warn({ err: error }, 'sweeping expired uploads failed')),
      config.builds.uploadSweepMs,
    );
    uploadSweep.unref();
    cleanups.push(async () => clearInterval(uploadSweep));
    const queue = createBuildQueue({
      // Deployments' builds and app builds (spec 003) share the queue: never two builds of one app at once.
      jobs: combineJobSources([
        { owns: (id) => isIdOf('build', id), jobs: core.appBuildJobs },
        { owns: (id) => !isIdOf('build', id), jobs: store.builds },
      ]),
      concurrency: config.builds.concurrency,
      run: (jobId, signal) => (isIdOf('build', jobId) ? core.runAppBuild({ buildId: jobId, signal }) : core.runDeployment({ deploymentId: jobId, signal })),
      logger: logger.child({ component: 'build-queue' }),
    });
    buildQueue = queue;
    await queue.start();
    cleanups.push(() => queue.stop());
    const autoscaler = createAutoscaler({
      store,
      runtime,
      reconciler,
      clock,
      logger: logger.child({ component: 'autoscaler' }),
      intervalMs: config.autoscaleIntervalMs,
      stabilizationWindowMs: config.autoscaleWindowMs,
      events,
    });
    autoscaler.start();
    cleanups.push(async () => autoscaler.stop());
    await cron.start();
    cleanups.push(async () => cron.stop());

    const boot = await bootstrap(deps, { bootstrapKey: config.bootstrapKey });
    const keyFile = boot?.plainKey ? writeAdminKey(config.dataDir, boot.plainKey) : null;
    const api = await buildApi({ core, maxBodyBytes: config.maxBodyBytes, logLevel: config.logLevel, version: berthVersion, consoleDir: config.consoleDir });
    await api.listen({ port: config.apiPort, host: config.apiHost });
    cleanups.push(async () => {
      const closing = api.close();
      // Log streams never end by themselves and would hold the close forever: after a short grace
      // for ordinary requests they are cut (their readers reconnect, with Last-Event-ID, to the next start).
      const cut = setTimeout(() => api.server.closeAllConnections(), 2_000);
      await closing;
      clearTimeout(cut);
    });
    const address = api.server.address();
    const apiPort = typeof address === 'object' && address ? address.port : config.apiPort;

    return {
      apiUrl: `http://${config.apiHost}:${apiPort}`,
      apiPort,
      edgePort,
      edgeTlsPort,
      backend: opened.backend,
      core,
      store,
      api,
      edge,
      runtime,
      telemetry: monitoring,
      bootstrap: boot && keyFile ? { workspaceId: boot.workspace.id, plainKey: boot.plainKey, keyFile } : null,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function required<T>(value: T | null): T {
  if (value === null) throw new Error('Berth is still starting');
  return value;
}
