// A test run killed mid-run leaves its test Berths' network namespaces, nftables tables, address
// claims and cgroups on the host, and only a Berth started again on the same (temporary) data dir
// would remove them. The run's sweep (vitest globalSetup) removes those of test Berths whose test
// process is gone, and nothing of a Berth that still runs.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostScopes } from '../../src/engine/host-scopes.js';
import { dockerRulesTable, installHostRules } from '../../src/engine/runtime/docker/host-rules.js';
import { cgroupControllers, cgroupDir, claimMetric, netnsDir, netnsSlot, networkTag, nftTableName } from '../../src/engine/runtime/host/names.js';
import { claimHostObjects, sweepHostLeftovers } from '../support/host-leftovers.js';
import { startTestBerth, type TestBerth } from '../support/test-berth.js';
import { createApp, deployDir } from './support/berth-actions.js';
import { edgeRequest, until } from './support/edge-client.js';
import { instanceApp } from './support/instance-app.js';
import { processesOfDir } from './support/proc-scan.js';

const standIn = path.join(import.meta.dirname, 'support', 'test-process-with-berth.ts');
const rootAndNetwork = process.getuid?.() === 0 && fs.existsSync('/usr/sbin/nft') && fs.existsSync('/sys/fs/cgroup/memory');

interface HostObjects {
  namespaces: string[];
  tables: string[];
  claims: string[];
  cgroups: string[];
}

/** Everything of one Berth on the host, found by the names Berth derives (names.ts, host-scopes.ts). */
function hostObjectsOf(dataDir: string, cgroupName: string): HostObjects {
  const scopes = hostScopes(dataDir, cgroupName);
  const tags = [
    networkTag(scopes.instances.cgroupRoot, scopes.instances.stateDir),
    networkTag(scopes.previews.cgroupRoot, scopes.previews.stateDir),
    networkTag(`${scopes.builds.cgroupRoot}-builds`, scopes.builds.stateDir),
  ];
  const namespaces = fs.existsSync(netnsDir) ? fs.readdirSync(netnsDir).filter((n) => tags.some((t) => netnsSlot(t, n) !== null)) : [];
  const listed = execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' });
  const tables = tags.map(nftTableName).filter((t) => listed.includes(`table ip ${t}\n`));
  const routes = execFileSync('ip', ['-4', 'route', 'show', 'table', 'all', 'type', 'unreachable'], { encoding: 'utf8' });
  const claims = tags.filter((t) => routes.includes(`metric ${claimMetric(t)}`));
  const roots = [scopes.instances.cgroupRoot, scopes.previews.cgroupRoot, `${scopes.builds.cgroupRoot}-builds`, scopes.databases.cgroupRoot];
  const cgroups = roots.flatMap((r) => cgroupControllers.map((c) => cgroupDir('/sys/fs/cgroup', c, r))).filter((d) => fs.existsSync(d));
  return { namespaces, tables, claims, cgroups };
}

const none: HostObjects = { namespaces: [], tables: [], claims: [], cgroups: [] };

/**
 * What stays while a Berth lives or after it died: its tables, claims and cgroups. Namespaces are
 * compared apart: one may come or go by itself between two looks (CI run 3 once saw two, then
 * one), so what counts is that some remain.
 */
const lasting = (o: HostObjects) => ({ tables: o.tables, claims: o.claims, cgroups: o.cgroups, someNamespace: o.namespaces.length > 0 });
const suffix = (): string => Math.random().toString(36).slice(2, 8);

