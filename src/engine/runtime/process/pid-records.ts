// One small file per running instance in the state dir: its pid and that pid's start time.
// After Berth is killed, the next start reads them to find leftovers, and the start time makes
// sure a pid the kernel has since given to a stranger is never touched.
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { recordFile, recordsDir } from '../host/names.js';

export interface InstanceRecord {
  instanceId: string;
  appId: string;
  revisionName: string;
  /** The process Berth spawned; it leads its own process group. */
  pid: number;
  /** Field 22 of /proc/PID/stat at spawn. */
  startTicks: number;
  startedAt: string;
}

function isRecord(value: unknown): value is InstanceRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r['instanceId'] === 'string' && typeof r['pid'] === 'number' && typeof r['startTicks'] === 'number';
}

export async function writeRecord(stateDir: string, record: InstanceRecord): Promise<void> {
  await mkdir(recordsDir(stateDir), { recursive: true, mode: 0o700 });
  const file = recordFile(stateDir, record.instanceId);
  // Write then rename: a crash mid-write must not leave a half record that hides a live process.
  await writeFile(`${file}.tmp`, JSON.stringify(record), { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

export async function removeRecord(stateDir: string, instanceId: string): Promise<void> {
  await rm(recordFile(stateDir, instanceId), { force: true });
}

export async function readRecords(stateDir: string): Promise<InstanceRecord[]> {
  let names: string[];
  try {
    names = await readdir(recordsDir(stateDir));
  } catch {
    return []; // no records dir yet: first start
  }
  const records: InstanceRecord[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    try {
      const parsed: unknown = JSON.parse(await readFile(`${recordsDir(stateDir)}/${name}`, 'utf8'));
      if (isRecord(parsed)) records.push(parsed);
    } catch {
      // unreadable record: its cgroup (if any) still lets cleanup find the processes
    }
  }
  return records;
}
