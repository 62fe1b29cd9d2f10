// A live log stream that breaks (a reader cut off for falling behind, a network blip) loses no
// line without saying so: every line carries its `seq` as the event id, and a reader that comes
// back with `Last-Event-ID` first gets the lines it missed, in order and once, from the stored log;
// lines the log no longer holds are told in an `event: skipped`.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { createApp, deploy, floodRoute, scriptApp, viaEdge, waitFor, ws } from './support.js';

interface SseEvent {
  id?: string;
  event?: string;
  data: any;
}

/** Reads an SSE response event by event until `done(events)`; `headers` may carry Last-Event-ID. */
async function readSse(url: string, headers: Record<string, string>, done: (events: SseEvent[]) => boolean, onOpen: () => Promise<void> = async () => {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  try {
    if (response.status !== 200 || !response.body) return { status: response.status, body: await response.json(), events };
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let opened = false;
    while (!done(events)) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += value;
      for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event: Partial<SseEvent> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) event.id = line.slice(4);
          else if (line.startsWith('event: ')) event.event = line.slice(7);
          else if (line.startsWith('data: ')) event.data = JSON.parse(line.slice(6));
        }
        if ('data' in event) events.push(event as SseEvent);
      }
      if (!opened) {
        opened = true;
        await onOpen();
      }
    }
    await reader.cancel().catch(() => undefined);
    return { status: response.status, body: null, events };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

const messages = (events: SseEvent[], prefix: string) => events.filter((e) => !e.event && String(e.data.message ?? '').startsWith(prefix)).map((e) => e.data.message as string);

