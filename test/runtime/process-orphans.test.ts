// Kill -9 of Berth must leave no orphan. A real stand-in Berth (fixtures/berth-child.ts) starts
// an app that starts a child of its own; the test SIGKILLs the stand-in, then checks that the
// sandbox died with it, or that the next driver's adopt finds and kills the rest.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceStatus, RuntimeIsolation } from '../../src/core/ports/runtime.js';
import type { IsolationMode } from '../../src/engine/runtime/process/options.js';
import { networkTag } from '../../src/engine/runtime/host/names.js';
import { processTree } from '../../src/engine/runtime/host/proc-fs.js';
import { createHarness, machineSupport, type Harness } from './process-harness.js';

const support = machineSupport();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const childScript = join(import.meta.dirname, 'fixtures', 'berth-child.ts');

interface Started {
  berthPid: number;
  status: InstanceStatus & { pid: number | null; isolation: RuntimeIsolation };
  tree: number[];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function allGone(pids: readonly number[], withinMs: number): Promise<number[]> {
  const until = Date.now() + withinMs;
  let left = pids.filter(alive);
  while (left.length > 0 && Date.now() < until) {
    await sleep(50);
    left = left.filter(alive);
  }
  return left;
}

/** This key's network namespaces (`ip netns list`), by the names the driver derives. */
function namespacesOf(harness: Harness, key: string): string[] {
  const tag = networkTag(harness.cgroupRoot(key), join(harness.dataDir, 'state', key));
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(`berth-${tag}-`));
}

describe('kill -9 of Berth leaves no orphan', () => {
  let harness: Harness;
  let scratch = '';
  const strays: number[] = [];

  beforeAll(async () => {
    harness = await createHarness({ isolation: 'auto', tag: 'orphans' });
    scratch = await mkdtemp(join(tmpdir(), 'berth-orphans-'));
  });

  afterAll(async () => {
    for (const pid of strays.filter(alive)) process.kill(pid, 'SIGKILL');
    await harness?.teardown();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  async function startBerth(key: string, sandbox: IsolationMode, cgroups: IsolationMode): Promise<Started> {
    const config = {
      stateDir: join(harness.dataDir, 'state', key),
      hiddenPath: harness.dataDir,
      cgroupRoot: harness.cgroupRoot(key),
      sandbox,
      cgroups,
      appDir: join(scratch, key),
    };
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    strays.push(child.pid ?? 0);
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
      });
      child.once('exit', (code) => reject(new Error(`stand-in Berth exited early (${code})`)));
    });
    const status = JSON.parse(line) as Started['status'];
    const tree = processTree(status.pid ?? 0).map((s) => s.pid);
    strays.push(...tree);
    return { berthPid: child.pid ?? 0, status, tree };
  }

  it.skipIf(support.sandbox !== null || support.cgroups !== null)(
    'sandboxed: the whole instance dies with Berth, at once',
    async () => {
      const berth = await startBerth('sandboxed', 'auto', 'auto');
      expect(berth.status.isolation).toMatchObject({ sandbox: true, cgroups: true });
      expect(berth.tree.length).toBeGreaterThanOrEqual(4); // bwrap, pid 1, inner bwrap, app, app's child
      const namespaces = berth.status.isolation.networkNamespaces;
      if (namespaces) expect(namespacesOf(harness, 'sandboxed')).toHaveLength(1);
      process.kill(berth.berthPid, 'SIGKILL');
      expect(await allGone(berth.tree, 3_000)).toEqual([]);
      const next = await harness.driver('sandboxed');
      expect(await next.adopt()).toEqual({ adopted: [], removed: 0 }); // nothing left to kill, but records, cgroups and namespaces are swept
      expect(namespacesOf(harness, 'sandboxed')).toEqual([]);
    },
  );

  for (const cgroups of ['auto', 'off'] as const) {
    const skip = cgroups === 'auto' && support.cgroups !== null;
    it.skipIf(skip)(`unsandboxed (cgroups ${cgroups}): the next start kills what survived`, async () => {
      const key = `plain-${cgroups}`;
      const berth = await startBerth(key, 'off', cgroups);
      expect(berth.tree.length).toBeGreaterThanOrEqual(2); // the app and its child
      process.kill(berth.berthPid, 'SIGKILL');
      await sleep(300);
      const survivors = berth.tree.filter(alive);
      const next = await harness.driver(key);
      const { removed: killed } = await next.adopt();
      expect(await allGone(berth.tree, 3_000)).toEqual([]);
      expect(killed).toBe(survivors.length > 0 ? 1 : 0);
      expect(survivors.length).toBeGreaterThan(0); // the app's child outlives a plain process tree
      expect(namespacesOf(harness, key)).toEqual([]);
    });
  }
});
