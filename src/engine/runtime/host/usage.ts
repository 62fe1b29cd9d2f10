// CPU and memory of one instance: from its cgroups when it has them (exact, includes every
// child), else summed over its process tree in /proc. CPU is a rate between two samples.
import type { InstanceUsage } from '../../../core/ports/runtime.js';
import { readCounters, type InstanceCgroups } from './cgroup-v1.js';
import { CLOCK_TICKS_PER_SECOND, processTree, readRssBytes } from './proc-fs.js';

export interface UsageSample {
  cpuSeconds: number;
  atMs: number;
}

export interface RawUsage {
  cpuSeconds: number;
  memoryBytes: number;
}

export async function readRawUsage(pid: number, groups: InstanceCgroups | null): Promise<RawUsage | null> {
  if (groups) {
    const counters = await readCounters(groups);
    if (counters) return { cpuSeconds: counters.cpuNanos / 1e9, memoryBytes: counters.memoryBytes };
  }
  const tree = processTree(pid);
  if (tree.length === 0) return null;
  return {
    cpuSeconds: tree.reduce((sum, s) => sum + s.cpuTicks, 0) / CLOCK_TICKS_PER_SECOND,
    memoryBytes: tree.reduce((sum, s) => sum + readRssBytes(s.pid), 0),
  };
}

/** A rate over less than this is mostly noise; callers (reconciler, autoscaler) may ask back to back. */
export const MIN_CPU_WINDOW_MS = 1_000;

export interface UsageMeter {
  /** CPU as a rate over at least MIN_CPU_WINDOW_MS (or since start), memory as of now. */
  next(raw: RawUsage, nowMs: number): Pick<InstanceUsage, 'cpuPercent' | 'memoryMi'>;
}

export function createUsageMeter(startedAtMs: number): UsageMeter {
  let samples: UsageSample[] = [{ cpuSeconds: 0, atMs: startedAtMs }];
  return {
    next(raw, nowMs) {
      const anchor = samples.filter((s) => s.atMs <= nowMs - MIN_CPU_WINDOW_MS).at(-1) ??
        samples[0] ?? { cpuSeconds: 0, atMs: startedAtMs };
      const elapsedSeconds = Math.max(0.001, (nowMs - anchor.atMs) / 1000);
      const cpuPercent = Math.max(0, ((raw.cpuSeconds - anchor.cpuSeconds) / elapsedSeconds) * 100);
      samples = [...samples.filter((s) => s.atMs >= anchor.atMs), { cpuSeconds: raw.cpuSeconds, atMs: nowMs }];
      return {
        cpuPercent: Math.round(cpuPercent * 10) / 10,
        memoryMi: Math.round((raw.memoryBytes / (1024 * 1024)) * 10) / 10,
      };
    },
  };
}
