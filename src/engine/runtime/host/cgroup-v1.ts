// cgroup v1 for one instance: create the memory, cpu, cpuacct and pids groups under Berth's
// root, write the limits, read counters (usage, OOM kills) and remove the groups after exit.
import { mkdir, readFile, readdir, rmdir, writeFile } from 'node:fs/promises';
import type { ResourceLimits } from '../../../core/ports/runtime.js';
import { cgroupControllers, cgroupDir, type CgroupController } from './names.js';

export interface CgroupLocation {
  mount: string;
  root: string;
}

export interface InstanceCgroups {
  /** The `cgroup.procs` files the process must join before exec. */
  procsFiles: string[];
  dirs: Record<CgroupController, string>;
}

const CPU_PERIOD_US = 100_000;
const MIN_CPU_QUOTA_US = 1_000;

/** Creates Berth's root group under every controller; throws when cgroups are not writable. */
export async function ensureCgroupRoot(at: CgroupLocation): Promise<void> {
  for (const controller of cgroupControllers)
    await mkdir(cgroupDir(at.mount, controller, at.root), { recursive: true });
}

export function instanceCgroups(at: CgroupLocation, instanceId: string): InstanceCgroups {
  const dirs = {} as Record<CgroupController, string>;
  for (const c of cgroupControllers) dirs[c] = cgroupDir(at.mount, c, at.root, instanceId);
  return { dirs, procsFiles: cgroupControllers.map((c) => `${dirs[c]}/cgroup.procs`) };
}

async function writeIfPresent(file: string, value: string): Promise<void> {
  try {
    await writeFile(file, value);
  } catch (error) {
    // memsw exists only with swap accounting; everything else must succeed.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** cfs quota for `millicores` of cpu (a running instance's limit can change: startup boost). */
export async function setCpuLimit(groups: InstanceCgroups, millicores: number): Promise<void> {
  const quota = Math.max(MIN_CPU_QUOTA_US, Math.round((millicores / 1000) * CPU_PERIOD_US));
  await writeFile(`${groups.dirs.cpu}/cpu.cfs_period_us`, String(CPU_PERIOD_US));
  await writeFile(`${groups.dirs.cpu}/cpu.cfs_quota_us`, String(quota));
}

export async function createInstanceCgroups(
  at: CgroupLocation,
  instanceId: string,
  limits: ResourceLimits,
): Promise<InstanceCgroups> {
  const groups = instanceCgroups(at, instanceId);
  for (const c of cgroupControllers) await mkdir(groups.dirs[c], { recursive: true });
  if (limits.memoryMi > 0) {
    const bytes = String(Math.round(limits.memoryMi * 1024 * 1024));
    await writeFile(`${groups.dirs.memory}/memory.limit_in_bytes`, bytes);
    await writeIfPresent(`${groups.dirs.memory}/memory.memsw.limit_in_bytes`, bytes);
  }
  if (limits.cpuMillicores > 0) await setCpuLimit(groups, limits.cpuMillicores);
  if (limits.pids > 0) await writeFile(`${groups.dirs.pids}/pids.max`, String(Math.round(limits.pids)));
  return groups;
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null; // the group is gone or the counter does not exist on this kernel
  }
}

export async function readProcs(dir: string): Promise<number[]> {
  const text = await readText(`${dir}/cgroup.procs`);
  return text === null ? [] : text.split('\n').filter(Boolean).map(Number);
}

/** OOM kills in the group (null on kernels without the counter) and failed charges. */
export async function readOomKilled(groups: InstanceCgroups): Promise<{ oomKills: number | null; failcnt: number }> {
  const control = (await readText(`${groups.dirs.memory}/memory.oom_control`)) ?? '';
  const kills = /^oom_kill (\d+)$/m.exec(control)?.[1];
  const failcnt = Number((await readText(`${groups.dirs.memory}/memory.failcnt`))?.trim() ?? 0);
  return { oomKills: kills === undefined ? null : Number(kills), failcnt };
}

/** The kernel's oom_kill counter when it has one; else a failed charge followed by SIGKILL. */
export async function wasOomKilled(groups: InstanceCgroups, code: number | null, signal: string | null): Promise<boolean> {
  const oom = await readOomKilled(groups);
  if (oom.oomKills !== null) return oom.oomKills > 0;
  return oom.failcnt > 0 && (signal === 'SIGKILL' || code === 137);
}

export interface CgroupCounters {
  cpuNanos: number;
  memoryBytes: number;
}

export async function readCounters(groups: InstanceCgroups): Promise<CgroupCounters | null> {
  const cpu = await readText(`${groups.dirs.cpuacct}/cpuacct.usage`);
  const usage = await readText(`${groups.dirs.memory}/memory.usage_in_bytes`);
  if (cpu === null || usage === null) return null;
  const stat = (await readText(`${groups.dirs.memory}/memory.stat`)) ?? '';
  // Like `docker stats`: page cache that could be dropped at once is not the app's memory.
  const inactiveFile = Number(/^total_inactive_file (\d+)$/m.exec(stat)?.[1] ?? 0);
  return { cpuNanos: Number(cpu.trim()), memoryBytes: Math.max(0, Number(usage.trim()) - inactiveFile) };
}

/** SIGKILLs whatever is still in the groups (children that outlived the main process). */
export async function killMembers(groups: InstanceCgroups): Promise<number> {
  const pids = new Set<number>();
  for (const dir of Object.values(groups.dirs)) for (const pid of await readProcs(dir)) pids.add(pid);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  return pids.size;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** rmdir each group; a group empties a moment after its last process is reaped, so retry briefly. */
export async function removeInstanceCgroups(groups: InstanceCgroups, attempts = 20): Promise<boolean> {
  let left = Object.values(groups.dirs);
  for (let i = 0; i < attempts && left.length > 0; i++) {
    if (i > 0) {
      await killMembers(groups);
      // Usually a few milliseconds after the last exit; an instance's stop waits on this.
      await sleep(Math.min(50, 2 ** i));
    }
    const still: string[] = [];
    for (const dir of left) {
      try {
        await rmdir(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') still.push(dir);
      }
    }
    left = still;
  }
  return left.length === 0;
}

/** Instance group names found under the root (all controllers), for orphan cleanup. */
export async function listInstanceGroups(at: CgroupLocation): Promise<string[]> {
  const names = new Set<string>();
  for (const c of cgroupControllers) {
    try {
      for (const entry of await readdir(cgroupDir(at.mount, c, at.root), { withFileTypes: true })) {
        if (entry.isDirectory()) names.add(entry.name);
      }
    } catch {
      // no root under this controller: nothing to list
    }
  }
  return [...names];
}

/** Removes Berth's root groups when empty (tests; Berth shutting down). */
export async function removeCgroupRoot(at: CgroupLocation): Promise<void> {
  for (const c of cgroupControllers) {
    try {
      await rmdir(cgroupDir(at.mount, c, at.root));
    } catch {
      // still has groups in it, or was never created
    }
  }
}

/** A shell script that joins cgroups, then execs: positional args up to `--` are cgroup.procs files, the rest is the command. */
export const JOIN_CGROUPS_SCRIPT =
  'while [ "$#" -gt 0 ] && [ "$1" != -- ]; do echo "$$" > "$1" || exit 125; shift; done; shift; exec "$@"';
