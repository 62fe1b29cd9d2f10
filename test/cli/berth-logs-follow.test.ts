// `berth logs -f` through a connection that breaks (a proxy in between drops it, as a network blip
// or Berth cutting off a reader that fell behind would): the CLI says so on stderr, reconnects by
// itself with the last line's id, and prints the lines written meanwhile, each once, in order.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnBerth } from '../support/berth-cli.js';
import { cliHome } from '../support/cli-home.js';
import type { CliHome } from '../support/cli-home.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { createApp, deploy, floodRoute, scriptApp, viaEdge, waitFor } from '../telemetry/support.js';

/** A TCP proxy to `port` whose open connections `cut()` drops. */
async function cuttableProxy(port: number) {
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut: () => {
      for (const s of open) s.destroy();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('berth logs -f across a broken connection', { timeout: 120_000 }, () => {
  let t: TestBerth;
  let home: CliHome;
  let proxy: Awaited<ReturnType<typeof cuttableProxy>>;
  let app: { id: string; slug: string };
  const flood = (tag: string, n: number) => viaEdge(t, app.slug, `/flood?tag=${tag}&n=${n}`);

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { env: { BERTH_SSE_HEARTBEAT_MS: '300' } });
    home = cliHome(() => t);
    proxy = await cuttableProxy(t.berth.apiPort);
    app = await createApp(t, { name: 'Blip', slug: 'blip' });
    const dir = scriptApp('', { routes: floodRoute });
    expect((await deploy(t, app.id, dir)).deployment.status).toBe('succeeded');
  }, 60_000);
  afterAll(async () => {
    proxy?.cut();
    await proxy?.close();
    await t?.close();
    home?.close();
  });

  it('reconnects and prints the lines written while it was cut off, each once', async () => {
    const follow = spawnBerth(['logs', 'blip', '-f', '--limit', '1'], { env: { ...home.env, BERTH_URL: proxy.url } });
    let stdout = '';
    let stderr = '';
    follow.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    follow.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => follow.once('exit', resolve));
    try {
      await waitFor('the first line followed', async () => {
        await flood('first', 1);
        return stdout.includes(' first 0\n') || undefined;
      });
      proxy.cut();
      expect((await flood('gap', 20)).status).toBe(200);
      await waitFor('the reconnect', () => /reconnecting in \d+ s/.test(stderr) || undefined);
      await waitFor('the lines written while cut off', () => stdout.includes(' gap 19\n') || undefined);
      expect((await flood('after', 1)).status).toBe(200);
      await waitFor('a line written after the reconnect', () => stdout.includes(' after 0\n') || undefined);
      const gap = stdout.split('\n').filter((l) => / gap \d+$/.test(l)).map((l) => l.replace(/^.* (gap \d+)$/, '$1'));
      expect(gap).toEqual(Array.from({ length: 20 }, (_, i) => `gap ${i}`));
      expect(stderr).not.toMatch(/skipped/);
    } finally {
      follow.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
