// What the process driver's isolation actually prevents, checked from inside real instances:
// files outside the app dir, other apps' dirs, memory past the limit, cpu past the quota,
// seeing other processes, running as root. Skips (saying why) only where the machine lacks
// bubblewrap or writable cgroups; CI has both.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceSpec, InstanceStatus, OutputLine, Runtime } from '../../src/core/ports/runtime.js';
import { FIXTURE_FILE, writeFixtureApp } from '../../src/engine/runtime/conformance-fixture.js';
import { cgroupDir } from '../../src/engine/runtime/host/names.js';
import { createHarness, machineSupport, type Harness } from './process-harness.js';

const support = machineSupport();
const skipReason = [support.sandbox, support.cgroups].filter(Boolean).join('; ');
const http = { kind: 'http', path: '/', timeoutMs: 1000 } as const;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skipReason !== '')(`process driver isolation${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let harness: Harness;
  let driver: Runtime;
  let outside = '';
  const exits: InstanceStatus[] = [];
  const lines: OutputLine[] = [];
  let n = 0;

  const spec = (workDir: string, args: string[], extra: Partial<InstanceSpec> = {}): InstanceSpec => {
    n += 1;
    return {
      instanceId: `iso-${n}`,
      appId: `iso-app-${n}`,
      revisionName: `iso-app-${n}-00001`,
      artifact: { kind: 'tree', digest: `sha256:${workDir}`, dir: workDir },
      command: ['/usr/bin/node', FIXTURE_FILE, ...args],
      env: {},
      listens: !['busy', 'alloc'].includes(args[0] ?? ''),
      limits: { memoryMi: 256, cpuMillicores: 1000, pids: 64 },
      ...extra,
    };
  };
  const ask = async (
    status: InstanceStatus,
    path: string,
  ): Promise<{ ok: boolean; value?: unknown; code?: string }> => {
    const res = await fetch(`http://${status.address?.host}:${status.address?.port}${path}`);
    return (await res.json()) as { ok: boolean; value?: unknown; code?: string };
  };
  const exitOf = async (id: string, timeoutMs: number): Promise<InstanceStatus> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = exits.find((s) => s.instanceId === id);
      if (found) return found;
      if (Date.now() > until) throw new Error(`${id} did not exit`);
      await sleep(25);
    }
  };

  beforeAll(async () => {
    harness = await createHarness({ isolation: 'auto', tag: 'iso' });
    driver = await harness.driver('main');
    driver.onExit((s) => exits.push(s));
    driver.onOutput((l) => lines.push(l));
    outside = await mkdtemp(join(tmpdir(), 'berth-iso-outside-'));
  });

  afterAll(async () => {
    await harness?.teardown();
    if (outside) await rm(outside, { recursive: true, force: true });
  });

  it('runs with the sandbox and cgroups on', () => {
    expect(driver.isolation).toMatchObject({ sandbox: true, cgroups: true });
  });

  it("cannot read Berth's data dir, another app's dir or /root; writes only its own dir and /tmp", async () => {
    const data = harness.dataDir;
    await writeFile(join(data, 'berth-secret.txt'), 'data-dir secret');
    const app1 = await writeFixtureApp(join(data, 'apps', 'app1'));
    const app2 = await writeFixtureApp(join(data, 'apps', 'app2'));
    await writeFile(join(app2, 'secret.txt'), 'app2 secret');
    const app3 = await writeFixtureApp(join(outside, 'app3'));
    await writeFile(join(app3, 'secret.txt'), 'app3 secret');
    await writeFile(join(outside, 'host-tmp-file'), 'host');

    const other = await driver.start(spec(app3, ['http']));
    const me = await driver.start(spec(app1, ['http']));
    await driver.waitReady(me.instanceId, http, 10_000);
    await driver.waitReady(other.instanceId, http, 10_000);

    for (const path of [
      data,
      join(data, 'berth-secret.txt'),
      join(data, 'state'),
      join(app2, 'secret.txt'),
      app2,
      join(app3, 'secret.txt'),
      app3,
      '/root',
      '/etc/shadow',
      join(outside, 'host-tmp-file'),
    ]) {
      expect({ path, result: await ask(me, `/read?path=${encodeURIComponent(path)}`) }).toMatchObject({
        path,
        result: { ok: false },
      });
    }
    const siblings = await ask(me, `/read?path=${encodeURIComponent(join(data, 'apps'))}`);
    expect(siblings.ok ? siblings.value : []).not.toContain('app2');

    expect(await ask(me, `/read?path=${encodeURIComponent(join(app1, FIXTURE_FILE))}`)).toMatchObject({ ok: true });
    expect(await ask(me, `/write?path=${encodeURIComponent(join(app1, 'written.txt'))}`)).toEqual({ ok: true });
    expect(await readFile(join(app1, 'written.txt'), 'utf8')).toBe('x');
    expect(await ask(me, '/write?path=/tmp/private.txt')).toEqual({ ok: true });
    expect(await ask(other, '/read?path=/tmp/private.txt')).toMatchObject({ ok: false });
    expect(await ask(me, '/write?path=/usr/pwned')).toMatchObject({ ok: false, code: 'EROFS' });
    const hosts = await ask(me, '/read?path=/etc/hosts');
    expect(hosts).toMatchObject({ ok: true });
    expect(String(hosts.value)).toMatch(/^127\.0\.0\.1\s+localhost$/m);
  });

  it('has a pid namespace of its own and a uid that is not 0 (one per app)', async () => {
    const dirA = await writeFixtureApp(join(harness.dataDir, 'apps', 'pid-a'));
    const dirB = await writeFixtureApp(join(harness.dataDir, 'apps', 'pid-b'));
    const a = await driver.start(spec(dirA, ['http']));
    const b = await driver.start(spec(dirB, ['http']));
    await driver.waitReady(a.instanceId, http, 10_000);
    await driver.waitReady(b.instanceId, http, 10_000);
    const pids = (await ask(a, '/pids')) as unknown as { self: number; pids: number[] };
    expect(pids.self).toBeLessThan(10);
    expect(pids.pids.length).toBeLessThan(10);
    expect(pids.pids).not.toContain(process.pid);
    const whoA = (await (await fetch(`http://${a.address?.host}:${a.address?.port}/`)).json()) as { uid: number; gid: number };
    const whoB = (await (await fetch(`http://${b.address?.host}:${b.address?.port}/`)).json()) as { uid: number; gid: number };
    expect(whoA.uid).not.toBe(0);
    expect(whoA.gid).not.toBe(0);
    expect(whoB.uid).not.toBe(0);
    expect(whoA.uid).not.toBe(whoB.uid);
  });

  it('kills an app that allocates past its memory limit and reports OOMKilled', async () => {
    const dir = await writeFixtureApp(join(harness.dataDir, 'apps', 'hungry'));
    const s = spec(dir, ['alloc'], { limits: { memoryMi: 96, cpuMillicores: 1000, pids: 64 } });
    await driver.start(s);
    const status = await exitOf(s.instanceId, 20_000);
    expect(status.oomKilled).toBe(true);
    expect(status.signal === 'SIGKILL' || status.exitCode === 137).toBe(true);
    expect((await driver.status(s.instanceId))?.oomKilled).toBe(true);
    // Killed near its limit: the fixture reports each 8 MB it holds.
    const held = lines
      .filter((l) => l.instanceId === s.instanceId)
      .map((l) => Number(/^allocated (\d+) MB$/.exec(l.line)?.[1] ?? 0));
    expect(Math.max(0, ...held)).toBeGreaterThanOrEqual(24);
    expect(Math.max(0, ...held)).toBeLessThanOrEqual(96);
  });

  it('lifts the cpu limit while an instance starts and restores it once it is ready (startup boost)', async () => {
    const dir = await writeFixtureApp(join(harness.dataDir, 'apps', 'boosted'));
    const s = spec(dir, ['http'], { limits: { memoryMi: 256, cpuMillicores: 250, pids: 64 }, startupCpuMillicores: 2000 });
    await driver.start(s);
    const quota = async () =>
      (await readFile(join(cgroupDir('/sys/fs/cgroup', 'cpu', harness.cgroupRoot('main'), s.instanceId), 'cpu.cfs_quota_us'), 'utf8')).trim();
    expect(await quota()).toBe('200000');
    await driver.waitReady(s.instanceId, http, 10_000);
    for (let i = 0; i < 50 && (await quota()) !== '25000'; i++) await sleep(20);
    expect(await quota()).toBe('25000');
    await driver.stop(s.instanceId, { drainTimeoutMs: 200 });
  });

  it('holds a busy loop limited to 250 millicores to about a quarter of a core', async () => {
    const dir = await writeFixtureApp(join(harness.dataDir, 'apps', 'busy'));
    const s = spec(dir, ['busy'], { limits: { memoryMi: 256, cpuMillicores: 250, pids: 64 } });
    await driver.start(s);
    const counter = join(
      cgroupDir('/sys/fs/cgroup', 'cpuacct', harness.cgroupRoot('main'), s.instanceId),
      'cpuacct.usage',
    );
    const cg = (controller: 'cpu' | 'pids', file: string): Promise<string> =>
      readFile(join(cgroupDir('/sys/fs/cgroup', controller, harness.cgroupRoot('main'), s.instanceId), file), 'utf8');
    expect((await cg('cpu', 'cpu.cfs_quota_us')).trim()).toBe('25000');
    expect((await cg('cpu', 'cpu.cfs_period_us')).trim()).toBe('100000');
    expect(Number(await cg('pids', 'pids.max'))).toBeGreaterThanOrEqual(64);
    await sleep(500);
    await driver.usage(s.instanceId);
    const before = { ns: Number(await readFile(counter, 'utf8')), at: process.hrtime.bigint() };
    await sleep(3_000);
    const cpuNs = Number(await readFile(counter, 'utf8')) - before.ns;
    const wallNs = Number(process.hrtime.bigint() - before.at);
    const reported = await driver.usage(s.instanceId);
    const cores = cpuNs / wallNs;
    expect(cores).toBeLessThanOrEqual(0.35);
    expect(cores).toBeGreaterThan(0.05);
    expect(reported?.cpuPercent).toBeLessThanOrEqual(35);
    expect(reported?.cpuPercent).toBeGreaterThan(5);
    await driver.stop(s.instanceId, { drainTimeoutMs: 200 });
  });

  it('bounds the writable space of an instance to its diskMi, apart from its tree on the host, gone after it', async () => {
    expect(driver.isolation.diskLimits).toBe(true);
    const dir = await writeFixtureApp(join(harness.dataDir, 'apps', 'filler'));
    const s = spec(dir, ['http'], { limits: { memoryMi: 256, cpuMillicores: 1000, pids: 64, diskMi: 32 } });
    const status = await driver.start(s);
    await driver.waitReady(s.instanceId, http, 10_000);
    const filled = (await ask(status, '/fill?mb=64')) as { ok: boolean; code?: string; written?: number };
    expect(filled).toMatchObject({ ok: false, code: 'ENOSPC' });
    expect(filled.written).toBeGreaterThan(16);
    expect(filled.written).toBeLessThan(33);
    // The revision's tree on the host never saw the write, and the app still answers.
    await expect(readFile(join(dir, 'fill.bin'))).rejects.toThrow(/ENOENT/);
    expect(await ask(status, `/read?path=${encodeURIComponent(join(dir, FIXTURE_FILE))}`)).toMatchObject({ ok: true });
    const disks = join(harness.dataDir, 'state', 'main', 'disks');
    expect(await readdir(disks)).toContain(s.instanceId);
    await driver.stop(s.instanceId, { drainTimeoutMs: 500 });
    expect(await readdir(disks)).not.toContain(s.instanceId);
  });

  it('refuses an app dir that is a hidden path itself', async () => {
    await expect(driver.start(spec(harness.dataDir, ['http']))).rejects.toThrow(/hidden/);
  });
});
