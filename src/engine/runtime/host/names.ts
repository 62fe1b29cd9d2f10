// Every name the process driver derives (cgroup dirs, state files, network namespaces, veths,
// nftables tables, address claims). Changing one orphans what a previous run left behind, so
// they live here and names.test.ts pins them.
import { createHash } from 'node:crypto';
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

/** An instance's writable layer: its filesystem image and where it is mounted (in the instance's mount namespace only). */
export function diskDir(stateDir: string, instanceId?: string): string {
  return instanceId === undefined ? join(stateDir, 'disks') : join(stateDir, 'disks', instanceId);
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

/**
 * What makes one Berth's network objects its own: 6 characters from its cgroup root and state
 * dir, so several Berths on one machine (test runs included) never share a namespace, a veth,
 * an nftables table or an address range, and a restart finds what its previous run left.
 */
export function networkTag(cgroupRoot: string, stateDir: string): string {
  const digest = createHash('sha256').update(`${cgroupRoot}\0${stateDir}`).digest();
  return (digest.readUIntBE(0, 6) % 36 ** 6).toString(36).padStart(6, '0');
}

/** The network namespace of slot `slot` (a file under /run/netns). */
export function netnsName(tag: string, slot: number): string {
  return `berth-${tag}-${slot}`;
}

/** The slot of one of this Berth's namespace names, or null for any other name. */
export function netnsSlot(tag: string, name: string): number | null {
  const match = new RegExp(`^berth-${tag}-([1-9][0-9]*)$`).exec(name);
  return match?.[1] ? Number(match[1]) : null;
}

export const netnsDir = '/run/netns';

/** Host side of a namespace's veth pair (at most 15 characters: `b` + tag + slot in base 36). */
export function hostVethName(tag: string, slot: number): string {
  return `${vethPrefix(tag)}${slot.toString(36)}`;
}

/** Every host-side veth of one Berth starts with this (nftables matches on it). */
export function vethPrefix(tag: string): string {
  return `b${tag}`;
}

/** The namespace side of every veth pair: alone in its namespace, so one fixed name. */
export const namespaceVethName = 'eth0';

/** One Berth's nftables table on the host (family ip). */
export function nftTableName(tag: string): string {
  return `berth_${tag}`;
}

/** The table inside each namespace (a namespace holds nothing else of ours). */
export const namespaceNftTable = 'berth';

/** Metric of the `unreachable` route that claims a Berth's address range: who owns a claim. */
export function claimMetric(tag: string): number {
  return 3_000_000_000 + (parseInt(tag, 36) % 1_000_000_000);
}
