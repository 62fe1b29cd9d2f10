// The one place that reads process.env: every setting is parsed, validated and frozen here,
// and the rest of Berth receives its slice. Units live in the names.
import { availableParallelism, homedir } from 'node:os';
import path from 'node:path';
import { Cron } from 'croner';
import { fileURLToPath } from 'node:url';
import { ConfigError, count, decimal, duration, durationFrom, flag, httpUrl, port, text, type Env } from './config/env-values.js';
import { databasePrograms, type DatabaseProgramsConfig } from './config/database-programs.js';

export { ConfigError };

export interface Config {
  apiPort: number;
  apiHost: string;
  edgePort: number;
  edgeHost: string;
  /** The edge's TLS, its workers and how clients reach it (issue 16). */
  edge: EdgeConfig;
  baseDomain: string;
  dataDir: string;
  /** The built web console served at `/` (web/dist of this checkout by default). */
  consoleDir: string;
  /** Absent: SQLite in the data dir. */
  databaseUrl: string | null;
  bootstrapKey: string | null;
  /** 32 bytes as 64 hex chars, or null to use/generate `{dataDir}/secret-key`. */
  secretKeyHex: string | null;
  maxBodyBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Injected into every instance when set (spec 000: Harbor). */
  cortexDbConnection: string | null;
  harborProject: string | null;
  /** Sandbox, cgroup and network isolation of instances: `auto` uses what the machine allows, `required` refuses to start without all of it. */
  isolation: 'auto' | 'off' | 'required';
  /** A network namespace per instance (false: BERTH_INSTANCE_CIDR=off, the shared host network). */
  networkNamespaces: boolean;
  /** The instances' IPv4 range; null: a free /16 picked at start. */
  instanceCidr: string | null;
  /** Host services instances may reach (BERTH_HOST_SERVICES); empty by default. */
  hostServices: readonly HostServiceConfig[];
  /** Name of Berth's cgroup under each v1 controller. */
  cgroupName: string;
  readyTimeoutMs: number;
  /** Recently served revisions kept warm per app (one instance each, for 15 minutes). */
  warmRevisions: number;
  drainTimeoutMs: number;
  /** Cpu an instance may use until it is first ready, when above its limit (0: off). */
  startupCpuMillicores: number;
  autoscaleIntervalMs: number;
  autoscaleWindowMs: number;
  /** Logs, metrics, health and alerts (issue 5). */
  telemetry: TelemetryConfig;
  /** Sources, builds and uploads (issue 4). */
  builds: BuildConfig;
  /** Which driver runs instances, and the container engine when it is docker (issue 11). */
  containers: ContainerConfig;
  /** Managed databases (issue 15). */
  databases: DatabasesConfig;
  /** Preview sessions (spec 003). */
  previews: PreviewsConfig;
}

export interface PreviewsConfig {
  /** Sessions without a keepalive or edge traffic for this long are stopped (BERTH_PREVIEW_IDLE_MS). */
  idleMs: number;
  /** Sessions a workspace may run at once (BERTH_PREVIEW_MAX_PER_WORKSPACE). */
  maxPerWorkspace: number;
}

export interface DatabasesConfig {
  /** statement_timeout of the query endpoint (BERTH_DB_QUERY_TIMEOUT_MS). */
  queryTimeoutMs: number;
  /** Rows a query may return at most, whatever maxRows asks (BERTH_DB_QUERY_MAX_ROWS). */
  maxQueryRows: number;
  /** When every running database is backed up (BERTH_DB_BACKUP_CRON, cron syntax read in UTC); null: never. */
  backupCron: string | null;
  /** Backups kept per database (BERTH_DB_BACKUP_KEEP). */
  backupKeep: number;
  /** The wait before restarting a database server that exited, doubled after each failed start (BERTH_DB_RESTART_DELAY_MS). */
  restartDelayMs: number;
  /** Where sqlite3, pg_dump, pg_restore and redis-server are (BERTH_*_BIN, else PATH). */
  programs: DatabaseProgramsConfig;
}

