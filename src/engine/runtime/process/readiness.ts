// Readiness probes: HTTP GET (any status below 500), TCP connect, or "still up after N ms"
// for workers. Probes repeat until one passes, the instance exits, or the deadline passes.
import { request } from 'node:http';
import { connect } from 'node:net';
import type { ReadinessProbe } from '../../../core/ports/runtime.js';

export interface ProbeTarget {
  address: { host: string; port: number } | null;
  startedAtMs: number;
  /** Settles with a human-readable reason when the instance exits. */
  exited: Promise<string>;
}

/** Probes repeat quickly while a start is young (most apps listen within a second), then ease off. */
const EARLY_RETRY_MS = 5;
const RETRY_MS = 20;
const EARLY_WINDOW_MS = 2_000;

export function httpProbe(host: string, port: number, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host, port, path, method: 'GET', agent: false, timeout: timeoutMs, headers: { 'user-agent': 'berth-probe' } },
      (res) => {
        res.resume();
        resolve((res.statusCode ?? 500) < 500);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

type Outcome = { kind: 'exited'; reason: string } | { kind: 'timer' };

function raceExit(target: ProbeTarget, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const wait = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timer' }), Math.max(0, ms));
  });
  return Promise.race([wait, target.exited.then((reason): Outcome => ({ kind: 'exited', reason }))]).finally(() =>
    clearTimeout(timer),
  );
}

async function attempt(probe: ReadinessProbe, target: ProbeTarget, budgetMs: number): Promise<boolean> {
  const address = target.address;
  switch (probe.kind) {
    case 'http':
      if (!address) throw new Error('http probe on an instance that does not listen');
      return httpProbe(address.host, address.port, probe.path || '/', Math.min(probe.timeoutMs, budgetMs));
    case 'tcp':
      if (!address) throw new Error('tcp probe on an instance that does not listen');
      return tcpProbe(address.host, address.port, Math.min(probe.timeoutMs, budgetMs));
    case 'uptime':
      return Date.now() - target.startedAtMs >= probe.minUptimeMs;
  }
}

/** Resolves once ready; rejects with the reason when the instance exits or `deadlineMs` (from now) passes. */
export async function waitForReadiness(probe: ReadinessProbe, target: ProbeTarget, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const now = Date.now();
    if (now >= deadline) throw new Error(`not ready within ${deadlineMs} ms (${probe.kind} probe)`);
    // An exit that already happened wins over a probe that could still pass on a stale port.
    const early = await raceExit(target, 0);
    if (early.kind === 'exited') throw new Error(`exited before ready: ${early.reason}`);
    const wait = probe.kind === 'uptime' ? target.startedAtMs + probe.minUptimeMs - now : 0;
    if (wait > 0) {
      const outcome = await raceExit(target, Math.min(wait, deadline - now));
      if (outcome.kind === 'exited') throw new Error(`exited before ready: ${outcome.reason}`);
      continue;
    }
    if (await attempt(probe, target, deadline - now)) {
      const after = await raceExit(target, 0);
      if (after.kind === 'exited') throw new Error(`exited before ready: ${after.reason}`);
      return;
    }
    const retryMs = Date.now() - target.startedAtMs < EARLY_WINDOW_MS ? EARLY_RETRY_MS : RETRY_MS;
    const outcome = await raceExit(target, Math.min(retryMs, deadline - Date.now()));
    if (outcome.kind === 'exited') throw new Error(`exited before ready: ${outcome.reason}`);
  }
}