describe.skipIf(!rootAndNetwork)('the host leftovers of a killed test run', () => {
  let live: TestBerth | null = null;
  const cleanups: (() => void | Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await live?.close();
  });

  it('are removed once the test process is gone, and a live Berth keeps its own', { timeout: 240_000 }, async () => {
    const liveName = `berth-t-live${suffix()}`;
    live = await startTestBerth('sqlite', { via: 'inject', env: { BERTH_CGROUP_NAME: liveName } });
    const liveApp = await createApp(live, { name: 'Still here', slug: 'still-here', visibility: 'public' });
    expect((await deployDir(live, liveApp, instanceApp('still here'), 'dir:still-here')).deployment.status).toBe('succeeded');
    const liveObjects = hostObjectsOf(live.dataDir, liveName);
    expect(liveObjects.namespaces.length).toBeGreaterThan(0);

    // A test process of a run that gets killed: its Berth runs an instance in a namespace of its own.
    const deadName = `berth-t-dead${suffix()}`;
    const child = spawn(process.execPath, ['--import', 'tsx', standIn, deadName], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    });
    const started = await new Promise<{ dataDir: string; appDir: string; status: string }>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] ?? '{}'));
      });
      void exited.then(() => reject(new Error(`the stand-in test process exited early: ${out}`)));
    });
    cleanups.push(() => fs.rmSync(path.dirname(started.appDir), { recursive: true, force: true })); // the stand-in's artifacts root
    expect(started.status).toBe('succeeded');
    const deadBefore = hostObjectsOf(started.dataDir, deadName);
    expect(deadBefore.namespaces.length).toBeGreaterThan(0);
    expect(deadBefore.tables.length).toBeGreaterThan(0);
    expect(deadBefore.cgroups.length).toBeGreaterThan(0);

    child.kill('SIGKILL');
    await exited;
    // Its instances die with it (the sandbox's parent guard); what they ran in stays.
    expect(await until(async () => processesOfDir(started.dataDir), (left) => left.length === 0, 10_000, 50)).toEqual([]);
    expect(lasting(hostObjectsOf(started.dataDir, deadName))).toEqual(lasting(deadBefore)); // nobody removes them on their own

    // A claim whose owner is gone but whose data dir a live Berth process still names is not swept either.
    const heldDir = fs.mkdtempSync(path.join(path.dirname(started.dataDir), 'berth-held-'));
    const held = claimHostObjects({ dataDir: heldDir, removeDataDir: true, owners: [child.pid ?? 0], berth: { cgroupName: `berth-t-held${suffix()}`, instanceCidr: null } });
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)'], { env: { BERTH_DATA_DIR: heldDir }, stdio: 'ignore' });
    const holderExited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
    cleanups.push(async () => {
      holder.kill('SIGKILL');
      await holderExited;
      held.release();
      fs.rmSync(heldDir, { recursive: true, force: true });
    });
    await new Promise<void>((resolve) => holder.once('spawn', () => resolve()));

    const report = await sweepHostLeftovers();
    expect(report.failed).toEqual([]);
    expect(report.swept).toContain(started.dataDir);
    expect(report.swept).not.toContain(live.dataDir);
    expect(report.swept).not.toContain(heldDir);
    expect(hostObjectsOf(started.dataDir, deadName)).toEqual(none);
    expect(fs.existsSync(started.dataDir)).toBe(false);
    expect(fs.existsSync(held.file)).toBe(true);

    expect(lasting(hostObjectsOf(live.dataDir, liveName))).toEqual(lasting(liveObjects));
    const answer = await edgeRequest(live.berth.edgePort, 'still-here.localhost');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ text: 'still here' });
  });

  it("removes a killed docker-driver Berth's host rules table too", { timeout: 60_000 }, async () => {
    const name = `berth-t-dock${suffix()}`;
    const dataDir = fs.mkdtempSync(path.join(path.dirname(live?.dataDir ?? '/tmp/x'), 'berth-dock-'));
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise<void>((resolve) => gone.once('exit', () => resolve()));
    const claim = claimHostObjects({ dataDir, removeDataDir: true, owners: [gone.pid ?? 0], berth: { cgroupName: name, instanceCidr: null } });
    cleanups.push(() => claim.release());
    // What the docker driver installs as it starts (no engine needed for the table itself).
    const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, child: () => silent };
    expect(await installHostRules(dockerRulesTable(name), 'bd1234', silent as never)).toBe(true);
    const listed = () => execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' });
    expect(listed()).toContain(`table inet ${dockerRulesTable(name)}\n`);

    const report = await sweepHostLeftovers();
    expect(report.swept).toContain(dataDir);
    expect(listed()).not.toContain(`table inet ${dockerRulesTable(name)}\n`);
    expect(fs.existsSync(dataDir)).toBe(false);
  });
});
