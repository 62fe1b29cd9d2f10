// Readiness of an app that does not listen on PORT: it is served where it listens, and a port it
// is known to use (a domain's targetPort) wins even when it opens a moment after another one. The
// TCP probe closes its connection cleanly, so an app that greets every connection sees no reset.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { tcpProbe, waitForReadiness } from './readiness.js';

const servers: net.Server[] = [];

async function listen(port = 0): Promise<number> {
  const server = net.createServer((socket) => socket.destroy());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const tcp = { kind: 'tcp' as const, timeoutMs: 500 };

describe('readiness on the ports an app listens on', () => {
  it('waits for the preferred port when another one opens first', async () => {
    const unused = await freePort();
    const open: number[] = [await listen()];
    const preferred = await freePort();
    setTimeout(() => void listen(preferred).then((port) => open.push(port)), 200);
    const ready = await waitForReadiness(
      tcp,
      { address: { host: '127.0.0.1', port: unused }, startedAtMs: Date.now(), exited: new Promise(() => {}), listeningPorts: async () => [...open], preferredPorts: [preferred] },
      10_000,
    );
    expect(ready.port).toBe(preferred);
  });

  it('serves on the port it found once the preferred one has not shown up', async () => {
    const unused = await freePort();
    const only = await listen();
    const ready = await waitForReadiness(
      tcp,
      { address: { host: '127.0.0.1', port: unused }, startedAtMs: Date.now(), exited: new Promise(() => {}), listeningPorts: async () => [only], preferredPorts: [await freePort()] },
      10_000,
    );
    expect(ready.port).toBe(only);
  });
});

describe('the TCP probe', () => {
  it('closes with a FIN: an app that greets each connection gets no reset, however many probes', async () => {
    const errors: string[] = [];
    let ends = 0;
    const server = net.createServer((socket) => {
      socket.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
      socket.on('end', () => (ends += 1));
      socket.end('hi '.repeat(1000));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    for (let i = 0; i < 50; i++) expect(await tcpProbe('127.0.0.1', port, 1_000)).toMatchObject({ ok: true });
    await expect.poll(() => ends, { timeout: 5_000 }).toBe(50);
    expect(errors).toEqual([]);
  });
});
