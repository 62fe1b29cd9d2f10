// What a network namespace per instance prevents and allows, checked from inside real instances:
// the host's loopback services, the host's own addresses and other instances are out of reach;
// the outside world (DNS, the npm registry) is reached through NAT; host services on the
// allow-list are reached by name; every instance may listen on the same port. And nothing is
// left behind: namespaces, veths, the nftables table and the range's claim go with the driver.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceSpec, InstanceStatus, Runtime } from '../../src/core/ports/runtime.js';
import { FIXTURE_FILE, writeFixtureApp } from '../../src/engine/runtime/conformance-fixture.js';
import { claimMetric, networkTag, nftTableName } from '../../src/engine/runtime/host/names.js';
import { createHarness, machineSupport, type Harness } from './process-harness.js';

const support = machineSupport();
const skipReason = support.sandbox ?? '';
const http = { kind: 'http', path: '/', timeoutMs: 1000 } as const;

function listen(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    // The app in a test may reset its connection: a reset must not be an uncaught error here.
    const server = createServer((socket) => socket.on('error', () => {}).end('host service\n'));
    server.once('error', reject);
    server.listen(0, host, () => resolve(server));
  });
}
const portOf = (server: Server) => (server.address() as { port: number }).port;
const servedPort = async (host: string | undefined, port: number | undefined): Promise<number> =>
  ((await (await fetch(`http://${host}:${port}/`)).json()) as { port: number }).port;
const sh = (...argv: string[]) => execFileSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8' });