export interface ContainerConfig {
  /** BERTH_RUNTIME: `process` (default) or `docker` (instances are containers on the Docker Engine). */
  runtime: 'process' | 'docker';
  /** DOCKER_HOST: unix:///path or tcp://host:port; null: the default socket. */
  dockerHost: string | null;
  /** BERTH_REGISTRY: where images Berth builds are pushed (host[:port][/path]); null: kept in the local engine. */
  registry: string | null;
}

/** `postgres=127.0.0.1:5432`: inside each namespace, `postgres` resolves to an address where port 5432 reaches it. */
export interface HostServiceConfig {
  name: string;
  host: string;
  port: number;
}

/** The edge beyond its plain listener (issue 16). */
export interface EdgeConfig {
  /** Worker processes serving traffic; 0: Berth's own process serves it. */
  workers: number;
  /** The TLS listener's port, or null for none. */
  tlsPort: number | null;
  /** How clients reach the edge when something else is in front (a TLS load balancer): scheme and port of app URLs. */
  publicUrl: { scheme: 'http' | 'https'; port: number } | null;
  /** The operator's certificate and key (PEM files), e.g. for `*.{base}`. */
  certFile: string | null;
  keyFile: string | null;
  /** Null: no ACME (BERTH_ACME_DIRECTORY_URL=off). */
  acme: AcmeConfig | null;
  /** A TLS client that has not finished its handshake this long after connecting is hung up on. */
  tlsHandshakeTimeoutMs: number;
  /** A WebSocket tunnel with no byte either way for this long is closed. */
  tunnelIdleTimeoutMs: number;
  /** After one side of a tunnel ends its stream, the other has this long to end too. */
  tunnelHalfOpenMs: number;
  /** An HTTP/2 connection with no frame either way for this long is closed. */
  h2IdleTimeoutMs: number;
}

export interface AcmeConfig {
  directoryUrl: string;
  email: string | null;
  /** PEM file of CAs to trust for the ACME server itself (a private or test CA). */
  caFile: string | null;
  /** First retry after a failed issuance; doubles per failure up to a day. */
  retryMs: number;
}

export const letsEncryptProduction = 'https://acme-v02.api.letsencrypt.org/directory';
export const letsEncryptStaging = 'https://acme-staging-v02.api.letsencrypt.org/directory';

/** Sources, builds and uploads (issue 4). */
export interface BuildConfig {
  /** Git sources may use http:// and hosts on loopback, private or link-local networks. */
  allowPrivateNetworks: boolean;
  concurrency: number;
  /** Per step (clone, install, build, release). */
  timeoutMs: number;
  maxUploadBytes: number;
  uploadUrlTtlMs: number;
  maxExtractedBytes: number;
  maxExtractedFiles: number;
  /** App version file trees (spec 003): one file, the number of files, the whole tree. */
  versionFiles: { maxFileBytes: number; maxFiles: number; maxTreeBytes: number };
  /** Base of presigned upload URLs; null: the scheme and host the client used. */
  publicUrl: string | null;
  /** Unkept artifacts younger than this are not collected (a deploy may be about to use them). */
  artifactGraceMs: number;
  /** Per app, the newest revisions whose artifacts are kept for rollback (BERTH_KEEP_REVISIONS). */
  keepRevisions: number;
  /** Node.js artifacts go without devDependencies when nothing run in them needs one (BERTH_PRUNE_DEV_DEPENDENCIES). */
  pruneDevDependencies: boolean;
  /** How often tarballs of expired, never completed uploads are removed without waiting for a deploy (BERTH_UPLOAD_SWEEP_MS). */
  uploadSweepMs: number;
  /** Floor of a build step's cgroup limits; an app whose own limits are higher gets those. */
  memoryMi: number;
  cpuMillicores: number;
  /** Processes (and threads) one build step may run at once. */
  pids: number;
}

