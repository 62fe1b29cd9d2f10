// Logs end to end: real apps under a real Berth write JSON and plain-text lines; the Monitoring
// API reads them back with severities, filters, time bounds and stable paging, and streams new
// lines over SSE to bearer-header and token= clients.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { createApp, deploy, readEvents, scriptApp, viaEdge, waitFor, ws } from './support.js';

const jsonLines = [
  { level: 20, msg: 'pino debug' },
  { level: 30, msg: 'pino info' },
  { level: 40, msg: 'pino warn' },
  { level: 50, msg: 'pino error' },
  { level: 60, msg: 'pino fatal' },
  { level: 'warn', message: 'winston warn' },
  { level: 'error', message: 'winston error' },
  { levelname: 'CRITICAL', message: 'python critical' },
  { name: 'svc', hostname: 'h', pid: 1, level: 40, msg: 'bunyan warn', v: 0 },
];

describe.each(backends)('logs on %s', (backend) => {
  let t: TestBerth;
  let jsonApp: { id: string; slug: string };
  let textApp: { id: string; slug: string };
  type Page = { logs: { timestamp: string; severity: string; message: string }[]; nextPageToken: string | null };
  const logs = (app: { id: string }, query = '') => t.request<Page>('GET', ws(t, `/monitoring/apps/${app.id}/logs${query}`));

  beforeAll(async () => {
    t = await startTestBerth(backend, { env: { BERTH_SSE_HEARTBEAT_MS: '300', BERTH_METRICS_INTERVAL_MS: '1000' } });
    jsonApp = await createApp(t, { name: 'Json logger', slug: 'json-logger' });
    textApp = await createApp(t, { name: 'Text logger', slug: 'text-logger' });
    const json = scriptApp(`
      for (const line of ${JSON.stringify(jsonLines)}) say(JSON.stringify(line));
      let n = 0;
      setInterval(() => say(JSON.stringify({ level: 30, msg: 'tick ' + (n++) })), 5);`);
    const text = scriptApp(`
      say('ERROR: database unreachable');
      say('WARNING:root:disk almost full', 'stderr');
      say('[debug] cache miss');
      say('plain stdout line');
      say('plain stderr line', 'stderr');
      say('2025-01-20 14:30:01,123 CRITICAL out of memory');
      say('\\x1b[32m[Nest] 15  - \\x1b[39m12/05/2026 \\x1b[33m   WARN\\x1b[39m \\x1b[38;5;3m[Config] \\x1b[39mcoloured as on a terminal');`);
    const [a, b] = await Promise.all([deploy(t, jsonApp.id, json), deploy(t, textApp.id, text)]);
    expect(a.deployment.status).toBe('succeeded');
    expect(b.deployment.status).toBe('succeeded');
  }, 60_000);
  afterAll(async () => t?.close());

  it('maps the level fields of pino, winston, bunyan and Python JSON lines', async () => {
    const bySeverity = async (severity: string) => {
      await waitFor(`${severity} lines`, async () => (await logs(jsonApp, `?severity=${severity}&limit=1000`)).body.logs.length > 0 || undefined);
      const res = await logs(jsonApp, `?severity=${severity}&limit=1000`);
      expect(res.status).toBe(200);
      expect(res.body.logs.every((l) => l.severity === severity)).toBe(true);
      return res.body.logs.map((l) => JSON.parse(l.message).msg ?? JSON.parse(l.message).message);
    };
    expect(await bySeverity('DEBUG')).toEqual(['pino debug']);
    expect((await bySeverity('WARNING')).sort()).toEqual(['bunyan warn', 'pino warn', 'winston warn']);
    expect((await bySeverity('ERROR')).sort()).toEqual(['pino error', 'winston error']);
    expect((await bySeverity('CRITICAL')).sort()).toEqual(['pino fatal', 'python critical']);
    expect(await bySeverity('INFO')).toContain('pino info');
  });

  it('reads a leading level word of plain-text lines, else the stream default', async () => {
    const all = await waitFor('the text app lines', async () => {
      const res = await logs(textApp, '?limit=1000');
      return res.body.logs.filter((l) => !l.message.startsWith('Instance')).length >= 7 ? res.body.logs : undefined;
    });
    const severityOf = Object.fromEntries(all.map((l) => [l.message, l.severity]));
    expect(severityOf).toMatchObject({
      'ERROR: database unreachable': 'ERROR',
      'WARNING:root:disk almost full': 'WARNING',
      '[debug] cache miss': 'DEBUG',
      'plain stdout line': 'INFO',
      'plain stderr line': 'ERROR',
      '2025-01-20 14:30:01,123 CRITICAL out of memory': 'CRITICAL',
      '[Nest] 15  - 12/05/2026    WARN [Config] coloured as on a terminal': 'WARNING',
    });
    for (const line of all) expect(line.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const times = all.map((l) => Date.parse(l.timestamp));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });

  it('pages newest first without skipping or repeating a line while the app keeps writing', async () => {
    // Eight pages of 50 INFO lines must exist before paging starts, with room to spare.
    await waitFor('five hundred INFO lines', async () => (await logs(jsonApp, '?severity=INFO&limit=1000')).body.logs.length >= 500 || undefined);
    const ticks: number[] = [];
    let token: string | null = null;
    for (let page = 0; page < 8; page++) {
      const res = await logs(jsonApp, `?severity=INFO&limit=50${token ? `&pageToken=${token}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.logs.length).toBe(50);
      for (const line of res.body.logs) {
        const msg = JSON.parse(line.message).msg as string;
        if (msg.startsWith('tick ')) ticks.push(Number(msg.slice(5)));
      }
      token = res.body.nextPageToken;
      expect(token).toEqual(expect.any(String));
      await new Promise((r) => setTimeout(r, 30));
    }
    // Ticks are written one after another: newest first, every number once, none missing.
    const first = ticks[0] ?? 0;
    expect(ticks).toEqual(ticks.map((_, i) => first - i));
  });

  it('honours startTime (inclusive) and endTime (exclusive)', async () => {
    const all = (await logs(jsonApp, '?limit=1000')).body.logs;
    const middle = all[Math.floor(all.length / 2)]?.timestamp ?? '';
    const before = (await logs(jsonApp, `?limit=1000&endTime=${middle}`)).body.logs;
    const after = (await logs(jsonApp, `?limit=1000&startTime=${middle}`)).body.logs;
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect(before.every((l) => l.timestamp < middle)).toBe(true);
    expect(after.every((l) => l.timestamp >= middle)).toBe(true);
    const window = (await logs(jsonApp, `?limit=1000&startTime=${all.at(-1)?.timestamp}&endTime=${middle}`)).body.logs;
    expect(window.every((l) => l.timestamp >= (all.at(-1)?.timestamp ?? '') && l.timestamp < middle)).toBe(true);
  });

  it('validates limit, severity, times and page tokens', async () => {
    expect((await logs(jsonApp, '?limit=1001')).status).toBe(400);
    expect((await logs(jsonApp, '?limit=0')).status).toBe(400);
    expect((await logs(jsonApp, '?severity=LOUD')).status).toBe(400);
    expect((await logs(jsonApp, '?startTime=yesterday')).status).toBe(400);
    expect((await logs(jsonApp, '?pageToken=not-a-token')).status).toBe(400);
    expect((await logs(jsonApp)).body.logs.length).toBe(100);
    expect((await t.request('GET', ws(t, '/monitoring/apps/nope/logs'))).status).toBe(404);
    expect((await t.request('GET', ws(t, `/monitoring/apps/${jsonApp.id}/logs`), { key: null })).status).toBe(401);
  });

  it.each(['bearer', 'token'])('streams a line written after connecting (%s)', async (auth) => {
    const marker = `streamed-${auth}-${Date.now()}`;
    const base = `${t.url}${ws(t, `/monitoring/apps/${textApp.slug}/logs/stream`)}`;
    const url = auth === 'token' ? `${base}?token=${encodeURIComponent(t.key)}` : base;
    const headers: Record<string, string> = auth === 'bearer' ? { authorization: `Bearer ${t.key}` } : {};
    const result = await readEvents(
      url,
      headers,
      async () => {
        expect((await viaEdge(t, textApp.slug, `/say?text=${marker}`)).status).toBe(200);
      },
      (events) => events.some((e) => e.message === marker),
    );
    expect(result.status).toBe(200);
    expect(result.contentType).toMatch(/^text\/event-stream/);
    // Which revision's instance wrote it: a canary's lines are told from the stable revision's.
    expect(result.events.find((e) => e.message === marker)).toEqual({
      seq: expect.any(Number),
      timestamp: expect.any(String),
      severity: 'INFO',
      message: marker,
      revisionName: `${textApp.slug}-00001`,
      instanceId: expect.stringMatching(new RegExp(`^${textApp.slug}-00001-`)),
    });
  });

  it('logs the output of cron runs and how each run ended', async () => {
    const cron = await createApp(t, { name: 'Nightly', slug: 'nightly', type: 'cron', schedule: '* * * * * *' });
    const dir = scriptApp('');
    fs.writeFileSync(`${dir}/server.js`, `console.log('cron says hi'); console.error('WARN: almost done');`);
    expect((await deploy(t, cron.id, dir)).deployment.status).toBe('succeeded');
    const lines = await waitFor('a finished cron run in the log', async () => {
      const res = await logs(cron, '?limit=100');
      return res.body.logs.some((l) => /^Cron run .* exited with code 0$/.test(l.message)) ? res.body.logs : undefined;
    });
    expect(lines.find((l) => l.message === 'cron says hi')?.severity).toBe('INFO');
    expect(lines.find((l) => l.message === 'WARN: almost done')?.severity).toBe('WARNING');
    await t.request('POST', ws(t, '/deploy/scale'), { body: { appId: cron.id, replicas: 0 } });
  });

  it('ends the stream when the app is deleted', async () => {
    const doomed = await createApp(t, { name: 'Doomed', slug: 'doomed' });
    expect((await deploy(t, doomed.id, scriptApp(''))).deployment.status).toBe('succeeded');
    const url = `${t.url}${ws(t, `/monitoring/apps/${doomed.id}/logs/stream`)}`;
    const result = await readEvents(
      url,
      { authorization: `Bearer ${t.key}` },
      async () => {
        expect((await t.request('DELETE', ws(t, `/apps/${doomed.id}`))).status).toBeLessThan(300);
      },
      () => false,
      30_000,
    );
    expect(result.status).toBe(200);
  });

  it('sends heartbeats on an idle stream and refuses streams without a valid key', async () => {
    const url = `${t.url}${ws(t, `/monitoring/apps/${textApp.id}/logs/stream`)}`;
    const started = Date.now();
    const heartbeats: string[] = [];
    await readEvents(url, { authorization: `Bearer ${t.key}` }, async () => {}, () => Date.now() - started > 1_200, 5_000)
      .then((r) => heartbeats.push(...r.comments.filter((c) => c.startsWith(': heartbeat'))))
      .catch(() => undefined);
    expect(heartbeats.length).toBeGreaterThan(0);
    expect((await fetch(`${url}?token=dor_sk_wrongwrongwrongwrong`)).status).toBe(401);
    expect((await fetch(url)).status).toBe(401);
  });
});
