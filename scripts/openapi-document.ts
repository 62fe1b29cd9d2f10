// Generates Berth's OpenAPI document exactly as a running Berth serves it (buildApi over a core
// on an in-memory SQLite store), serialized with sorted keys and formatted as prettier would, so the
// checked-in file diffs cleanly and `npm run format` leaves it alone.
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { buildApi } from '../src/api/build-api.js';
import { createCore } from '../src/core/create-core.js';
import { createDatabaseProvisioning } from '../src/core/databases/database-provisioning.js';
import { createArtifactPins } from '../src/core/deploys/artifact-pins.js';
import { createDeploymentSignals } from '../src/core/deploys/deployment-signals.js';
import type { Deps } from '../src/core/deps.js';
import { systemClock } from '../src/core/ports/clock.js';
import type { Orchestrator } from '../src/core/ports/orchestrator.js';
import type { Telemetry } from '../src/core/ports/telemetry.js';
import { createIdGenerator } from '../src/domain/ids.js';
import { berthVersion } from '../src/main.js';
import { createStore } from '../src/store/create-store.js';
import { openStore } from '../src/store/open-store.js';
import { createSecretBox } from '../src/store/secret-box.js';

export const openApiFile = 'docs/openapi.json';

/** Nothing runs while the document is written; a call to these would be a bug in this script. */
function unavailable(what: string): never {
  throw new Error(`${what} is not available while writing the OpenAPI document`);
}

const noOrchestrator: Orchestrator = {
  warm: () => unavailable('the orchestrator'),
  reconcileNow: () => unavailable('the orchestrator'),
  revisionStatus: () => unavailable('the orchestrator'),
  appSummary: () => unavailable('the orchestrator'),
  instances: () => unavailable('the orchestrator'),
  restart: () => unavailable('the orchestrator'),
  instancesGone: () => unavailable('the orchestrator'),
  replicasFor: () => unavailable('the orchestrator'),
};

const noTelemetry: Telemetry = {
  tailLogs: () => unavailable('telemetry'),
  unstoredLogs: () => unavailable('telemetry'),
  appMetrics: () => unavailable('telemetry'),
  healthStatusesNow: () => unavailable('telemetry'),
  appHealthNow: () => unavailable('telemetry'),
  exposition: () => unavailable('telemetry'),
  alertResolved: () => unavailable('telemetry'),
};

/** The document as plain data. */
export async function generateOpenApi(): Promise<Record<string, unknown>> {
  const opened = await openStore({ databaseUrl: null, sqlitePath: ':memory:' });
  const deps: Deps = {
    store: createStore(opened.db, createSecretBox(Buffer.alloc(32))),
    clock: systemClock,
    ids: createIdGenerator(),
    dns: { cname: async () => [], txt: async () => [] },
    images: null,
    orchestrator: noOrchestrator,
    settings: {
      baseDomain: 'localhost',
      edgePort: 8080,
      edgeScheme: 'http',
      edgeTls: false,
      harborProject: null,
      readyTimeoutMs: 60_000,
      monitoring: { priceVcpuHour: 0, priceGibHour: 0, metricsToken: null, sseHeartbeatMs: 15_000 },
      builds: { allowPrivateNetworks: false, maxUploadBytes: 512 * 1024 * 1024, uploadUrlTtlMs: 900_000, publicUrl: null, versionFiles: { maxFileBytes: 1024 * 1024, maxFiles: 2000, maxTreeBytes: 50 * 1024 * 1024 }, keepRevisions: 10 },
      databases: { queryTimeoutMs: 5_000, maxQueryRows: 1000, backupKeep: 7 },
      previews: { idleMs: 300_000, maxPerWorkspace: 3 },
    },
    telemetry: noTelemetry,
    builder: {
      checkGitUrl: () => unavailable('the builder'),
      fetch: () => unavailable('the builder'),
      materialize: () => unavailable('the builder'),
      build: () => unavailable('the builder'),
      checkout: () => unavailable('the builder'),
      hasTree: () => unavailable('the builder'),
      release: () => unavailable('the builder'),
      receiveUpload: () => unavailable('the builder'),
      uploadProblem: () => unavailable('the builder'),
      discardUpload: () => unavailable('the builder'),
      hasUpload: () => unavailable('the builder'),
      cleanup: () => unavailable('the builder'),
      collectGarbage: () => unavailable('the builder'),
      storedUploads: () => unavailable('the builder'),
      removeOutput: () => unavailable('the builder'),
      forgetApp: () => unavailable('the builder'),
    },
    buildQueue: { kick: () => unavailable('the build queue'), cancel: () => unavailable('the build queue'), finished: () => unavailable('the build queue') },
    buildLogs: {
      writer: () => unavailable('build logs'),
      close: () => unavailable('build logs'),
      follow: () => unavailable('build logs'),
      expect: () => unavailable('build logs'),
      unflushed: () => unavailable('build logs'),
    },
    appBuildLogs: {
      writer: () => unavailable('build logs'),
      close: () => unavailable('build logs'),
      follow: () => unavailable('build logs'),
      expect: () => unavailable('build logs'),
      unflushed: () => unavailable('build logs'),
    },
    signals: createDeploymentSignals(),
    provisioning: createDatabaseProvisioning(),
    pins: createArtifactPins(),
    events: { record: () => unavailable('events') },
    databaseEngines: {
      versions: () => [],
      missing: () => null,
      provision: () => unavailable('database engines'),
      destroy: () => unavailable('database engines'),
      stopServer: () => unavailable('database engines'),
      query: () => unavailable('database engines'),
      serverState: () => unavailable('database engines'),
      onServerGaveUp: () => undefined,
      close: async () => undefined,
      backups: {
        take: () => unavailable('backups'),
        list: () => unavailable('backups'),
        restore: () => unavailable('backups'),
        prune: () => unavailable('backups'),
        removeAll: () => unavailable('backups'),
      },
    },
    volumes: { remove: () => unavailable('volumes') },
    previews: {
      hydrate: () => unavailable('previews'),
      install: () => unavailable('previews'),
      serve: () => unavailable('previews'),
      stop: () => unavailable('previews'),
      writeFile: () => unavailable('previews'),
      deleteFile: () => unavailable('previews'),
      endpoint: () => null,
    },
    previewTraffic: { idleTimes: async () => new Map() },
  };
  const api = await buildApi({
    core: createCore(deps),
    maxBodyBytes: 1024 * 1024,
    logLevel: 'silent',
    version: berthVersion,
  });
  try {
    await api.ready();
    return JSON.parse(JSON.stringify(api.swagger())) as Record<string, unknown>;
  } finally {
    await api.close();
    await opened.close();
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, inner]) => [key, sortKeys(inner)]),
  );
}

/** Pretty JSON with object keys in code-point order (array order is meaningful and kept). */
export async function stableJson(value: unknown): Promise<string> {
  const filepath = path.resolve(import.meta.dirname, '..', openApiFile);
  const options = (await resolveConfig(filepath)) ?? {};
  return format(JSON.stringify(sortKeys(value)), { ...options, filepath });
}