/** Logs, metrics, health and alerts (issue 5). */
export interface TelemetryConfig {
  logRetentionDays: number;
  logMaxBytesPerApp: number;
  metricsIntervalMs: number;
  healthIntervalMs: number;
  sseHeartbeatMs: number;
  prometheusUrl: string | null;
  metricsToken: string | null;
  alertWebhookUrl: string | null;
  alertWebhookRetryBaseMs: number;
  priceVcpuHour: number;
  priceGibHour: number;
  alerts: {
    cpuPercent: number;
    memoryPercent: number;
    /** High cpu and memory must hold this long before an alert opens (and clear this long before it resolves). */
    sustainMs: number;
    errorRatePercent: number;
    latencyP95Ms: number;
    /** Error rate and latency are judged over this window, with at least `minRequests` in it. */
    windowMs: number;
    minRequests: number;
  };
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function baseDomain(env: Env): string {
  const raw = (text(env, 'BERTH_BASE_DOMAIN') ?? 'localhost').toLowerCase();
  const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
  if (raw.length > 200 || !raw.split('.').every((part) => label.test(part))) {
    throw new ConfigError('BERTH_BASE_DOMAIN', `must be a DNS name such as apps.example.com, got "${raw}"`);
  }
  return raw;
}

function databaseUrl(env: Env): string | null {
  const raw = text(env, 'DATABASE_URL');
  if (raw === null) return null;
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL (leave it unset for the embedded SQLite store)');
  }
  try {
    new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a valid URL');
  }
  return raw;
}

function bootstrapKey(env: Env): string | null {
  const raw = text(env, 'BERTH_BOOTSTRAP_KEY');
  if (raw !== null && !/^dor_sk_[A-Za-z0-9_-]{16,200}$/.test(raw)) {
    throw new ConfigError('BERTH_BOOTSTRAP_KEY', 'must look like dor_sk_ followed by at least 16 letters, digits, _ or -');
  }
  return raw;
}

function secretKey(env: Env): string | null {
  const raw = text(env, 'BERTH_SECRET_KEY');
  if (raw !== null && !/^[0-9a-fA-F]{64}$/.test(raw)) {
    throw new ConfigError('BERTH_SECRET_KEY', 'must be 32 bytes written as 64 hex characters (openssl rand -hex 32)');
  }
  return raw?.toLowerCase() ?? null;
}

function isolation(env: Env): Config['isolation'] {
  const raw = text(env, 'BERTH_ISOLATION') ?? 'auto';
  if (raw !== 'auto' && raw !== 'off' && raw !== 'required') throw new ConfigError('BERTH_ISOLATION', 'must be auto, required or off');
  return raw;
}

function instanceCidr(env: Env): { networkNamespaces: boolean; instanceCidr: string | null } {
  const raw = text(env, 'BERTH_INSTANCE_CIDR');
  if (raw === null) return { networkNamespaces: true, instanceCidr: null };
  if (raw === 'off') {
    if (isolation(env) === 'required') throw new ConfigError('BERTH_INSTANCE_CIDR', 'cannot be off while BERTH_ISOLATION=required');
    return { networkNamespaces: false, instanceCidr: null };
  }
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(raw);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const prefix = Number(match?.[5]);
  const base = octets.reduce((n, o) => n * 256 + o, 0);
  if (!match || octets.some((o) => o > 255) || prefix < 8 || prefix > 24 || base % 2 ** (32 - prefix) !== 0) {
    throw new ConfigError('BERTH_INSTANCE_CIDR', `must be an IPv4 range from /8 to /24 with its host bits zero (e.g. 10.88.0.0/16), or off; got "${raw}"`);
  }
  return { networkNamespaces: true, instanceCidr: raw };
}

