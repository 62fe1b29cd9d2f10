// Reads /proc: process identity (start time, so a recycled pid is never mistaken for ours),
// parent links to walk an instance's process tree, and cpu/memory counters for usage.
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgid: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  /** Since boot, in clock ticks; with the pid it identifies a process for good. */
  startTicks: number;
}

/** USER_HZ: 100 on every Linux architecture Node supports. */
export const CLOCK_TICKS_PER_SECOND = 100;

export function parseProcStat(text: string): ProcStat | null {
  // comm is parenthesised and may itself contain spaces or parentheses: split at the last ')'.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const fields = text
    .slice(close + 2)
    .trim()
    .split(' ');
  // fields[0] is field 3 (state) of proc(5).
  const num = (field: number): number => Number(fields[field - 3]);
  const stat: ProcStat = {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: fields[0] ?? '?',
    ppid: num(4),
    pgid: num(5),
    cpuTicks: num(14) + num(15),
    startTicks: num(22),
  };
  return Number.isFinite(stat.startTicks) && Number.isFinite(stat.ppid) ? stat : null;
}

export function readProcStat(pid: number): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null; // gone (or never ours to read): both mean "not this process"
  }
}

export function listPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

export function readAllStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const pid of listPids()) {
    const stat = readProcStat(pid);
    if (stat && stat.state !== 'Z') stats.push(stat);
  }
  return stats;
}

/** `root` and everything below it, parents before children. */
export function processTree(root: number, stats: readonly ProcStat[] = readAllStats()): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  let rootStat: ProcStat | undefined;
  for (const s of stats) {
    if (s.pid === root) rootStat = s;
    const list = children.get(s.ppid);
    if (list) list.push(s);
    else children.set(s.ppid, [s]);
  }
  if (!rootStat) return [];
  const out: ProcStat[] = [rootStat];
  for (let i = 0; i < out.length; i++) {
    const current = out[i];
    if (current) out.push(...(children.get(current.pid) ?? []));
  }
  return out;
}

/** Resident memory in bytes (VmRSS), 0 when unreadable. */
export function readRssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0; // exited between listing and reading
  }
}

export function isAlive(pid: number, startTicks: number): boolean {
  const stat = readProcStat(pid);
  return stat !== null && stat.startTicks === startTicks && stat.state !== 'Z';
}
