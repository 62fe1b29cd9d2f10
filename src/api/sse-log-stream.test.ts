// A live log stream never buffers without bound: a reader that stops reading is skipped ahead
// (and told how many lines it missed), and one that stays stuck is disconnected.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveLogLine } from '../core/ports/telemetry.js';
import { streamSse } from './sse-log-stream.js';

const line = (i: number): LiveLogLine => ({
  seq: i,
  timestamp: new Date(),
  severity: 'INFO',
  message: `line ${i} ${'x'.repeat(200)}`,
  instanceId: 'app-00001-abc123',
  revisionName: 'app-00001',
  stream: 'stdout',
});
const present = (l: LiveLogLine) => ({ timestamp: l.timestamp.toISOString(), severity: l.severity, message: l.message });

async function serve(options: { stuckCutoffMs: number }) {
  let push: (lines: readonly LiveLogLine[]) => void = () => {};
  let skip: (count: number) => void = () => {};
  let closed = false;
  const app = Fastify({ forceCloseConnections: true });
  app.get('/stream', async (_request, reply) => {
    await streamSse(
      reply,
      async (listener) => {
        push = (lines) => listener.onLines(lines);
        skip = (count) => listener.onSkipped?.(count);
        return { close: () => (closed = true) };
      },
      { heartbeatMs: 50, maxBufferedBytes: 16 * 1024, stuckCutoffMs: options.stuckCutoffMs, present },
    );
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, port: (app.server.address() as AddressInfo).port, push: (lines: readonly LiveLogLine[]) => push(lines), skip: (count: number) => skip(count), closed: () => closed };
}

function open(port: number): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/stream', agent: false }, resolve);
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 20,000 lines pushed while the reader's socket is paused, then the reader reads again; `received + skipped` lines are accounted for. */
async function burstAtPausedReader(server: Awaited<ReturnType<typeof serve>>, res: http.IncomingMessage) {
  res.pause();
  let sent = 0;
  for (let round = 0; round < 200; round++) {
    server.push(Array.from({ length: 100 }, () => line(sent++)));
    await sleep(2);
  }
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (c: string) => (text += c));
  res.resume();
  const counts = () => ({
    received: (text.match(/^data: \{"timestamp"/gm) ?? []).length,
    skipped: [...text.matchAll(/event: skipped\ndata: \{"skipped":(\d+)\}/g)].reduce((sum, m) => sum + Number(m[1]), 0),
  });
  return { sent, text: () => text, counts };
}

describe('SSE log stream with slow readers', () => {
  let app: FastifyInstance | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('skips a reader ahead while its socket is full, then says how many lines it missed', async () => {
    const server = await serve({ stuckCutoffMs: 60_000 });
    app = server.app;
    const res = await open(server.port);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const burst = await burstAtPausedReader(server, res);
    let sent = burst.sent;
    const { counts } = burst;
    // Once the reader keeps up again, one more line brings the notice of what it missed; every
    // line is then either received or counted as skipped (the machine may be slow: keep trying).
    for (let i = 0; i < 100; i++) {
      await sleep(100);
      server.push([line(sent++)]);
      await sleep(100);
      const { received, skipped } = counts();
      if (received + skipped === sent) break;
    }
    expect(counts().skipped).toBeGreaterThan(0);
    expect(counts().received + counts().skipped).toBe(sent);
    res.destroy();
  });

  it('tells a reader how many lines it missed even when no line follows the burst', async () => {
    const server = await serve({ stuckCutoffMs: 60_000 });
    app = server.app;
    const res = await open(server.port);
    const { sent, text, counts } = await burstAtPausedReader(server, res);
    // The burst is over and nothing more is pushed: the notice must come with the drained socket.
    await expect.poll(() => counts().received + counts().skipped, { timeout: 20_000 }).toBe(sent);
    expect(text()).toMatch(/event: skipped/);
    res.destroy();
  });

  it('passes on the lines the live tail itself had to drop, before the lines that follow', async () => {
    const server = await serve({ stuckCutoffMs: 60_000 });
    app = server.app;
    const res = await open(server.port);
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
    server.skip(7);
    server.push([line(1)]);
    await expect.poll(() => text, { timeout: 10_000 }).toMatch(/event: skipped\ndata: \{"skipped":7\}\n\nid: 1\ndata: \{"timestamp"/);
    res.destroy();
  });

  it('disconnects a reader that stays stuck', async () => {
    const server = await serve({ stuckCutoffMs: 200 });
    app = server.app;
    const res = await open(server.port);
    res.pause();
    // Enough to fill the kernel's socket buffers too (several MiB on loopback).
    for (let round = 0; round < 1000 && !server.closed(); round++) {
      server.push(Array.from({ length: 100 }, (_, i) => line(i)));
      await sleep(5);
    }
    expect(server.closed()).toBe(true);
    // Once the client reads what was already buffered, it finds the stream ended.
    const ended = new Promise<void>((resolve) => res.on('close', () => resolve()));
    res.resume();
    await ended;
  });
});
