// What a test Berth leaves on the host when its test process dies mid-run (network namespaces,
// nftables tables, address claims, cgroups), and the sweep that removes it at the start and end
// of every test run (vitest globalSetup). Berth itself removes these only when it starts again on
// the same data dir; test data dirs are temporary, so nothing else ever would.
//
// The ownership rule: before a test Berth (or a test's process driver) may create anything on
// the host, its test process writes a claim file under OWNERS_DIR naming its data dir, its cgroup
// name or runtime scopes, and the processes that own it (itself, then each `berth start` child,
// by pid AND start time, so a recycled pid is not mistaken for an owner). A claim is swept only
// when none of its owners lives and no live process names its data dir (BERTH_DATA_DIR in its
// environment, or the path in its argv). Objects without a claim (an operator's Berth, a Berth
// of older test code) are never looked at: the sweep derives names only from claims.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hostScopes, type RuntimeScope } from '../../src/engine/host-scopes.js';
import { cleanupStepCgroups } from '../../src/engine/runtime/process/steps/sandbox-step.js';
import { createSandboxedSteps } from '../../src/engine/runtime/process/steps/create-sandboxed-steps.js';
import { createProcessRuntime } from '../../src/engine/runtime/process/create-process-runtime.js';
import { removeCgroupRoot } from '../../src/engine/runtime/host/cgroup-v1.js';
import { dockerRulesTable, removeHostRules } from '../../src/engine/runtime/docker/host-rules.js';
import { isAlive, listPids, readProcStat } from '../../src/engine/runtime/host/proc-fs.js';

/** Shared by every test run on this machine (all worktrees), so one run sweeps what another's killed run left. */
export const OWNERS_DIR = path.join(os.tmpdir(), 'berth-test-owners');

interface Owner {
  pid: number;
  startTicks: number;
}

export interface HostClaimRecord {
  owners: Owner[];
  dataDir: string;
  /** The data dir is the test's own temporary dir: the sweep removes it too. */
  removeDataDir: boolean;
  /** A whole Berth (startBerth): every scope main.ts composes under this cgroup name. */
  berth?: { cgroupName: string; instanceCidr: string | null };
  /** Process drivers a test made itself (test/runtime's harness). */
  runtimes?: RuntimeScope[];
}

export interface HostClaim {
  readonly file: string;
  /** Another process that owns what this claim names (a `berth start` child). */
  addOwner(pid: number): void;
  addRuntime(scope: RuntimeScope): void;
  /** After a clean stop: nothing is left to sweep. */
  release(): void;
}

function ownerOf(pid: number): Owner {
  return { pid, startTicks: readProcStat(pid)?.startTicks ?? -1 };
}

/** Written synchronously, before the first host object exists, so no kill can come between the two. */
export function claimHostObjects(input: Omit<HostClaimRecord, 'owners'> & { owners?: number[] }): HostClaim {
  fs.mkdirSync(OWNERS_DIR, { recursive: true });
  const file = path.join(OWNERS_DIR, `${process.pid}-${randomBytes(4).toString('hex')}.json`);
  const record: HostClaimRecord = { ...input, owners: (input.owners ?? [process.pid]).map(ownerOf) };
  const write = (): void => {
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(record));
    fs.renameSync(`${file}.tmp`, file);
  };
  write();
  return {
    file,
    addOwner(pid) {
      record.owners.push(ownerOf(pid));
      write();
    },
    addRuntime(scope) {
      if (record.runtimes?.some((r) => r.stateDir === scope.stateDir && r.cgroupRoot === scope.cgroupRoot)) return;
      record.runtimes = [...(record.runtimes ?? []), scope];
      write();
    },
    release() {
      fs.rmSync(file, { force: true });
    },
  };
}

/** NUL-separated argv and environment of every live process, read once per sweep. */
function liveProcessTexts(): string[] {
  const texts: string[] = [];
  for (const pid of listPids()) {
    for (const name of ['cmdline', 'environ']) {
      try {
        texts.push(`\0${fs.readFileSync(`/proc/${pid}/${name}`, 'latin1')}\0`);
      } catch {
        // exited since the listing, or not ours to read
      }
    }
  }
  return texts;
}