function hostServices(env: Env): HostServiceConfig[] {
  const raw = text(env, 'BERTH_HOST_SERVICES');
  if (raw === null) return [];
  const services: HostServiceConfig[] = [];
  for (const item of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = /^([a-z][a-z0-9-]{0,62})=(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(item);
    const port = Number(match?.[3]);
    if (!match?.[1] || !match[2] || match[2].split('.').some((o) => Number(o) > 255) || port < 1 || port > 65535) {
      throw new ConfigError('BERTH_HOST_SERVICES', `must be name=IPv4:port entries separated by commas (e.g. postgres=127.0.0.1:5432); got "${item}"`);
    }
    if (services.some((s) => s.name === match[1])) throw new ConfigError('BERTH_HOST_SERVICES', `names ${match[1]} twice`);
    if (services.some((s) => s.port === port)) throw new ConfigError('BERTH_HOST_SERVICES', `uses port ${port} twice (every service appears at one address, by its port)`);
    services.push(Object.freeze({ name: match[1], host: match[2], port }));
  }
  return services;
}

function containers(env: Env): ContainerConfig {
  const runtime = text(env, 'BERTH_RUNTIME') ?? 'process';
  if (runtime !== 'process' && runtime !== 'docker') throw new ConfigError('BERTH_RUNTIME', `must be process or docker, got "${runtime}"`);
  const dockerHost = text(env, 'DOCKER_HOST');
  if (dockerHost !== null && !/^(unix:\/\/\/\S+|tcp:\/\/[\w.-]+(:\d{1,5})?)$/.test(dockerHost)) {
    throw new ConfigError('DOCKER_HOST', `must be unix:///path/to/docker.sock or tcp://host:port, got "${dockerHost}"`);
  }
  const registry = text(env, 'BERTH_REGISTRY');
  if (registry !== null && !/^[a-z0-9.-]+(:\d{1,5})?(\/[a-z0-9._-]+)*$/.test(registry)) {
    throw new ConfigError('BERTH_REGISTRY', `must be host[:port][/path] (e.g. 127.0.0.1:5000/berth), got "${registry}"`);
  }
  return { runtime, dockerHost, registry };
}

function cgroupName(env: Env): string {
  const raw = text(env, 'BERTH_CGROUP_NAME') ?? 'berth';
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(raw)) throw new ConfigError('BERTH_CGROUP_NAME', 'must be a simple name like berth');
  return raw;
}

function logLevel(env: Env): Config['logLevel'] {
  const raw = text(env, 'BERTH_LOG_LEVEL') ?? 'info';
  const found = logLevels.find((level) => level === raw);
  if (!found) throw new ConfigError('BERTH_LOG_LEVEL', `must be one of ${logLevels.join(', ')}`);
  return found;
}

