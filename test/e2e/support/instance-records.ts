// What the process runtime recorded about running instances ({dataDir}/runtime/instances/*.json),
// read from outside, so tests can check that processes really started, stopped or were reaped.
import fs from 'node:fs';
import path from 'node:path';

export interface RecordedInstance {
  instanceId: string;
  appId: string;
  revisionName: string;
  pid: number;
}

export function recordedInstances(dataDir: string, appId?: string): RecordedInstance[] {
  const dir = path.join(dataDir, 'runtime', 'instances');
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const records: RecordedInstance[] = [];
  for (const name of names) {
    try {
      records.push(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as RecordedInstance);
    } catch {
      // removed while listing: the instance stopped
    }
  }
  return records.filter((r) => appId === undefined || r.appId === appId);
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
