// The behaviour every runtime driver (process, docker, kubernetes) must show, as one vitest
// suite. A driver's test file calls runtimeConformance with a factory; nothing here knows
// which driver it is testing.
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceSpec, InstanceStatus, OutputLine, Runtime, RuntimeEvent } from '../../core/ports/runtime.js';
import { FIXTURE_FILE, writeFixtureApp } from './conformance-fixture.js';

export interface ConformanceContext {
  /** Drivers made with the same key share their state: the second one is "Berth restarted". */
  stateKey: string;
}

export type MakeDriver = (context: ConformanceContext) => Promise<Runtime>;

export interface ConformanceOptions {
  /** A node binary the instances can run. Default /usr/bin/node. */
  nodePath?: string;
  /** A variable the caller set in its own environment: no instance may see it. */
  parentEnvCanary?: string;
  /**
   * A port for an app to bind on its own a moment later, that no other process takes meanwhile
   * (on a shared network the app binds it on the host). Default: one free on loopback just now.
   */
  appPort?: () => Promise<number>;
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function getJson(
  address: InstanceStatus['address'],
  path: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  if (!address) throw new Error('instance has no address');
  const res = await fetch(`http://${address.host}:${address.port}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function tcpRead(address: InstanceStatus['address']): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!address) return reject(new Error('instance has no address'));
    const socket = connect(address.port, address.host);
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

async function refuses(address: InstanceStatus['address'], withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    try {
      await tcpRead(address);
    } catch {
      return true;
    }
    await sleep(50);
  }
  return false;
}

/** Two ports for apps to bind, lower first (apps on the shared network bind them on the host). */
async function freePorts(appPort?: () => Promise<number>): Promise<[number, number]> {
  const freeNow = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
  const one = appPort ?? freeNow;
  const [a, b] = [await one(), await one()];
  return a < b ? [a, b] : [b, a];
}

function waitFor<T>(predicate: () => T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      const value = predicate();
      if (value !== undefined) resolve(value);
      else if (Date.now() > until) reject(new Error('condition not met in time'));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

export function runtimeConformance(name: string, makeDriver: MakeDriver, options: ConformanceOptions = {}): void {
  const node = options.nodePath ?? '/usr/bin/node';
  describe(`runtime conformance: ${name}`, () => {
    let root = '';
    let driver: Runtime;
    const drivers: Runtime[] = [];
    const lines: OutputLine[] = [];
    const exits: InstanceStatus[] = [];
    let counter = 0;

    const make = async (stateKey: string): Promise<Runtime> => {
      const made = await makeDriver({ stateKey });
      drivers.push(made);
      made.onOutput((line) => lines.push(line));
      made.onExit((status) => exits.push(status));
      return made;
    };

    /** A fresh app dir and a spec running the fixture in `mode`. */
    const spec = async (args: string[], extra: Partial<InstanceSpec> = {}): Promise<InstanceSpec> => {
      counter += 1;
      const id = `conf-${counter}-${Math.random().toString(36).slice(2, 8)}`;
      return {
        instanceId: id,
        appId: `app-${counter}`,
        revisionName: `app-${counter}-00001`,
        artifact: { kind: 'tree', digest: `sha256:${id}`, dir: await writeFixtureApp(join(root, id)) },
        command: [node, FIXTURE_FILE, ...args],
        env: { GREETING: 'hello' },
        listens: true,
        limits: { memoryMi: 256, cpuMillicores: 1000, pids: 64 },
        ...extra,
      };
    };
    const exitOf = (id: string): Promise<InstanceStatus> =>
      waitFor(() => exits.find((s) => s.instanceId === id), 10_000);
    const http = { kind: 'http', path: '/', timeoutMs: 1000 } as const;

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'berth-conformance-'));
      driver = await make('main');
    });

    afterAll(async () => {
      await Promise.all(drivers.map((d) => d.close({ drainTimeoutMs: 500 })));
      if (root) await rm(root, { recursive: true, force: true });
    });

    it('reports its isolation as booleans', () => {
      expect(typeof driver.name).toBe('string');
      for (const key of ['sandbox', 'cgroups', 'networkNamespaces'] as const)
        expect(typeof driver.isolation[key]).toBe('boolean');
    });

    it('starts an HTTP app that answers on its address', async () => {
      const s = await spec(['http']);
      const started = await driver.start(s);
      expect(started).toMatchObject({
        instanceId: s.instanceId,
        appId: s.appId,
        revisionName: s.revisionName,
        exitedAt: null,
      });
      expect(started.address?.port).toBeGreaterThan(0);
      await driver.waitReady(s.instanceId, http, 10_000);
      expect((await getJson(started.address, '/')).status).toBe(200);
      expect((await driver.status(s.instanceId))?.phase).toBe('running');
      expect((await driver.list()).map((i) => i.instanceId)).toContain(s.instanceId);
      await driver.stop(s.instanceId, { drainTimeoutMs: 2000 });
      expect((await driver.status(s.instanceId))?.phase).toBe('exited');
    });

    it('reports exactly the status fields of the port: no pid or other driver detail crosses it', async () => {
      const s = await spec(['http']);
      const started = await driver.start(s);
      await driver.waitReady(s.instanceId, http, 10_000);
      const fields = ['instanceId', 'appId', 'revisionName', 'phase', 'address', 'startedAt', 'exitedAt', 'exitCode', 'signal', 'oomKilled'].sort();
      expect(Object.keys(started).sort()).toEqual(fields);
      expect(Object.keys((await driver.status(s.instanceId)) ?? {}).sort()).toEqual(fields);
      for (const listed of await driver.list()) expect(Object.keys(listed).sort()).toEqual(fields);
      await driver.stop(s.instanceId, { drainTimeoutMs: 2000 });
    });

    /** Starts `apps` instances (one per app), ready; stops them when `use` is done. */
    const withInstances = async (apps: number, use: (addresses: NonNullable<InstanceStatus['address']>[]) => Promise<void>): Promise<void> => {
      const specs = await Promise.all(Array.from({ length: apps }, () => spec(['http'])));
      try {
        const addresses: NonNullable<InstanceStatus['address']>[] = [];
        for (const s of specs) {
          await driver.start(s);
          await driver.waitReady(s.instanceId, http, 10_000);
          const address = (await driver.status(s.instanceId))?.address;
          if (!address) throw new Error('instance has no address');
          addresses.push(address);
        }
        await use(addresses);
      } finally {
        for (const s of specs) await driver.stop(s.instanceId, { drainTimeoutMs: 500 });
      }
    };
    const connectsFrom = async (from: InstanceStatus['address'], host: string, port: number): Promise<boolean> =>
      (await getJson(from, `/connect?host=${host}&port=${port}&timeout=1000`)).body['ok'] === true;

    it("with network isolation, keeps an instance off the host's services, on loopback and every host address", async () => {
      if (!driver.isolation.networkNamespaces) return; // apps share the host network here: nothing to check
      const hostService = createServer((socket) => socket.on('error', () => undefined).end('host\n'));
      await new Promise<void>((resolve) => hostService.listen(0, '0.0.0.0', resolve));
      const port = (hostService.address() as { port: number }).port;
      const hostAddresses = Object.values(networkInterfaces())
        .flat()
        .filter((i) => i?.family === 'IPv4')
        .map((i) => i?.address ?? '127.0.0.1');
      try {
        await withInstances(1, async ([from]) => {
          const reached = [];
          for (const host of new Set(['127.0.0.1', ...hostAddresses])) if (await connectsFrom(from ?? null, host, port)) reached.push(host);
          expect(reached).toEqual([]);
          expect((await getJson(from ?? null, '/')).status).toBe(200); // the host (the edge) still reaches it
        });
      } finally {
        hostService.close();
      }
    });

    it("with network isolation, keeps an instance off other apps' instances", async () => {
      if (!driver.isolation.networkNamespaces) return;
      await withInstances(2, async ([from, other]) => {
        expect(await connectsFrom(from ?? null, other?.host ?? '', other?.port ?? 0)).toBe(false);
        expect((await getJson(other ?? null, '/')).status).toBe(200);
      });
    });

    it('gives the app exactly its env plus PORT, nothing from Berth', async () => {
      const env = {
        GREETING: 'hello',
        SPACED: 'a b  c',
        QUOTED: `it's "quoted" $HOME \\n`,
        MULTI: 'line1\nline2',
        EMPTY: '',
      };
      const s = await spec(['http'], { env });
      const started = await driver.start(s);
      await driver.waitReady(s.instanceId, http, 10_000);
      const { body } = await getJson(started.address, '/');
      expect(body['env']).toEqual({ ...env, PORT: String(started.address?.port) });
      if (options.parentEnvCanary) expect(body['env']).not.toHaveProperty(options.parentEnvCanary);
      await driver.stop(s.instanceId, { drainTimeoutMs: 2000 });
    });

    it('waits for HTTP readiness: any status below 500 passes, 5xx does not', async () => {
      const s = await spec(['http', '--delay', '400']);
      const t0 = Date.now();
      await driver.start(s);
      await driver.waitReady(s.instanceId, { kind: 'http', path: '/missing', timeoutMs: 500 }, 10_000);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
      const failing = driver.waitReady(s.instanceId, { kind: 'http', path: '/status?code=503', timeoutMs: 200 }, 600);
      await expect(failing).rejects.toThrow(/^no answer on \$PORT \d+ after 1 s \(/);
      await driver.stop(s.instanceId, { drainTimeoutMs: 2000 });
    });

    it('serves an app that ignores PORT on the port it really listens on', async () => {
      const [fixed] = await freePorts(options.appPort);
      const s = await spec(['http', '--port', String(fixed)]);
      const started = await driver.start(s);
      expect(started.address?.port).not.toBe(fixed);
      await driver.waitReady(s.instanceId, http, 10_000);
      const address = (await driver.status(s.instanceId))?.address ?? null;
      expect(address?.port).toBe(fixed);
      expect((await getJson(address, '/')).body['port']).toBe(fixed);
      await driver.stop(s.instanceId, { drainTimeoutMs: 2000 });
    });

    it('among several ports without PORT, serves the first preferred one it listens on', async () => {
      const [low, high] = await freePorts(options.appPort);
      const s = await spec(['http', '--port', String(low), '--also-port', String(high)], { preferredPorts: [high] });
      await driver.start(s);
      await driver.waitReady(s.instanceId, http, 10_000);
      expect((await driver.status(s.instanceId))?.address?.port).toBe(high);
      await driver.stop(s.instanceId, { drainTimeoutMs: 2000 });
    });

    it('serves an app that listens on 127.0.0.1 only', async () => {
      const s = await spec(['http', '--host', '127.0.0.1']);
      await driver.start(s);
      await driver.waitReady(s.instanceId, http, 10_000);
      expect((await getJson((await driver.status(s.instanceId))?.address ?? null, '/')).status).toBe(200);
      await driver.stop(s.instanceId, { drainTimeoutMs: 2000 });
    });

    it('says so when the app listens on no TCP port at all', async () => {
      const s = await spec(['worker']);
      await driver.start(s);
      await expect(driver.waitReady(s.instanceId, http, 1_500)).rejects.toThrow(/listens on no TCP port/);
      await driver.stop(s.instanceId, { drainTimeoutMs: 500 });
    });

    it('waits for TCP readiness', async () => {
      const s = await spec(['tcp']);
      const started = await driver.start(s);
      await driver.waitReady(s.instanceId, { kind: 'tcp', timeoutMs: 500 }, 10_000);
      expect(await tcpRead(started.address)).toBe('hi');
      await driver.stop(s.instanceId, { drainTimeoutMs: 2000 });
    });

    it('runs a worker without a port, ready once it stays up', async () => {
      const s = await spec(['worker'], { listens: false });
      // Uptime counts from the start, which may itself take a while on a busy machine.
      const t0 = Date.now();
      const started = await driver.start(s);
      expect(started.address).toBeNull();
      await driver.waitReady(s.instanceId, { kind: 'uptime', minUptimeMs: 300 }, 5_000);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
      await waitFor(() => lines.find((l) => l.instanceId === s.instanceId && l.line.startsWith('tick')), 5_000);
      await driver.stop(s.instanceId, { drainTimeoutMs: 2000 });
    });

    it('rejects waitReady when the app exits first, and reports the exit code', async () => {
      const s = await spec(['exit', '3', '100']);
      await driver.start(s);
      await expect(driver.waitReady(s.instanceId, http, 10_000)).rejects.toThrow(/exit/);
      const status = await exitOf(s.instanceId);
      expect(status).toMatchObject({ phase: 'exited', exitCode: 3, signal: null, oomKilled: false });
      expect(status.exitedAt).toBeInstanceOf(Date);
      expect(await driver.status(s.instanceId)).toMatchObject({ phase: 'exited', exitCode: 3 });
      const worker = await spec(['exit', '0', '50'], { listens: false });
      await driver.start(worker);
      await expect(driver.waitReady(worker.instanceId, { kind: 'uptime', minUptimeMs: 2000 }, 5_000)).rejects.toThrow(
        /exit/,
      );
    });

    it('delivers stdout and stderr line by line with the right stream', async () => {
      const s = await spec(['exit', '0', '50'], { listens: false });
      await driver.start(s);
      await exitOf(s.instanceId);
      const mine = lines.filter((l) => l.instanceId === s.instanceId).map((l) => [l.stream, l.line]);
      expect(mine).toEqual(
        expect.arrayContaining([
          ['stdout', 'out-line'],
          ['stdout', 'second out-line'],
          ['stderr', 'err-line'],
        ]),
      );
      const one = lines.find((l) => l.instanceId === s.instanceId);
      expect(one).toMatchObject({ appId: s.appId, revisionName: s.revisionName });
      expect(one?.at).toBeInstanceOf(Date);
    });

    it('stops gracefully: an in-flight request finishes within the drain timeout', async () => {
      const s = await spec(['http']);
      const started = await driver.start(s);
      await driver.waitReady(s.instanceId, http, 10_000);
      const inFlight = getJson(started.address, '/slow?ms=700');
      await waitFor(() => lines.find((l) => l.instanceId === s.instanceId && l.line === 'slow request started'), 5_000);
      const t0 = Date.now();
      await driver.stop(s.instanceId, { drainTimeoutMs: 5_000 });
      const stopMs = Date.now() - t0;
      expect(await inFlight).toEqual({ status: 200, body: { done: true } });
      expect(stopMs).toBeLessThan(4_000);
      expect(await driver.status(s.instanceId)).toMatchObject({ phase: 'exited', exitCode: 0 });
      expect(lines.some((l) => l.instanceId === s.instanceId && l.line === 'SIGTERM received')).toBe(true);
    });

    it('SIGKILLs an app that ignores SIGTERM once the drain timeout passes', async () => {
      const s = await spec(['http', '--ignore-term']);
      await driver.start(s);
      await driver.waitReady(s.instanceId, http, 10_000);
      const t0 = Date.now();
      await driver.stop(s.instanceId, { drainTimeoutMs: 600 });
      const elapsed = Date.now() - t0;
      expect(elapsed).toBeGreaterThanOrEqual(550);
      expect(elapsed).toBeLessThan(5_000);
      const status = await driver.status(s.instanceId);
      expect(status?.phase).toBe('exited');
      expect(status?.signal === 'SIGKILL' || status?.exitCode === 137).toBe(true);
      expect(lines.some((l) => l.instanceId === s.instanceId && l.line === 'ignoring SIGTERM')).toBe(true);
    });

    it('reports usage as numbers while running, null once stopped', async () => {
      const s = await spec(['http']);
      await driver.start(s);
      await driver.waitReady(s.instanceId, http, 10_000);
      const usage = await driver.usage(s.instanceId);
      expect(usage?.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(usage?.memoryMi).toBeGreaterThan(0);
      expect(Number.isFinite(usage?.cpuPercent)).toBe(true);
      await driver.stop(s.instanceId, { drainTimeoutMs: 2000 });
      expect(await driver.usage(s.instanceId)).toBeNull();
    });

    it('reports the disk an instance wrote when asked (and only then), and network counters or null', async () => {
      const s = await spec(['http']);
      const started = await driver.start(s);
      await driver.waitReady(s.instanceId, http, 10_000);
      const plain = await driver.usage(s.instanceId);
      expect(plain?.diskBytes).toBeNull();
      for (const counter of [plain?.networkRxBytes, plain?.networkTxBytes]) expect(counter === null || (typeof counter === 'number' && counter >= 0)).toBe(true);
      expect((await getJson((await driver.status(s.instanceId))?.address ?? started.address, '/write?path=written.txt')).status).toBe(200);
      const withDisk = await driver.usage(s.instanceId, { disk: true });
      // At least the file it wrote (one block), though filesystems may allocate more.
      expect(withDisk?.diskBytes).toBeGreaterThanOrEqual(512);
      await driver.stop(s.instanceId, { drainTimeoutMs: 2000 });
    });

    it('refuses a second start of a running instance id; stop is idempotent', async () => {
      const s = await spec(['worker'], { listens: false });
      await driver.start(s);
      await expect(driver.start(s)).rejects.toThrow();
      await driver.stop(s.instanceId, { drainTimeoutMs: 2000 });
      await driver.stop(s.instanceId, { drainTimeoutMs: 2000 });
      await driver.stop('never-started', { drainTimeoutMs: 100 });
    });

    it('reports started, ready and exited (with the code) as events', async () => {
      const events: RuntimeEvent[] = [];
      const off = driver.onEvent((event) => events.push(event));
      const s = await spec(['http']);
      await driver.start(s);
      await driver.waitReady(s.instanceId, http, 10_000);
      await driver.stop(s.instanceId, { drainTimeoutMs: 2000 });
      const exited = await waitFor(() => events.find((e) => e.instanceId === s.instanceId && e.kind === 'exited'), 5_000);
      off();
      const kinds = events.filter((e) => e.instanceId === s.instanceId).map((e) => e.kind);
      expect(kinds.indexOf('started')).toBeGreaterThanOrEqual(0);
      expect(kinds.indexOf('started')).toBeLessThan(kinds.indexOf('ready'));
      expect(kinds.indexOf('ready')).toBeLessThan(kinds.indexOf('exited'));
      expect(exited.kind === 'exited' && exited.status.phase).toBe('exited');
    });

    it('adopt takes back or removes what a previous run left behind, and only that', async () => {
      const before = await make('restart');
      const s = await spec(['http']);
      const started = await before.start(s);
      await before.waitReady(s.instanceId, http, 10_000);
      const survivor = await spec(['http']);
      const kept = await driver.start(survivor);
      await driver.waitReady(survivor.instanceId, http, 10_000);
      const after = await make('restart');
      const { adopted, removed } = await after.adopt();
      expect(adopted.length + removed).toBe(1);
      const taken = adopted[0];
      if (taken) {
        // Containers outlive Berth: the instance still serves, and the new driver can stop it.
        expect(taken).toMatchObject({ status: { instanceId: s.instanceId, appId: s.appId, revisionName: s.revisionName }, ready: true });
        expect(taken.artifact.kind).toBe(s.artifact.kind);
        expect((await getJson(taken.status.address, '/')).status).toBe(200);
        expect((await after.list()).map((i) => i.instanceId)).toContain(s.instanceId);
        await after.stop(s.instanceId, { drainTimeoutMs: 2000 });
      }
      expect(await refuses(taken?.status.address ?? started.address, 5_000)).toBe(true);
      expect((await getJson(kept.address, '/')).status).toBe(200);
      expect(await after.adopt()).toEqual({ adopted: [], removed: 0 });
      await driver.stop(survivor.instanceId, { drainTimeoutMs: 2000 });
    });
  });
}