/** Whether anything still runs for this claim: then it is never swept. */
export function claimIsLive(record: HostClaimRecord, texts: readonly string[] = liveProcessTexts()): boolean {
  if (record.owners.some((o) => isAlive(o.pid, o.startTicks))) return true;
  const env = `\0BERTH_DATA_DIR=${record.dataDir}\0`;
  return texts.some((t) => t.includes(env) || t.includes(record.dataDir));
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Berth's own restart cleanup for one process runtime: a fresh driver adopts nothing, kills and removes the rest, then closes. */
async function sweepRuntime(scope: RuntimeScope, hiddenPath: string, instanceCidr: string | null = null): Promise<void> {
  const driver = await createProcessRuntime({ ...scope, hiddenPaths: [hiddenPath], logger: silent, sandbox: 'off', cgroups: 'auto', network: 'auto', instanceCidr });
  await driver.adopt();
  await driver.close({ drainTimeoutMs: 0 });
}

async function sweepBerth(dataDir: string, berth: NonNullable<HostClaimRecord['berth']>): Promise<void> {
  const scopes = hostScopes(dataDir, berth.cgroupName);
  await sweepRuntime(scopes.instances, dataDir, berth.instanceCidr);
  await sweepRuntime(scopes.previews, dataDir);
  // The step driver removes a killed run's step cgroups and namespaces as it starts.
  const steps = await createSandboxedSteps({ isolation: 'auto', network: 'auto', ...scopes.builds, hiddenPaths: [dataDir], hostServices: [], logger: silent });
  await steps.close();
  const databases = { mount: '/sys/fs/cgroup', root: scopes.databases.cgroupRoot };
  await cleanupStepCgroups(databases).catch(() => 0); // no such root: nothing to remove
  await removeCgroupRoot(databases);
  // A Berth on the docker driver keeps containers off host services with a table of its own.
  await removeHostRules(dockerRulesTable(berth.cgroupName));
}

async function sweepClaim(record: HostClaimRecord): Promise<void> {
  const dataDirExisted = fs.existsSync(record.dataDir);
  if (record.berth) await sweepBerth(record.dataDir, record.berth);
  for (const scope of record.runtimes ?? []) await sweepRuntime(scope, record.dataDir);
  // The sweep's drivers made their state dirs again where the data dir was gone.
  if (record.removeDataDir || !dataDirExisted) fs.rmSync(record.dataDir, { recursive: true, force: true });
}

export interface SweepReport {
  swept: string[];
  failed: { dataDir: string; error: string }[];
}

/** Sweeps every claim whose owners are all gone; a claim another sweep holds is left to it. */
export async function sweepHostLeftovers(): Promise<SweepReport> {
  const report: SweepReport = { swept: [], failed: [] };
  let names: string[];
  try {
    names = fs.readdirSync(OWNERS_DIR);
  } catch {
    return report; // no test Berth ever claimed anything here
  }
  const texts = liveProcessTexts();
  for (const name of names) {
    const held = /\.sweeping-(\d+)$/.exec(name);
    if (held && readProcStat(Number(held[1])) !== null) continue; // another run sweeps it right now
    if (!held && !name.endsWith('.json')) continue;
    const file = path.join(OWNERS_DIR, name);
    let record: HostClaimRecord;
    try {
      record = JSON.parse(fs.readFileSync(file, 'utf8')) as HostClaimRecord;
    } catch {
      continue; // removed by its owner or another sweep since the listing
    }
    if (claimIsLive(record, texts)) continue;
    const mine = `${file.replace(/\.sweeping-\d+$/, '')}.sweeping-${process.pid}`;
    try {
      fs.renameSync(file, mine);
    } catch {
      continue; // another sweep took it first
    }
    try {
      await sweepClaim(record);
      fs.rmSync(mine, { force: true });
      report.swept.push(record.dataDir);
    } catch (error) {
      fs.renameSync(mine, file.replace(/\.sweeping-\d+$/, '')); // the next run tries again
      report.failed.push({ dataDir: record.dataDir, error: (error as Error).message });
    }
  }
  return report;
}