function telemetry(env: Env): TelemetryConfig {
  const days = decimal(env, 'BERTH_LOG_RETENTION_DAYS', 7, 3650);
  if (days <= 0) throw new ConfigError('BERTH_LOG_RETENTION_DAYS', 'must be more than 0');
  return Object.freeze({
    logRetentionDays: days,
    logMaxBytesPerApp: Math.round(decimal(env, 'BERTH_LOG_MAX_MB_PER_APP', 256, 1_000_000) * 1024 * 1024),
    metricsIntervalMs: Math.max(100, duration(env, 'BERTH_METRICS_INTERVAL_MS', 10_000)),
    healthIntervalMs: Math.max(100, duration(env, 'BERTH_HEALTH_INTERVAL_MS', 30_000)),
    sseHeartbeatMs: Math.max(100, duration(env, 'BERTH_SSE_HEARTBEAT_MS', 15_000)),
    prometheusUrl: httpUrl(env, 'BERTH_PROMETHEUS_URL'),
    metricsToken: text(env, 'BERTH_METRICS_TOKEN'),
    alertWebhookUrl: httpUrl(env, 'BERTH_ALERT_WEBHOOK_URL'),
    alertWebhookRetryBaseMs: Math.max(10, duration(env, 'BERTH_ALERT_WEBHOOK_RETRY_MS', 1_000)),
    priceVcpuHour: decimal(env, 'BERTH_PRICE_VCPU_HOUR', 0.0405, 1000),
    priceGibHour: decimal(env, 'BERTH_PRICE_GIB_HOUR', 0.0045, 1000),
    alerts: Object.freeze({
      cpuPercent: decimal(env, 'BERTH_ALERT_CPU_PERCENT', 80, 10_000),
      memoryPercent: decimal(env, 'BERTH_ALERT_MEMORY_PERCENT', 80, 10_000),
      sustainMs: duration(env, 'BERTH_ALERT_SUSTAIN_MS', 300_000),
      errorRatePercent: decimal(env, 'BERTH_ALERT_ERROR_RATE_PERCENT', 5, 100),
      latencyP95Ms: decimal(env, 'BERTH_ALERT_LATENCY_MS', 2_000, 3_600_000),
      windowMs: Math.max(100, duration(env, 'BERTH_ALERT_WINDOW_MS', 300_000)),
      minRequests: decimal(env, 'BERTH_ALERT_MIN_REQUESTS', 20, 1_000_000),
    }),
  });
}

function builds(env: Env): BuildConfig {
  const mib = 1024 * 1024;
  return Object.freeze({
    allowPrivateNetworks: flag(env, 'BERTH_ALLOW_PRIVATE_NETWORKS'),
    concurrency: count(env, 'BERTH_BUILD_CONCURRENCY', 1, 1, 64),
    timeoutMs: Math.max(1000, duration(env, 'BERTH_BUILD_TIMEOUT_MS', 900_000)),
    maxUploadBytes: count(env, 'BERTH_MAX_UPLOAD_MB', 512, 1, 100_000) * mib,
    uploadUrlTtlMs: Math.max(1000, duration(env, 'BERTH_UPLOAD_URL_TTL_MS', 900_000)),
    maxExtractedBytes: count(env, 'BERTH_MAX_EXTRACTED_MB', 2048, 1, 1_000_000) * mib,
    maxExtractedFiles: count(env, 'BERTH_MAX_EXTRACTED_FILES', 200_000, 1, 10_000_000),
    versionFiles: Object.freeze({
      maxFileBytes: count(env, 'BERTH_VERSION_MAX_FILE_KB', 1024, 1, 1_000_000) * 1024,
      maxFiles: count(env, 'BERTH_VERSION_MAX_FILES', 2000, 1, 1_000_000),
      maxTreeBytes: count(env, 'BERTH_VERSION_MAX_TREE_MB', 50, 1, 100_000) * mib,
    }),
    publicUrl: httpUrl(env, 'BERTH_PUBLIC_URL'),
    artifactGraceMs: duration(env, 'BERTH_ARTIFACT_GRACE_MS', 600_000),
    keepRevisions: count(env, 'BERTH_KEEP_REVISIONS', 10, 1, 100_000),
    pruneDevDependencies: text(env, 'BERTH_PRUNE_DEV_DEPENDENCIES') === null || flag(env, 'BERTH_PRUNE_DEV_DEPENDENCIES'),
    uploadSweepMs: durationFrom(env, 'BERTH_UPLOAD_SWEEP_MS', 600_000, 100),
    memoryMi: count(env, 'BERTH_BUILD_MEMORY_MI', 2048, 64, 131_072),
    cpuMillicores: count(env, 'BERTH_BUILD_CPU_MILLICORES', 1000 * availableParallelism(), 50, 256_000),
    pids: count(env, 'BERTH_BUILD_PIDS', 4096, 64, 1_000_000),
  });
}

/** web/dist beside this module's folder: the same from src/config.ts (tsx) and dist/berth.mjs (the bundle). */
function defaultConsoleDir(): string {
  return fileURLToPath(new URL('../web/dist', import.meta.url));
}