describe.skipIf(skipReason !== '')(`network namespaces${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let harness: Harness;
  let driver: Runtime;
  let loopbackService: Server;
  let allowedService: Server;
  let anyAddressService: Server;
  let n = 0;

  const spec = async (args: string[], extra: Partial<InstanceSpec> = {}): Promise<InstanceSpec> => {
    n += 1;
    return {
      instanceId: `net-${n}`,
      appId: `net-app-${n}`,
      revisionName: `net-app-${n}-00001`,
      artifact: { kind: 'tree', digest: `sha256:net-${n}`, dir: await writeFixtureApp(join(harness.dataDir, 'apps', `net-${n}`)) },
      command: ['/usr/bin/node', FIXTURE_FILE, ...args],
      env: {},
      listens: true,
      limits: { memoryMi: 256, cpuMillicores: 1000, pids: 64 },
      ...extra,
    };
  };
  const started = async (args: string[], extra: Partial<InstanceSpec> = {}): Promise<InstanceStatus> => {
    const s = await spec(args, extra);
    await driver.start(s);
    await driver.waitReady(s.instanceId, http, 15_000);
    const status = await driver.status(s.instanceId);
    if (!status) throw new Error('no status');
    return status;
  };
  const ask = async (status: InstanceStatus, path: string): Promise<{ ok: boolean; code?: string }> =>
    (await (await fetch(`http://${status.address?.host}:${status.address?.port}${path}`)).json()) as { ok: boolean; code?: string };
  const connect = (status: InstanceStatus, host: string, port: number) => ask(status, `/connect?host=${encodeURIComponent(host)}&port=${port}`);

  beforeAll(async () => {
    loopbackService = await listen('127.0.0.1');
    allowedService = await listen('127.0.0.1');
    anyAddressService = await listen('0.0.0.0');
    harness = await createHarness({ isolation: 'auto', tag: 'net' });
    driver = await harness.driver('main', { hostServices: [{ name: 'hostsvc', host: '127.0.0.1', port: portOf(allowedService) }] });
  });

  afterAll(async () => {
    await harness?.teardown();
    for (const server of [loopbackService, allowedService, anyAddressService]) server?.close();
  });

  it('gives each instance an address of its own, not on the host loopback', async () => {
    expect(driver.isolation.networkNamespaces).toBe(true);
    const a = await started(['http']);
    const b = await started(['http']);
    expect(a.address?.host).not.toBe(b.address?.host);
    expect(a.address?.host).toMatch(/^10\./);
    // Both listen on the same PORT, each in its own namespace.
    expect(a.address?.port).toBe(b.address?.port);
    await expect(fetch(`http://127.0.0.1:${a.address?.port}/`)).rejects.toThrow();
  });

  it("cannot reach the host's loopback services, the host's addresses or another instance", async () => {
    const me = await started(['http']);
    const other = await started(['http']);
    const hostAddress = sh('ip', '-4', '-o', 'route', 'get', '1.1.1.1').match(/src (\S+)/)?.[1] ?? '';
    expect(hostAddress).not.toBe('');
    const attempts: [string, number][] = [
      ['127.0.0.1', portOf(loopbackService)],
      ['127.0.0.1', portOf(anyAddressService)],
      [hostAddress, portOf(anyAddressService)],
      [me.address?.host.replace(/\.\d+$/, (last) => `.${Number(last.slice(1)) - 1}`) ?? '', portOf(anyAddressService)],
      [other.address?.host ?? '', other.address?.port ?? 0],
      ['169.254.169.254', 80],
    ];
    for (const [host, port] of attempts) expect({ host, port, result: await connect(me, host, port) }).toMatchObject({ result: { ok: false } });
    // The other instance is there: only this one cannot reach it.
    expect(await servedPort(other.address?.host, other.address?.port)).toBe(other.address?.port);
  });

  it('reaches the outside world through NAT, names resolving', async () => {
    const me = await started(['http']);
    expect(await connect(me, 'registry.npmjs.org', 443)).toEqual({ ok: true });
  });

  it('reaches a host service on the allow-list by its name, and no other port of the host', async () => {
    const me = await started(['http']);
    expect(await connect(me, 'hostsvc', portOf(allowedService))).toEqual({ ok: true });
    expect(await connect(me, 'hostsvc', portOf(loopbackService))).toMatchObject({ ok: false });
  });

  it('serves two replicas of an app that listens on a fixed port and ignores PORT', async () => {
    const a = await started(['http', '--port', '3000']);
    const b = await started(['http', '--port', '3000']);
    expect([a.address?.port, b.address?.port]).toEqual([3000, 3000]);
    expect(await servedPort(a.address?.host, 3000)).toBe(3000);
    expect(await servedPort(b.address?.host, 3000)).toBe(3000);
  });

  it("lets no local process but Berth's own user open a connection to an instance", async () => {
    const me = await started(['http']);
    const script = `require('net').connect(${me.address?.port}, '${me.address?.host}').on('connect', () => process.exit(0)).on('error', () => process.exit(3)).setTimeout(1500, () => process.exit(4));`;
    const asNobody = () => execFileSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/usr/bin/node', '-e', script], { stdio: 'ignore' });
    expect(asNobody).toThrow();
    expect(await servedPort(me.address?.host, me.address?.port)).toBe(me.address?.port);
  });

  it('removes its namespaces, table and address claim when it closes', async () => {
    const key = 'closing';
    const closing = await harness.driver(key);
    const s = await spec(['http']);
    await closing.start(s);
    await closing.waitReady(s.instanceId, http, 15_000);
    const tag = networkTag(harness.cgroupRoot(key), join(harness.dataDir, 'state', key));
    expect(sh('ip', 'netns', 'list')).toContain(`berth-${tag}-`);
    expect(sh('nft', 'list', 'tables')).toContain(nftTableName(tag));
    await closing.close({ drainTimeoutMs: 500 });
    expect(sh('ip', 'netns', 'list')).not.toContain(`berth-${tag}-`);
    expect(sh('nft', 'list', 'tables')).not.toContain(nftTableName(tag));
    expect(sh('ip', '-4', 'route', 'show', 'table', 'all')).not.toContain(`metric ${claimMetric(tag)}`);
    expect(sh('ip', '-o', 'link')).not.toMatch(new RegExp(`b${tag}`));
  });
});
