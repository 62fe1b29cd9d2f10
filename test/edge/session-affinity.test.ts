// Session affinity: for an app that turns it on, the edge's first answer to a browser sets a
// cookie naming the instance that answered, and the browser's later requests and WebSocket
// upgrades go to that instance while it still serves the request's choice (a revision of the
// split, or the tagged one); an instance that left, or a revision the split no longer sends to,
// gets the browser a new pin. Apps without it get no cookie and plain round-robin.
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { Edge } from '../../src/edge/create-edge.js';
import { aTable, aTarget, anApp, call, edgeModes, namedUpstream, startEdge, useEdgeWorkers, type Upstream } from './helpers.js';

let a: Upstream;
let b: Upstream;
let c: Upstream;
const servers: WebSocketServer[] = [];

beforeAll(async () => {
  [a, b, c] = await Promise.all([namedUpstream('a'), namedUpstream('b'), namedUpstream('c')]);
  for (const [name, upstream] of [['a', a], ['b', b], ['c', c]] as const) {
    const wss = new WebSocketServer({ server: upstream.server });
    wss.on('connection', (socket) => socket.send(name));
    servers.push(wss);
  }
});

afterAll(async () => {
  for (const wss of servers) {
    for (const client of wss.clients) client.terminate();
    wss.close();
  }
  await Promise.all([a.close(), b.close(), c.close()]);
});

/** The cookie pair (`name=value`) a Set-Cookie header sets, or null. */
function cookieOf(setCookie: string[] | undefined): string | null {
  const found = (setCookie ?? []).find((line) => line.startsWith('berth-affinity='));
  return found === undefined ? null : (found.split(';')[0] ?? null);
}

describe.each(edgeModes)('session affinity ($name)', ({ workers }) => {
  let edge: Edge;
  let port: number;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const get = async (host: string, cookie?: string) => {
    const reply = await call(port, { host, agent, ...(cookie ? { headers: { cookie } } : {}) });
    return { name: String(reply.headers['x-upstream']), setCookie: reply.headers['set-cookie'] };
  };
  const firstWord = (host: string, cookie: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { host, cookie } });
      socket.once('message', (data) => {
        resolve(String(data));
        socket.close();
      });
      socket.once('error', reject);
    });

  beforeAll(async () => {
    useEdgeWorkers(workers);
    ({ edge, port } = await startEdge());
  });
  afterAll(async () => {
    agent.destroy();
    await edge.close();
  });

  it('pins a browser to the instance that answered it first, requests and upgrades alike; without the setting nothing changes', async () => {
    await edge.setRoutes(
      aTable([
        anApp({ slug: 'chat', sessionAffinity: true, targets: [aTarget('chat-00001', [a.port, b.port])] }),
        anApp({ slug: 'plain', targets: [aTarget('plain-00001', [a.port, b.port])] }),
      ]),
    );
    const first = await get('chat.apps.test');
    const cookie = cookieOf(first.setCookie);
    expect(cookie).toMatch(/^berth-affinity=[\w-]{22}$/);
    expect(first.setCookie?.find((line) => line.startsWith('berth-affinity='))).toMatch(/; Path=\/; HttpOnly; SameSite=Lax$/);
    const pinned = await Promise.all(Array.from({ length: 12 }, () => get('chat.apps.test', cookie ?? '')));
    expect(new Set(pinned.map((r) => r.name))).toEqual(new Set([first.name]));
    expect(pinned.every((r) => r.setCookie === undefined)).toBe(true);
    for (let i = 0; i < 4; i++) expect(await firstWord('chat.apps.test', `theme=dark; ${cookie}`)).toBe(first.name);

    // Browsers without the cookie are still spread over the instances, each told its own pin.
    const fresh = await Promise.all(Array.from({ length: 6 }, () => get('chat.apps.test')));
    expect(new Set(fresh.map((r) => r.name))).toEqual(new Set(['a', 'b']));
    expect(new Set(fresh.map((r) => cookieOf(r.setCookie))).size).toBe(2);

    const plain = await Promise.all(Array.from({ length: 6 }, () => get('plain.apps.test', cookie ?? '')));
    expect(new Set(plain.map((r) => r.name))).toEqual(new Set(['a', 'b']));
    expect(plain.every((r) => r.setCookie === undefined)).toBe(true);
  });

  it('re-pins a browser whose instance left, or whose revision no longer gets traffic', async () => {
    await edge.setRoutes(aTable([anApp({ slug: 'chat', sessionAffinity: true, targets: [aTarget('chat-00001', [a.port, b.port])] })]));
    let reply = await get('chat.apps.test');
    while (reply.name !== 'a') reply = await get('chat.apps.test');
    const onA = cookieOf(reply.setCookie) ?? '';

    await edge.setRoutes(aTable([anApp({ slug: 'chat', sessionAffinity: true, targets: [aTarget('chat-00001', [b.port])] })]));
    const moved = await get('chat.apps.test', onA);
    expect(moved.name).toBe('b');
    const onB = cookieOf(moved.setCookie);
    expect(onB).not.toBeNull();
    expect(onB).not.toBe(onA);

    // A 50/50 split keeps the pinned browser on its revision; once its revision has 0 %, it moves.
    const split = (old: number) =>
      aTable([anApp({ slug: 'chat', sessionAffinity: true, targets: [aTarget('chat-00001', [b.port], old), aTarget('chat-00002', [c.port], 100 - old, 'next')] })]);
    await edge.setRoutes(split(50));
    const kept = await Promise.all(Array.from({ length: 10 }, () => get('chat.apps.test', onB ?? '')));
    expect(kept.map((r) => r.name)).toEqual(Array(10).fill('b'));
    // A tag URL serves its own revision whatever the pin says.
    expect((await get('next---chat.apps.test', onB ?? '')).name).toBe('c');
    await edge.setRoutes(split(0));
    const rolled = await get('chat.apps.test', onB ?? '');
    expect(rolled.name).toBe('c');
    expect(cookieOf(rolled.setCookie)).not.toBeNull();
  });
});
