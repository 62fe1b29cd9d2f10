// `/metrics` in Prometheus text format (prom-client): Berth's own process figures for anyone, and,
// for a scrape allowed to see them, log ingestion, open alerts, health and every app's latest
// sample and cumulative edge traffic, of all workspaces or of one. Values are read at scrape time
// from what the sampler and the edge already hold; nothing is kept twice.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Metric } from 'prom-client';
import type { EdgeAppStats } from '../../core/ports/route-table.js';
import type { Alert, AppHealth, Exposition, ExpositionScope } from '../../core/ports/telemetry.js';
import type { App } from '../../domain/app.js';
import type { IngestCounters } from '../logs/log-ingest.js';
import type { MetricSampler } from './metric-sampler.js';

export interface ExpositionSources {
  sampler: MetricSampler;
  ingest: IngestCounters;
  /** The health now of the live apps `visible` admits, computed as `GET …/health` and the overview compute it when asked. */
  health: (visible: (app: Pick<App, 'workspaceId'>) => boolean) => Promise<ReadonlyMap<string, AppHealth['status']>>;
  openAlerts: () => Promise<Pick<Alert, 'type' | 'severity' | 'workspaceId'>[]>;
}

const appLabels = ['app_id', 'app', 'workspace_id'] as const;
type AppLabel = (typeof appLabels)[number];
const labelsOf = (app: Pick<App, 'id' | 'slug' | 'workspaceId'>): Record<AppLabel, string> => ({ app_id: app.id, app: app.slug, workspace_id: app.workspaceId });

/** The edge's latency histogram as a Prometheus histogram (seconds, cumulative buckets). */
function latencyHistogram(edgeApps: () => readonly EdgeAppStats[], apps: () => ReadonlyMap<string, App>) {
  const name = 'berth_app_request_duration_seconds';
  return {
    name,
    help: 'Time from a request reaching the edge to the end of its response.',
    type: 'histogram',
    aggregator: 'sum',
    reset() {},
    async get() {
      const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
      for (const stats of edgeApps()) {
        const app = apps().get(stats.appId);
        if (!app) continue; // not among the apps this scrape may see
        const labels = labelsOf(app);
        let cumulative = 0;
        stats.latency.boundsMs.forEach((bound, i) => {
          cumulative += stats.latency.counts[i] ?? 0;
          values.push({ metricName: `${name}_bucket`, labels: { ...labels, le: bound / 1000 }, value: cumulative });
        });
        values.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: stats.requests });
        values.push({ metricName: `${name}_sum`, labels, value: stats.latency.sumMs / 1000 });
        values.push({ metricName: `${name}_count`, labels, value: stats.requests });
      }
      return { name, help: this.help, type: this.type, aggregator: this.aggregator, values };
    },
  };
}

/** The per-app series, over the apps `visible` admits: a registry made for one scrape. */
function tenantRegistry(sources: ExpositionSources, visible: (app: Pick<App, 'workspaceId'>) => boolean): Registry {
  const registry = new Registry();
  const apps = (): ReadonlyMap<string, App> => new Map([...sources.sampler.apps()].filter(([, app]) => visible(app)));
  const edgeApps = () => sources.sampler.lastEdge()?.apps ?? [];
  const seen = (appId: string) => apps().has(appId);

  const gauge = (name: string, help: string, value: (appId: string) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: appLabels,
      registers: [registry],
      collect() {
        this.reset();
        for (const app of apps().values()) {
          const v = value(app.id);
          if (v !== null) this.set(labelsOf(app), v);
        }
      },
    });
  gauge('berth_app_cpu_percent', 'Cpu used by the app as a percent of its instances’ cpu limits.', (id) => sources.sampler.latest(id)?.cpuPercent ?? null);
  gauge('berth_app_memory_mib', 'Memory used by all instances of the app, MiB.', (id) => sources.sampler.latest(id)?.memoryMi ?? null);
  gauge('berth_app_memory_percent', 'Memory used as a percent of the instances’ memory limits.', (id) => sources.sampler.latest(id)?.memoryPercent ?? null);
  gauge('berth_app_instances', 'Replicas of the app running or starting (instances of the revisions that hold traffic).', (id) => sources.sampler.latest(id)?.instances ?? null);

  const edgeCounter = (name: string, help: string, value: (stats: EdgeAppStats) => number) =>
    new Counter({
      name,
      help,
      labelNames: appLabels,
      registers: [registry],
      collect() {
        this.reset();
        for (const stats of edgeApps()) {
          const app = apps().get(stats.appId);
          if (app) this.inc(labelsOf(app), value(stats));
        }
      },
    });
  edgeCounter('berth_app_requests_total', 'Requests for the app seen by the edge.', (s) => s.requests);
  edgeCounter('berth_app_request_errors_total', 'Requests for the app answered 5xx.', (s) => s.statusClasses['5xx']);
  edgeCounter('berth_edge_unserved_requests_total', 'Requests for the app the edge answered 503 itself: no instance could take them (stopped, not deployed). Not in the app’s requests or errors.', (s) => s.unserved);
  registry.registerMetric(latencyHistogram(edgeApps, apps) as unknown as Metric);

  const logCounter = (name: string, help: string, map: Map<string, number>) =>
    new Counter({
      name,
      help,
      labelNames: ['app_id'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [appId, n] of map) if (seen(appId)) this.inc({ app_id: appId }, n);
      },
    });
  logCounter('berth_log_lines_total', 'Log lines received from app instances.', sources.ingest.accepted);
  logCounter('berth_log_lines_stored_total', 'Log lines stored.', sources.ingest.stored);
  logCounter('berth_log_lines_dropped_total', 'Log lines dropped because the app wrote faster than they could be stored.', sources.ingest.dropped);
  new Gauge({
    name: 'berth_app_health',
    help: 'Health of each app, computed at scrape time as the API computes it: 1 for its current status.',
    labelNames: ['app_id', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [appId, status] of await sources.health(visible)) this.set({ app_id: appId, status }, 1);
    },
  });
  new Gauge({
    name: 'berth_alerts_open',
    help: 'Open alerts by type and severity.',
    labelNames: ['type', 'severity'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const alert of await sources.openAlerts()) if (visible(alert)) this.inc({ type: alert.type, severity: alert.severity });
    },
  });
  return registry;
}

/** Berth's own figures: the process, and its log pipeline as a whole (no tenant in them). */
function processRegistry(sources: ExpositionSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'berth_' });
  new Counter({
    name: 'berth_log_write_errors_total',
    help: 'Failed attempts to store a batch of log lines.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(sources.ingest.writeErrors);
    },
  });
  new Gauge({
    name: 'berth_log_queue_lines',
    help: 'Log lines waiting to be stored.',
    registers: [registry],
    collect() {
      this.set(sources.ingest.queuedLines());
    },
  });
  return registry;
}

export function createExposition(sources: ExpositionSources) {
  const own = processRegistry(sources);
  return {
    async render(scope: ExpositionScope): Promise<Exposition> {
      if (scope.kind === 'process') return { contentType: own.contentType, body: await own.metrics() };
      const visible = scope.kind === 'all' ? () => true : (app: Pick<App, 'workspaceId'>) => app.workspaceId === scope.workspaceId;
      const tenants = tenantRegistry(sources, visible);
      return { contentType: own.contentType, body: `${await own.metrics()}\n${await tenants.metrics()}` };
    },
  };
}
