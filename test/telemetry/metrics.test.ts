// Metrics end to end: the six series of spec 004 in every period's shape from Berth's own store,
// `/metrics` in Prometheus format, and Debian's prometheus scraping Berth while Berth reads the
// app series back from it (BERTH_PROMETHEUS_URL), falling back to its store when it is gone.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherWorkspace } from '../support/another-workspace.js';
import { releasePort, reservePort } from '../support/reserved-port.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { createApp, deploy, scriptApp, viaEdge, waitFor, ws } from './support.js';

const prometheusBin = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'].find((p) => fs.existsSync(p));
const points = { '1h': 60, '6h': 72, '24h': 96, '7d': 168, '30d': 180 } as const;
const stepS = { '1h': 60, '6h': 300, '24h': 900, '7d': 3600, '30d': 14_400 } as const;
const series = ['cpu', 'memory', 'requestCount', 'requestLatency', 'errorRate', 'instanceCount'] as const;
const units = { cpu: '%', memory: 'MiB', requestCount: 'req', requestLatency: 'ms', errorRate: '%', instanceCount: 'instances' };

describe('metrics', () => {
  let t: TestBerth;
  let app: { id: string; slug: string };
  let promPort: number;
  let prometheus: ChildProcess | null = null;
  const promDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-prom-'));
  const metricsToken = 'scrape-token-for-tests';
  const metrics = (period: string) => t.request('GET', ws(t, `/monitoring/apps/${app.id}/metrics?period=${period}`));

  beforeAll(async () => {
    // Berth is told where Prometheus will be long before it starts there: reserved, not merely
    // free now, so no other test file takes the port meanwhile.
    promPort = await reservePort();
    t = await startTestBerth('sqlite', { env: { BERTH_METRICS_INTERVAL_MS: '500', BERTH_PROMETHEUS_URL: `http://127.0.0.1:${promPort}`, BERTH_METRICS_TOKEN: metricsToken } });
    app = await createApp(t, { name: 'Measured', slug: 'measured' });
    expect((await deploy(t, app.id, scriptApp(''))).deployment.status).toBe('succeeded');
  }, 60_000);
  afterAll(async () => {
    if (prometheus?.pid) process.kill(prometheus.pid, 'SIGKILL');
    await t?.close();
    releasePort(promPort);
    fs.rmSync(promDir, { recursive: true, force: true });
  });

  it('answers every period of 004 with its grid of points, from the store while Prometheus is down', async () => {
    for (let i = 0; i < 20; i++) await viaEdge(t, app.slug, i % 5 === 0 ? '/fail' : '/');
    const body = await waitFor('samples with the requests', async () => {
      const res = await metrics('1h');
      const total = res.body.requestCount.values.reduce((a: number, b: number) => a + b, 0);
      return total >= 20 && res.body.memory.current > 0 ? res : undefined;
    });
    expect(body.headers.get('x-berth-metrics-source')).toBe('store');
    for (const period of Object.keys(points) as (keyof typeof points)[]) {
      const res = await metrics(period);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ appId: app.id, serviceName: 'measured', period });
      for (const name of series) {
        const s = res.body[name];
        expect(Object.keys(s).sort()).toEqual(['avg', 'current', 'labels', 'max', 'unit', 'values']);
        expect(s.unit).toBe(units[name]);
        expect(s.labels).toHaveLength(points[period]);
        expect(s.values).toHaveLength(points[period]);
        expect(s.labels[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        expect((Date.parse(s.labels[1]) - Date.parse(s.labels[0])) / 1000).toBe(stepS[period]);
        expect(Date.parse(s.labels.at(-1))).toBeLessThanOrEqual(Date.now());
        expect(s.max).toBeGreaterThanOrEqual(Math.max(...s.values));
      }
      const requests = res.body.requestCount.values.reduce((a: number, b: number) => a + b, 0);
      expect(requests).toBeGreaterThanOrEqual(20);
      expect(res.body.instanceCount.current).toBe(1);
      expect(res.body.errorRate.max).toBeGreaterThan(0);
    }
    expect((await metrics('2h')).status).toBe(400);
    const defaulted = await t.request('GET', ws(t, `/monitoring/apps/${app.slug}/metrics`));
    expect(defaulted.body.period).toBe('24h');
  });

  const scrape = async (bearer?: string) => {
    const res = await fetch(`${t.url}/metrics`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  it('exposes every app’s series at /metrics in Prometheus text format to the metrics token', async () => {
    const res = await scrape(metricsToken);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toMatch(new RegExp(`berth_app_requests_total\\{app_id="${app.id}",app="measured",workspace_id="${t.workspaceId}"\\} \\d+`));
    expect(res.text).toMatch(/berth_app_request_duration_seconds_bucket\{[^}]*le="\+Inf"\} \d+/);
    expect(res.text).toMatch(/berth_app_memory_mib\{[^}]*app="measured"[^}]*\} [\d.]+/);
    expect(res.text).toMatch(/berth_log_lines_total/);
    expect(res.text).toMatch(/berth_process_cpu_user_seconds_total/);
  });

  it('shows strangers only Berth’s own process figures, and a workspace key only its workspace', async () => {
    const stranger = await scrape();
    expect(stranger.status).toBe(200);
    expect(stranger.text).toMatch(/berth_process_cpu_user_seconds_total/);
    expect(stranger.text).not.toMatch(/app_id=|workspace_id=|berth_app_|berth_alerts_open|measured/);

    const own = await scrape(t.key);
    expect(own.status).toBe(200);
    expect(own.text).toMatch(new RegExp(`berth_app_requests_total\\{app_id="${app.id}"`));

    const other = await anotherWorkspace(t);
    const theirs = await scrape(other.key);
    expect(theirs.status).toBe(200);
    expect(theirs.text).toMatch(/berth_process_cpu_user_seconds_total/);
    expect(theirs.text).not.toContain(app.id);
    expect(theirs.text).not.toContain(t.workspaceId);

    const noScope = await anotherWorkspace(t, { scopes: ['apps:read'] });
    expect((await scrape(noScope.key)).status).toBe(403);
    expect((await scrape('not-the-token')).status).toBe(401);
    expect((await scrape('dor_sk_unknownunknownunknown')).status).toBe(401);
  });

  it.skipIf(!prometheusBin)('reads the app series back from a Prometheus that scrapes Berth', async () => {
    const apiPort = new URL(t.url).port;
    fs.writeFileSync(
      path.join(promDir, 'prometheus.yml'),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: berth\n    authorization: { credentials: ${metricsToken} }\n    static_configs: [ { targets: ['127.0.0.1:${apiPort}'] } ]\n`,
    );
    prometheus = spawn(
      prometheusBin ?? 'prometheus',
      [`--config.file=${path.join(promDir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(promDir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
      { stdio: 'ignore' },
    );
    const started = prometheus;
    await waitFor(
      'prometheus ready',
      async () => {
        if (started.exitCode !== null) throw new Error(`prometheus exited with ${started.exitCode} (port ${promPort} taken?)`);
        return (await fetch(`http://127.0.0.1:${promPort}/-/ready`)).ok || undefined;
      },
      30_000,
    );
    const res = await waitFor(
      'metrics read from Prometheus',
      async () => {
        await viaEdge(t, app.slug, '/');
        const r = await metrics('1h');
        const requests = r.body.requestCount.values.reduce((a: number, b: number) => a + b, 0);
        return r.headers.get('x-berth-metrics-source') === 'prometheus' && r.body.memory.current > 0 && requests > 0 ? r : undefined;
      },
      60_000,
      500,
    );
    expect(res.body.instanceCount.current).toBeCloseTo(1, 0);
    expect(res.body.cpu.labels).toHaveLength(60);
    const weekly = await metrics('7d');
    expect(weekly.headers.get('x-berth-metrics-source')).toBe('prometheus');
    expect(weekly.body.memory.values).toHaveLength(168);

    if (prometheus?.pid) process.kill(prometheus.pid, 'SIGKILL');
    prometheus = null;
    await waitFor('fallback to the store', async () => (await metrics('1h')).headers.get('x-berth-metrics-source') === 'store' || undefined, 20_000);
  });
});
