// The telemetry layer, wired: instance output → severity → live tail + batched log store;
// a sampler every interval → roll-ups, alert rules, health; /metrics; the alert webhook.
// main.ts builds it after the runtime and edge, and the core reads it through the Telemetry port.
import { stripVTControlCharacters } from 'node:util';
import type { Clock } from '../core/ports/clock.js';
import type { Logger } from '../core/ports/logger.js';
import type { Orchestrator } from '../core/ports/orchestrator.js';
import type { EdgeStatsSource } from '../core/ports/route-table.js';
import type { OutputLine, Runtime } from '../core/ports/runtime.js';
import type { Store } from '../core/ports/store.js';
import type { Alert, AppMetrics, LogLine, MetricsPeriod, Telemetry } from '../core/ports/telemetry.js';
import type { IdGenerator } from '../domain/ids.js';
import { createAlertEngine } from './alerts/alert-engine.js';
import { sampleConditions } from './alerts/alert-rules.js';
import type { AlertThresholds } from './alerts/alert-rules.js';
import { createWebhookSender } from './alerts/webhook-sender.js';
import type { WebhookSender } from './alerts/webhook-sender.js';
import { createIoYield } from './io-yield.js';
import { createHealthMonitor } from './health/health-monitor.js';
import { createLiveTail } from './logs/live-tail.js';
import { createLogIngest } from './logs/log-ingest.js';
import { createLogPruner } from './logs/log-pruner.js';
import { parseSeverity } from './logs/parse-severity.js';
import { exitLine } from './logs/platform-lines.js';
import { buildSeries } from './metrics/build-series.js';
import { createExposition } from './metrics/exposition.js';
import { createMetricSampler } from './metrics/metric-sampler.js';
import { periodGrid } from './metrics/period-grid.js';
import { createPrometheusReader } from './metrics/prometheus-reader.js';
import { crashLoopCondition } from './alerts/crash-loop.js';
import { createOomKills, withOomKills } from './alerts/oom-kills.js';
import { certificateConditions } from './alerts/certificate-alerts.js';
import type { CustomDomain } from '../domain/custom-domain.js';

/** The telemetry slice of Berth's configuration (config.ts reads it; main.ts passes it in). */
export interface TelemetryTuning {
  logRetentionDays: number;
  logMaxBytesPerApp: number;
  metricsIntervalMs: number;
  healthIntervalMs: number;
  prometheusUrl: string | null;
  alertWebhookUrl: string | null;
  alertWebhookRetryBaseMs: number;
  alerts: AlertThresholds;
}

export interface TelemetryOptions {
  store: Store;
  runtime: Runtime;
  edge: EdgeStatsSource;
  orchestrator: Orchestrator;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  config: TelemetryTuning;
  /** How often retention and size caps are enforced. Default 10 minutes. */
  pruneIntervalMs?: number;
}

export interface TelemetryService extends Telemetry {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once every line received so far is stored. */
  flushLogs(): Promise<void>;
  webhookIdle(): Promise<void>;
}

export function alertPayload(event: 'alert.triggered' | 'alert.resolved', alert: Alert, at: Date) {
  return {
    event,
    sentAt: at.toISOString(),
    alert: {
      id: alert.id,
      workspaceId: alert.workspaceId,
      appId: alert.appId,
      appName: alert.appName,
      type: alert.type,
      severity: alert.severity,
      message: alert.message,
      triggeredAt: alert.triggeredAt.toISOString(),
      resolvedAt: alert.resolvedAt?.toISOString() ?? null,
      resolved: alert.resolvedAt !== null,
    },
  };
}

