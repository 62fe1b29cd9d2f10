// After a SIGKILL of Berth: kill what the previous run left (found through its pid records and
// its cgroups), remove the empty groups and the stale records. A recorded pid is only touched
// when its start time still matches, so a recycled pid belonging to a stranger is safe.
import { readdir, rm } from 'node:fs/promises';
import {
  killMembers,
  instanceCgroups,
  listInstanceGroups,
  readProcs,
  removeInstanceCgroups,
  type CgroupLocation,
} from '../host/cgroup-v1.js';
import { cgroupControllers } from '../host/names.js';
import { removeRecord, readRecords, type InstanceRecord } from './pid-records.js';
import { readAllStats, readProcStat, type ProcStat } from '../host/proc-fs.js';
import { diskDir, sandboxEtcDir } from '../host/names.js';
import { killTree } from './signals.js';

export interface OrphanScope {
  stateDir: string;
  cgroups: CgroupLocation | null;
  /** Instances this driver runs right now: never orphans. */
  live: ReadonlySet<string>;
}

/** Processes that belong to a recorded instance, or [] when the pid now names a stranger. */
export function recordedProcesses(record: InstanceRecord, stats: readonly ProcStat[]): ProcStat[] {
  const leader = readProcStat(record.pid);
  if (leader && leader.startTicks !== record.startTicks) return [];
  // While any member of group `pid` lives, the kernel cannot hand that pid out again,
  // so the members of a group whose leader is gone are still ours.
  const members = stats.filter((s) => s.pgid === record.pid);
  return leader ? [leader, ...members] : members;
}

export async function cleanupOrphans(scope: OrphanScope): Promise<number> {
  const killedInstances = new Set<string>();
  const stats = readAllStats();
  for (const record of await readRecords(scope.stateDir)) {
    if (scope.live.has(record.instanceId)) continue;
    const ours = recordedProcesses(record, stats);
    if (ours.length > 0) {
      const leaderAlive = ours.some((s) => s.pid === record.pid);
      if (leaderAlive) killTree(record.pid, ours);
      else for (const s of ours) killTree(s.pid);
      killedInstances.add(record.instanceId);
    }
    await removeRecord(scope.stateDir, record.instanceId);
    await rm(sandboxEtcDir(scope.stateDir, record.instanceId), { recursive: true, force: true });
  }
  // Disk images of instances that are gone (their mounts went with their mount namespaces).
  for (const name of await readdir(diskDir(scope.stateDir)).catch(() => [] as string[])) {
    if (!scope.live.has(name)) await rm(diskDir(scope.stateDir, name), { recursive: true, force: true });
  }
  if (scope.cgroups) {
    for (const name of await listInstanceGroups(scope.cgroups)) {
      if (scope.live.has(name)) continue;
      const groups = instanceCgroups(scope.cgroups, name);
      let members = 0;
      for (const c of cgroupControllers) members += (await readProcs(groups.dirs[c])).length;
      if (members > 0) {
        await killMembers(groups);
        killedInstances.add(name);
      }
      await removeInstanceCgroups(groups);
    }
  }
  return killedInstances.size;
}
