// An HTTP/2 connection on the TLS port that stays silent is closed after the idle timeout the
// edge is given (BERTH_EDGE_H2_IDLE_TIMEOUT_MS), in process and on workers, and not before it.
// The margins are wide (open at 300 ms, closed by 6 s, with a 1.5 s timeout): no timing race.
import http2 from 'node:http2';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edge } from '../../src/edge/create-edge.js';
import { edgeModes, startTlsFixture, useEdgeWorkers, type TlsFixture } from './helpers.js';

const idleTimeoutMs = 1_500;
let fixture: TlsFixture;

beforeAll(async () => {
  fixture = await startTlsFixture('h2-idle');
});

afterAll(() => fixture.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(edgeModes)('HTTP/2 idle timeout ($name)', ({ workers }) => {
  let edge: Edge;
  let tlsPort: number;

  beforeAll(async () => {
    useEdgeWorkers(workers);
    ({ edge, tlsPort } = await fixture.startEdge({ h2IdleTimeoutMs: idleTimeoutMs }));
  });

  afterAll(() => edge.close());

  it('closes a session silent for the configured time, and keeps it open before', async () => {
    const session = http2.connect(`https://web.apps.test:${tlsPort}`, {
      createConnection: () =>
        tls.connect({ host: '127.0.0.1', port: tlsPort, servername: 'web.apps.test', ca: fixture.certPem, ALPNProtocols: ['h2'] }),
    });
    session.on('error', () => {});
    let goaway = false;
    session.once('goaway', () => (goaway = true));
    const closed = new Promise<number>((resolve) => session.once('close', () => resolve(Date.now())));

    const stream = session.request({ ':path': '/' });
    let body = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (body += chunk));
    await new Promise((resolve) => stream.once('end', resolve));
    const idleFrom = Date.now();
    expect(body).toBe('ok');

    await sleep(300);
    expect(session.closed || session.destroyed).toBe(false);
    expect(goaway).toBe(false);

    const closedAt = await Promise.race([closed, sleep(6_000).then(() => null)]);
    expect(closedAt).not.toBeNull();
    // Timers do not fire early; the slack is the time the last frames took to arrive here.
    expect((closedAt ?? 0) - idleFrom).toBeGreaterThanOrEqual(idleTimeoutMs - 500);
    session.destroy();
  });
});