function edgeWorkers(env: Env): number {
  const raw = text(env, 'BERTH_EDGE_WORKERS');
  if (raw === 'auto') return availableParallelism();
  return count(env, 'BERTH_EDGE_WORKERS', 0, 0, 64);
}

function edgePublicUrl(env: Env): EdgeConfig['publicUrl'] {
  const raw = httpUrl(env, 'BERTH_EDGE_PUBLIC_URL');
  if (raw === null) return null;
  const url = new URL(raw);
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  return { scheme, port: url.port === '' ? (scheme === 'https' ? 443 : 80) : Number(url.port) };
}

function acme(env: Env): AcmeConfig | null {
  const raw = text(env, 'BERTH_ACME_DIRECTORY_URL');
  if (raw === 'off') return null;
  const directoryUrl = raw === null ? letsEncryptProduction : httpUrl(env, 'BERTH_ACME_DIRECTORY_URL');
  const email = text(env, 'BERTH_ACME_EMAIL');
  if (email !== null && !/^[^\s@]+@[^\s@]+$/.test(email)) throw new ConfigError('BERTH_ACME_EMAIL', `must be an email address, got "${email}"`);
  return Object.freeze({
    directoryUrl: directoryUrl ?? letsEncryptProduction,
    email,
    caFile: text(env, 'BERTH_ACME_CA_FILE'),
    retryMs: Math.max(1000, duration(env, 'BERTH_ACME_RETRY_MS', 600_000)),
  });
}

function edge(env: Env, cwd: string): EdgeConfig {
  const certFile = text(env, 'BERTH_TLS_CERT_FILE');
  const keyFile = text(env, 'BERTH_TLS_KEY_FILE');
  if ((certFile === null) !== (keyFile === null)) throw new ConfigError(certFile === null ? 'BERTH_TLS_CERT_FILE' : 'BERTH_TLS_KEY_FILE', 'BERTH_TLS_CERT_FILE and BERTH_TLS_KEY_FILE go together');
  const tlsRaw = text(env, 'BERTH_EDGE_TLS_PORT');
  return Object.freeze({
    workers: edgeWorkers(env),
    tlsPort: tlsRaw === null ? null : port(env, 'BERTH_EDGE_TLS_PORT', 0),
    publicUrl: edgePublicUrl(env),
    certFile: certFile === null ? null : path.resolve(cwd, certFile),
    keyFile: keyFile === null ? null : path.resolve(cwd, keyFile),
    acme: acme(env),
    tlsHandshakeTimeoutMs: durationFrom(env, 'BERTH_EDGE_TLS_HANDSHAKE_TIMEOUT_MS', 10_000, 100),
    tunnelIdleTimeoutMs: durationFrom(env, 'BERTH_EDGE_TUNNEL_IDLE_TIMEOUT_MS', 60_000, 100),
    tunnelHalfOpenMs: durationFrom(env, 'BERTH_EDGE_TUNNEL_HALF_OPEN_MS', 5_000, 100),
    h2IdleTimeoutMs: durationFrom(env, 'BERTH_EDGE_H2_IDLE_TIMEOUT_MS', 120_000, 100),
  });
}

/** `off` disables scheduled backups; default: every day at 03:00. */
function backupCron(env: Env): string | null {
  const raw = text(env, 'BERTH_DB_BACKUP_CRON') ?? '0 3 * * *';
  if (raw === 'off') return null;
  try {
    new Cron(raw, { paused: true });
  } catch {
    throw new ConfigError('BERTH_DB_BACKUP_CRON', `must be a cron expression (like "0 3 * * *") or off, got "${raw}"`);
  }
  return raw;
}