export function createTelemetry(options: TelemetryOptions): TelemetryService {
  const { store, runtime, config, logger } = options;
  const now = () => options.clock.now();
  const windowMs = Math.max(config.alerts.windowMs, config.alerts.sustainMs) + 2 * config.metricsIntervalMs;
  const ingest = createLogIngest({ logs: store.logs, logger, now });
  const tail = createLiveTail();
  const webhook: WebhookSender | null = config.alertWebhookUrl
    ? createWebhookSender({ url: config.alertWebhookUrl, logger, retryBaseMs: config.alertWebhookRetryBaseMs })
    : null;
  const notify = (event: 'alert.triggered' | 'alert.resolved', alert: Alert) => webhook?.send(alertPayload(event, alert, now()));
  const alerts = createAlertEngine({ store, ids: options.ids, logger, now, notify });
  const oomKills = createOomKills(config.alerts.windowMs);
  const sampler = createMetricSampler({
    store,
    runtime,
    edge: options.edge,
    logger,
    now,
    windowMs,
    async onSample(samples, apps) {
      const traffic = await store.traffic.all();
      const domainsByApp = new Map<string, CustomDomain[]>();
      for (const domain of await store.domains.listVerified()) domainsByApp.set(domain.appId, [...(domainsByApp.get(domain.appId) ?? []), domain]);
      const breathe = createIoYield();
      for (const sample of samples) {
        await breathe();
        const app = apps.get(sample.appId);
        if (!app) continue;
        const sampled = sampleConditions(sampler.window(app.id, 0), sampler.boundsMs(), config.alerts, sample.at.getTime(), config.metricsIntervalMs);
        const kills = oomKills.since(app.id, sample.at.getTime() - config.alerts.windowMs);
        const conditions = sampled.map((c) => (c.type === 'high_memory' ? withOomKills(c, kills, { windowMs: config.alerts.windowMs, memoryLimitMi: app.memoryLimitMi }) : c));
        conditions.push(crashLoopCondition(traffic.get(app.id) ?? [], options.orchestrator));
        conditions.push(...certificateConditions(domainsByApp.get(app.id) ?? [], sample.at));
        await alerts.evaluate(app, conditions);
      }
      alerts.forget(new Set(apps.keys()));
      oomKills.forget(new Set(apps.keys()));
      for (const appId of tail.apps()) if (!apps.has(appId)) tail.end(appId, 'the app was deleted');
      await alerts.checkDeployments();
    },
  });
  const health = createHealthMonitor({
    store,
    runtime,
    orchestrator: options.orchestrator,
    sampler,
    now,
    windowMs: config.alerts.windowMs,
    staleAfterMs: 3 * config.metricsIntervalMs + 1_000,
    recentFailureMs: config.healthIntervalMs,
  });
  const pruner = createLogPruner({
    logs: store.logs,
    metrics: store.metrics,
    logger,
    now,
    retentionDays: config.logRetentionDays,
    maxBytesPerApp: config.logMaxBytesPerApp,
  });
  const exposition = createExposition({ sampler, ingest: ingest.counters, health: async (visible) => health.statusesNow((await store.apps.listLive()).filter(visible)), openAlerts: () => store.alerts.openAlerts() });
  const prometheus = config.prometheusUrl ? createPrometheusReader({ url: config.prometheusUrl }) : null;

  const timers: NodeJS.Timeout[] = [];
  const unsubscribe: (() => void)[] = [];
  const inFlight = new Set<Promise<unknown>>();
  /** Runs `task` every `ms` (never two at once); stop() waits for the one in flight. */
  const every = (ms: number, what: string, task: () => Promise<unknown>, firstAfterMs = ms) => {
    let busy = false;
    const run = () => {
      if (busy) return;
      busy = true;
      const done = task()
        .catch((error: unknown) => logger.error({ error: error instanceof Error ? error.message : String(error) }, `${what} failed`))
        .finally(() => {
          busy = false;
          inFlight.delete(done);
        });
      inFlight.add(done);
    };
    const first = setTimeout(() => {
      run();
      const timer = setInterval(run, ms);
      timer.unref();
      timers.push(timer);
    }, firstAfterMs);
    first.unref();
    timers.push(first);
  };
  let prometheusWarnedAt = 0;

  function receive(line: LogLine): void {
    tail.publish({ ...line, seq: ingest.accept(line) });
  }

  // Frameworks colour their output whether or not it goes to a terminal (Nest, morgan's dev
  // format): kept as printed, "[32m" would show in the console and split words a search looks for.
  const onOutput = (out: OutputLine) => {
    const message = out.line.includes('\x1b') || out.line.includes('\x9b') ? stripVTControlCharacters(out.line) : out.line;
    receive({
      appId: out.appId,
      revisionName: out.revisionName,
      instanceId: out.instanceId,
      stream: out.stream,
      severity: parseSeverity(message, out.stream),
      timestamp: out.at,
      message,
    });
  };

  async function storeMetrics(appId: string, period: MetricsPeriod): Promise<AppMetrics> {
    const grid = periodGrid(period, now());
    const buckets = await store.metrics.range(appId, grid.plan.resolutionS, grid.from, grid.to);
    return { source: 'store', ...buildSeries(buckets, grid, sampler.latest(appId)) };
  }

  return {
    async start() {
      await ingest.start();
      await alerts.start();
      unsubscribe.push(runtime.onOutput(onOutput));
      unsubscribe.push(
        runtime.onExit((status) => {
          oomKills.record(status, now());
          receive(exitLine(status, now()));
        }),
      );
      every(config.metricsIntervalMs, 'metrics sample', () => sampler.sample());
      every(options.pruneIntervalMs ?? 600_000, 'log retention', () => pruner.prune());
      every(30_000, 'log size caps', () => pruner.enforceCaps());
    },
    async stop() {
      for (const timer of timers) clearInterval(timer);
      for (const off of unsubscribe) off();
      await Promise.all([...inFlight]);
      await ingest.stop();
      webhook?.stop();
    },
    flushLogs: () => ingest.flush(),
    webhookIdle: () => webhook?.idle() ?? Promise.resolve(),
    tailLogs: (appId, listener) => tail.subscribe(appId, listener),
    unstoredLogs: (appId) => ingest.unstored(appId),
    async appMetrics(appId, period) {
      if (prometheus) {
        try {
          return { source: 'prometheus', ...(await prometheus.appMetrics(appId, period, now())) };
        } catch (error) {
          // Once a minute at most: a dashboard polling a dead Prometheus must not flood the log.
          if (Date.now() - prometheusWarnedAt > 60_000) {
            prometheusWarnedAt = Date.now();
            logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'Prometheus unavailable: metrics read from Berth’s own store');
          }
        }
      }
      return storeMetrics(appId, period);
    },
    healthStatusesNow: (apps) => health.statusesNow(apps),
    appHealthNow: (app) => health.checkNow(app),
    exposition: (scope) => exposition.render(scope),
    alertResolved: (alert) => notify('alert.resolved', alert),
  };
}
