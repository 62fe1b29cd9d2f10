// The telemetry repositories and the log pipeline on both backends: paging by (timestamp, seq),
// severity and time filters, usage accounting, retention and the per-app size cap, the ingest
// queue's fairness and bounds, metric bucket roll-ups, and one open alert per app and type.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports/store.js';
import type { LogLine, LogRepository, StoredLogLine } from '../../src/core/ports/telemetry.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { createLogIngest } from '../../src/telemetry/logs/log-ingest.js';
import { createLogPruner } from '../../src/telemetry/logs/log-pruner.js';
import { backends } from '../support/test-berth.js';
import { useTestStore } from '../support/test-store.js';

const quiet = { info() {}, warn() {}, error() {} };
const ids = createIdGenerator();
const t0 = Date.parse('2026-01-01T00:00:00Z');

function line(appId: string, i: number, over: Partial<LogLine> = {}): LogLine {
  return {
    appId,
    revisionName: `${appId}-00001`,
    instanceId: `${appId}-00001-aaaaaa`,
    stream: 'stdout',
    severity: i % 10 === 0 ? 'ERROR' : 'INFO',
    timestamp: new Date(t0 + i * 1000),
    message: `line ${i}`,
    ...over,
  };
}

describe.each(backends)('telemetry store on %s', (backend) => {
  const testStore = useTestStore(backend, 'tstore');
  let store: Store;
  beforeAll(() => {
    store = testStore.store;
  });
  const anApp = (slug: string) => testStore.anApp(slug);
  let seq = 1;
  const stored = (l: LogLine): StoredLogLine => ({ ...l, seq: seq++ });

  it('pages newest first by position, filters by severity and time, and counts usage', async () => {
    const app = await anApp('paged');
    // Two lines share each timestamp: the sequence orders them.
    await store.logs.append(Array.from({ length: 300 }, (_, i) => stored(line(app, Math.floor(i / 2)))));
    const seen: number[] = [];
    let after = null;
    for (;;) {
      const page: Awaited<ReturnType<LogRepository['query']>> = await store.logs.query({ appId: app, limit: 70, severity: null, startTime: null, endTime: null, after });
      seen.push(...page.lines.map((l) => l.seq));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toHaveLength(300);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    const errors = await store.logs.query({ appId: app, limit: 1000, severity: 'ERROR', startTime: null, endTime: null, after: null });
    expect(errors.lines.every((l) => l.severity === 'ERROR')).toBe(true);
    expect(errors.lines).toHaveLength(30);
    const windowed = await store.logs.query({ appId: app, limit: 1000, severity: null, startTime: new Date(t0 + 10_000), endTime: new Date(t0 + 20_000), after: null });
    expect(windowed.lines.map((l) => l.timestamp.getTime() - t0)).toEqual(Array.from({ length: 20 }, (_, i) => 19_000 - Math.floor(i / 2) * 1000));
    const usage = (await store.logs.usage()).find((u) => u.appId === app);
    expect(usage?.lines).toBe(300);
    expect(usage?.bytes).toBeGreaterThan(300 * 64);
  });

  it('enforces retention and the size cap, and forgets purged apps', async () => {
    const old = await anApp('old-lines');
    const big = await anApp('big');
    const now = t0 + 30 * 86_400_000;
    await store.logs.append([
      ...Array.from({ length: 50 }, (_, i) => stored(line(old, i))),
      ...Array.from({ length: 10 }, (_, i) => stored(line(old, i, { timestamp: new Date(now - i * 1000) }))),
      ...Array.from({ length: 2000 }, (_, i) => stored(line(big, i, { timestamp: new Date(now - 1000 + i), message: 'x'.repeat(100) }))),
    ]);
    const maxBytes = 100 * (100 + 64);
    const pruner = createLogPruner({ logs: store.logs, metrics: store.metrics, logger: quiet, now: () => new Date(now), retentionDays: 7, maxBytesPerApp: maxBytes, chunk: 300, pauseMs: 0 });
    await pruner.prune();
    const left = await store.logs.query({ appId: old, limit: 1000, severity: null, startTime: null, endTime: null, after: null });
    expect(left.lines).toHaveLength(10);
    const usage = await store.logs.usage();
    const bigUsage = usage.find((u) => u.appId === big);
    expect(bigUsage?.bytes).toBeLessThanOrEqual(maxBytes);
    const bigLines = await store.logs.query({ appId: big, limit: 1000, severity: null, startTime: null, endTime: null, after: null });
    expect(bigLines.lines.length).toBe(bigUsage?.lines);
    // The newest survive.
    expect(bigLines.lines[0]?.timestamp.getTime()).toBe(now - 1000 + 1999);
    await store.apps.purge(old);
    await pruner.prune();
    expect((await store.logs.usage()).some((u) => u.appId === old)).toBe(false);
    expect((await store.logs.query({ appId: old, limit: 10, severity: null, startTime: null, endTime: null, after: null })).lines).toEqual([]);
  });

  it('remembers which lines it pruned, so a resume after a pruned line knows how many after it are gone', async () => {
    const app = await anApp('pruned-count');
    const other = await anApp('pruned-other');
    // The two apps' lines interleave: an app's positions are not consecutive.
    const lines = Array.from({ length: 40 }, (_, i) => stored(line(i % 3 === 0 ? other : app, i)));
    await store.logs.append(lines);
    const mine = lines.filter((l) => l.appId === app).map((l) => l.seq);
    // Two prunes (two records): the reader's position, the 5th line, falls in the first.
    expect(await store.logs.deleteOldest(app, 8)).toBe(8);
    expect(await store.logs.deleteOldest(app, 6)).toBe(6);
    const position = mine[4] as number;
    const after = await store.logs.linesAfter(app, position, 100, 'oldest');
    expect(after.holdsPosition).toBe(false);
    expect(after.total).toBe(mine.length - 14);
    expect(after.pruned).toBe(14 - 5);
    // A kept position: nothing after it was pruned.
    expect((await store.logs.linesAfter(app, mine[20] as number, 100, 'oldest')).pruned).toBe(0);
    // Not one of the app's lines (another app's): the store cannot tell.
    expect((await store.logs.linesAfter(app, lines[0]?.seq as number, 100, 'oldest')).pruned).toBeNull();
    // An app forgotten forgets its pruned positions too.
    await store.logs.forgetApp(app);
    expect((await store.logs.linesAfter(app, position, 100, 'oldest')).pruned).toBeNull();
  });

  it('ingests in fair batches, bounds each app’s queue and reports what it dropped', async () => {
    const chatty = await anApp('chatty');
    const quietApp = await anApp('quiet');
    const ingest = createLogIngest({ logs: store.logs, logger: quiet, batchLines: 100, gatherMs: 1, queueMaxLines: 500 });
    await ingest.start();
    for (let i = 0; i < 800; i++) ingest.accept(line(chatty, i));
    for (let i = 0; i < 5; i++) ingest.accept(line(quietApp, i));
    await ingest.flush();
    await ingest.stop();
    expect(ingest.counters.dropped.get(chatty)).toBe(300);
    const chattyLines = await store.logs.query({ appId: chatty, limit: 1000, severity: null, startTime: null, endTime: null, after: null });
    expect(chattyLines.lines.filter((l) => l.stream === 'stdout')).toHaveLength(500);
    expect(chattyLines.lines.find((l) => l.stream === 'platform')?.message).toMatch(/^Berth dropped 300 log lines/);
    const quietLines = await store.logs.query({ appId: quietApp, limit: 1000, severity: null, startTime: null, endTime: null, after: null });
    expect(quietLines.lines).toHaveLength(5);
  });

  it('tells failed builds from failed deploys and counts today’s deploys', async () => {
    const app = await anApp('deployed');
    const at = (minutes: number) => new Date(t0 + minutes * 60_000);
    const deployment = (id: string, status: string, revisionName: string | null, minutes: number) => ({
      id, appId: app, workspaceId: 'ws_t', status, triggerType: 'MANUAL', gitBranch: null, gitCommitSha: null, gitCommitMessage: null, buildpack: null,
      imageRef: null, revisionName, rolledBackFrom: null, error: status === 'failed' ? 'boom' : null, startedAt: at(minutes), finishedAt: at(minutes + 1), createdAt: at(minutes),
    });
    await store.deployments.create(deployment(ids('deployment'), 'failed', null, 0) as never);
    await store.deployments.create(deployment(ids('deployment'), 'failed', 'deployed-00001', 10) as never);
    await store.deployments.create(deployment(ids('deployment'), 'succeeded', 'deployed-00002', 20) as never);
    const failed = (await store.activity.failedSince(at(-1))).filter((f) => f.appId === app);
    expect(failed.map((f) => f.failedBuild)).toEqual([true, false]);
    expect((await store.activity.succeededSince(at(-1))).filter((s) => s.appId === app)).toHaveLength(1);
    const stats = await store.activity.deployStats('ws_t', at(5));
    expect(stats).toMatchObject({ total: 3, today: 2, failedBuildsToday: 0 });
    expect((await store.activity.deployStats('ws_t', at(-1))).failedBuildsToday).toBe(1);
    const recent = await store.activity.recentDeploys('ws_t', 2);
    expect(recent.map((r) => r.status)).toEqual(['succeeded', 'failed']);
  });

  it('adds samples into buckets and keeps one open alert per app and type', async () => {
    const app = await anApp('measured');
    const bucket = { appId: app, resolutionS: 60, start: new Date(t0), samples: 1, cpuSum: 10, cpuMax: 10, memorySum: 100, memoryMax: 100, instancesSum: 1, instancesMax: 1, requests: 5, errors: 1, latencySumMs: 50, latencyMaxMs: 10 };
    await store.metrics.add([bucket]);
    await store.metrics.add([{ ...bucket, cpuSum: 30, cpuMax: 30, memoryMax: 50, requests: 7 }]);
    const [row] = await store.metrics.range(app, 60, new Date(t0), new Date(t0 + 60_000));
    expect(row).toMatchObject({ samples: 2, cpuSum: 40, cpuMax: 30, memoryMax: 100, requests: 12, errors: 2 });

    const alert = { workspaceId: 'ws_t', appId: app, type: 'high_cpu' as const, severity: 'warning' as const, message: 'hot', triggeredAt: new Date() };
    const first = await store.alerts.open({ ...alert, id: ids('alert') });
    expect(first).toMatchObject({ appName: 'measured', resolvedAt: null });
    expect(await store.alerts.open({ ...alert, id: ids('alert') })).toBeNull();
    expect(await store.alerts.resolve(first?.id ?? '', new Date(), 'user')).toMatchObject({ resolvedBy: 'user' });
    expect(await store.alerts.open({ ...alert, id: ids('alert') })).not.toBeNull();
    expect(await store.alerts.list({ workspaceId: 'ws_t', appId: app, resolved: false, limit: 10 })).toHaveLength(1);
    expect(await store.alerts.list({ workspaceId: 'ws_t', appId: app, resolved: null, limit: 10 })).toHaveLength(2);
  });

  it('stores one round of samples for thousands of apps (more values than one statement may bind)', async () => {
    const app = await anApp('crowded');
    // 6,000 buckets × 14 values: past SQLite's 32,766 and PostgreSQL's 65,535 bind parameters.
    const round = Array.from({ length: 6_000 }, (_, i) => ({
      appId: app, resolutionS: 60, start: new Date(t0 + i * 60_000), samples: 1, cpuSum: i, cpuMax: i, memorySum: 1, memoryMax: 1,
      instancesSum: 1, instancesMax: 1, requests: 1, errors: 0, latencySumMs: 1, latencyMaxMs: 1,
    }));
    await store.metrics.add(round);
    const rows = await store.metrics.range(app, 60, new Date(t0), new Date(t0 + 6_000 * 60_000));
    expect(rows).toHaveLength(6_000);
    expect(rows.at(-1)).toMatchObject({ cpuSum: 5_999, samples: 1 });
  });
});