describe.each(backends)('resuming a log stream on %s', (backend) => {
  let t: TestBerth;
  let app: { id: string; slug: string };
  const streamUrl = () => `${t.url}${ws(t, `/monitoring/apps/${app.id}/logs/stream`)}`;
  const auth = () => ({ authorization: `Bearer ${t.key}` });
  const flood = (tag: string, n: number) => viaEdge(t, app.slug, `/flood?tag=${tag}&n=${n}`);
  /** Connects, makes the app say `tag`, and returns the event id of that line. */
  const idOfNewLine = async (tag: string) => {
    const read = await readSse(streamUrl(), auth(), (events) => messages(events, tag).length > 0, async () => void (await flood(tag, 1)));
    return read.events.find((e) => String(e.data.message).startsWith(tag))?.id;
  };

  beforeAll(async () => {
    t = await startTestBerth(backend, { env: { BERTH_SSE_HEARTBEAT_MS: '300' } });
    app = await createApp(t, { name: 'Resumer', slug: 'resumer' });
    const dir = scriptApp('', { routes: floodRoute });
    expect((await deploy(t, app.id, dir)).deployment.status).toBe('succeeded');
  }, 60_000);
  afterAll(async () => t?.close());

  it('gives a reader that reconnects with Last-Event-ID the lines it missed, in order and once, then the live ones', async () => {
    const lastSeen = await idOfNewLine('before');
    expect(lastSeen).toMatch(/^\d+$/);
    // Written while no stream is open.
    expect((await flood('missed', 50)).status).toBe(200);
    await waitFor('the missed lines stored', async () => {
      const page = await t.request('GET', ws(t, `/monitoring/apps/${app.id}/logs?limit=1`));
      return page.body.logs[0]?.message === 'missed 49' || undefined;
    });
    const resumed = await readSse(
      streamUrl(),
      { ...auth(), 'last-event-id': String(lastSeen) },
      (events) => messages(events, 'after').length > 0,
      async () => void (await flood('after', 1)),
    );
    expect(resumed.status).toBe(200);
    expect(messages(resumed.events, 'before')).toEqual([]);
    expect(messages(resumed.events, 'missed')).toEqual(Array.from({ length: 50 }, (_, i) => `missed ${i}`));
    expect(resumed.events.filter((e) => e.event === 'skipped')).toEqual([]);
    const ids = resumed.events.filter((e) => !e.event).map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('resumes the apps-v1 follow stream the same way, instead of repeating its backlog', async () => {
    const lastSeen = await idOfNewLine('v1-before');
    expect((await flood('v1-missed', 3)).status).toBe(200);
    const resumed = await readSse(
      `${t.url}/api/v1/apps/${app.id}/logs?follow=true&lines=5`,
      { ...auth(), 'last-event-id': String(lastSeen) },
      (events) => messages(events, 'v1-missed').length >= 3,
    );
    expect(resumed.status).toBe(200);
    expect(messages(resumed.events, 'v1-before')).toEqual([]);
    expect(messages(resumed.events, 'v1-missed')).toEqual(['v1-missed 0', 'v1-missed 1', 'v1-missed 2']);
  });

  it('sends the newest 10,000 missed lines after an `event: skipped` counting the older ones', async () => {
    const lastSeen = await idOfNewLine('big-before');
    expect((await flood('big', 12_345)).status).toBe(200);
    await waitFor('the flood stored', async () => {
      const page = await t.request('GET', ws(t, `/monitoring/apps/${app.id}/logs?limit=1`));
      return page.body.logs[0]?.message === 'big 12344' || undefined;
    });
    const resumed = await readSse(streamUrl(), { ...auth(), 'last-event-id': String(lastSeen) }, (events) => messages(events, 'big 12344').length > 0);
    expect(resumed.events[0]).toEqual({ event: 'skipped', data: { skipped: 2_345 } });
    const got = messages(resumed.events, 'big');
    expect(got).toHaveLength(10_000);
    expect(got[0]).toBe('big 2345');
  });

  it('counts the lines pruned after the line the reader had, when that line is gone from the log too', async () => {
    const lastSeen = await idOfNewLine('pruned-before');
    expect((await flood('gone', 3)).status).toBe(200);
    await t.berth.telemetry.flushLogs();
    // What the size cap does to a flooding app: its oldest lines are deleted, the reader's among them.
    await t.berth.store.logs.deleteOldest(app.id, 1_000_000);
    expect((await flood('kept', 2)).status).toBe(200);
    const resumed = await readSse(streamUrl(), { ...auth(), 'last-event-id': String(lastSeen) }, (events) => messages(events, 'kept 1').length > 0);
    expect(resumed.events[0]).toEqual({ event: 'skipped', data: { skipped: 3 } });
    expect(messages(resumed.events, 'kept')).toEqual(['kept 0', 'kept 1']);
  });

  it('says it cannot count the lines when the position is not one of the app’s lines the log had', async () => {
    expect((await flood('unknown-pos', 1)).status).toBe(200);
    await t.berth.telemetry.flushLogs();
    // A position from another log (or one pruned too long ago to be remembered).
    const resumed = await readSse(streamUrl(), { ...auth(), 'last-event-id': '999999999' }, (events) => events.length > 0);
    expect(resumed.events[0]).toEqual({ event: 'skipped', data: { skipped: null } });
  });

  it('gives a reader that a burst outran every line, read back from the log once its socket drains', async () => {
    const url = new URL(streamUrl());
    const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get({ host: url.hostname, port: url.port, path: url.pathname, headers: auth(), agent: false }, resolve).on('error', reject),
    );
    let text = '';
    res.setEncoding('utf8');
    const gotFirst = new Promise<void>((resolve) => {
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes('"burst-first 0"')) resolve();
      });
    });
    await flood('burst-first', 1);
    await gotFirst;
    // The reader stops reading while the app writes far more than its socket holds.
    res.pause();
    expect((await flood('burst', 40_000)).status).toBe(200);
    await waitFor('the burst stored', async () => {
      const page = await t.request('GET', ws(t, `/monitoring/apps/${app.id}/logs?limit=1`));
      return page.body.logs[0]?.message === 'burst 39999' || undefined;
    });
    res.resume();
    await waitFor('the whole burst read', () => text.includes('"burst 39999"') || undefined);
    res.destroy();
    const got = [...text.matchAll(/"message":"(burst \d+)"/g)].map((m) => m[1]);
    expect([...text.matchAll(/event: skipped\ndata: (.*)/g)].map((m) => m[1])).toEqual([]);
    expect(got).toEqual(Array.from({ length: 40_000 }, (_, i) => `burst ${i}`));
  });

  it('refuses a Last-Event-ID that is not a line position, changing nothing', async () => {
    const res = await readSse(streamUrl(), { ...auth(), 'last-event-id': 'yesterday' }, () => true);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });
});