/** Reads and validates the whole configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Readonly<Config> {
  return Object.freeze({
    apiPort: port(env, 'BERTH_PORT', 7070),
    apiHost: text(env, 'BERTH_HOST') ?? '127.0.0.1',
    edgePort: port(env, 'BERTH_EDGE_PORT', 8080),
    edgeHost: text(env, 'BERTH_EDGE_HOST') ?? '127.0.0.1',
    edge: edge(env, cwd),
    baseDomain: baseDomain(env),
    dataDir: path.resolve(cwd, text(env, 'BERTH_DATA_DIR') ?? '.berth'),
    consoleDir: path.resolve(cwd, text(env, 'BERTH_CONSOLE_DIR') ?? defaultConsoleDir()),
    databaseUrl: databaseUrl(env),
    bootstrapKey: bootstrapKey(env),
    secretKeyHex: secretKey(env),
    maxBodyBytes: 1024 * 1024,
    logLevel: logLevel(env),
    cortexDbConnection: text(env, 'CORTEXDB_CONNECTION'),
    harborProject: text(env, 'HARBOR_PROJECT'),
    isolation: isolation(env),
    ...instanceCidr(env),
    hostServices: Object.freeze(hostServices(env)),
    cgroupName: cgroupName(env),
    readyTimeoutMs: duration(env, 'BERTH_READY_TIMEOUT_MS', 60_000),
    warmRevisions: count(env, 'BERTH_WARM_REVISIONS', 1, 0, 10),
    drainTimeoutMs: duration(env, 'BERTH_DRAIN_TIMEOUT_MS', 10_000),
    startupCpuMillicores: count(env, 'BERTH_STARTUP_CPU_BOOST_MILLICORES', 1000 * availableParallelism(), 0, 256_000),
    autoscaleIntervalMs: duration(env, 'BERTH_AUTOSCALE_INTERVAL_MS', 15_000),
    autoscaleWindowMs: duration(env, 'BERTH_AUTOSCALE_WINDOW_MS', 120_000),
    telemetry: telemetry(env),
    builds: builds(env),
    containers: containers(env),
    databases: Object.freeze({
      queryTimeoutMs: duration(env, 'BERTH_DB_QUERY_TIMEOUT_MS', 5_000),
      maxQueryRows: count(env, 'BERTH_DB_QUERY_MAX_ROWS', 1000, 1, 50_000),
      backupCron: backupCron(env),
      backupKeep: count(env, 'BERTH_DB_BACKUP_KEEP', 7, 1, 1000),
      // 1 s, 2 s, 4 s, 8 s, 16 s by default (engine/databases/restart-policy.ts).
      restartDelayMs: durationFrom(env, 'BERTH_DB_RESTART_DELAY_MS', 1000, 10),
      programs: databasePrograms(env),
    }),
    previews: Object.freeze({
      idleMs: Math.max(1000, duration(env, 'BERTH_PREVIEW_IDLE_MS', 300_000)),
      maxPerWorkspace: count(env, 'BERTH_PREVIEW_MAX_PER_WORKSPACE', 3, 1, 1000),
    }),
  });
}

/** What the `berth` client commands read from the environment (all optional). */
export interface CliSettings {
  /** Where `berth login` keeps the URL and key: `$BERTH_CONFIG_DIR`, else `$XDG_CONFIG_HOME/berth`, else `~/.config/berth`. */
  configDir: string;
  /** `BERTH_URL` / `BERTH_API_KEY`: use this Berth and key instead of the stored login (scripts, CI). */
  url: string | null;
  apiKey: string | null;
}

export function loadCliSettings(env: Env = process.env): Readonly<CliSettings> {
  const explicit = text(env, 'BERTH_CONFIG_DIR');
  const xdg = text(env, 'XDG_CONFIG_HOME');
  return Object.freeze({
    configDir: explicit ? path.resolve(explicit) : path.join(xdg ? path.resolve(xdg) : path.join(homedir(), '.config'), 'berth'),
    url: httpUrl(env, 'BERTH_URL'),
    apiKey: text(env, 'BERTH_API_KEY'),
  });
}

