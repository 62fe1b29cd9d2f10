// Every name the process driver derives on disk (cgroup dirs, state files). Changing one
// orphans what a previous run left behind, so they live here and names.test.ts pins them.
import { join } from 'node:path';

export const cgroupControllers = ['memory', 'cpu', 'cpuacct', 'pids'] as const;
export type CgroupController = (typeof cgroupControllers)[number];

const SAFE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Instance ids become directory names: refuse anything that could climb out or collide. */
export function checkSafeName(kind: string, name: string): string {
  if (!SAFE.test(name) || name.includes('..')) throw new Error(`${kind} ${JSON.stringify(name)} is not a safe name`);
  return name;
}

export function cgroupDir(mount: string, controller: CgroupController, root: string, instanceId?: string): string {
  return instanceId === undefined ? join(mount, controller, root) : join(mount, controller, root, instanceId);
}

export function recordsDir(stateDir: string): string {
  return join(stateDir, 'instances');
}

export function recordFile(stateDir: string, instanceId: string): string {
  return join(recordsDir(stateDir), `${instanceId}.json`);
}

/** Generated /etc files bound into the instance's sandbox. */
export function sandboxEtcDir(stateDir: string, instanceId: string): string {
  return join(stateDir, 'sandbox', instanceId);
}

export function uidMapFile(stateDir: string): string {
  return join(stateDir, 'uids.json');
}

/** A UTS hostname (at most 63 characters) for the sandbox. */
export function sandboxHostname(instanceId: string): string {
  const cleaned = instanceId
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^-+/, '');
  return (cleaned || 'app').slice(0, 63).replace(/-+$/, '') || 'app';
}
