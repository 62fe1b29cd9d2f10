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

/** One probe's result, and what the instance did when it failed (for the failure message). */
export interface ProbeResult {
  ok: boolean;
  detail: string;
}

const networkDetail = (error: NodeJS.ErrnoException): string =>
  error.code === 'ECONNREFUSED' ? 'nothing listens there' : error.code === 'ECONNRESET' ? 'the connection was reset' : (error.code ?? error.message);

export function httpProbe(host: string, port: number, path: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let timedOut = false;
    const req = request(
      { host, port, path, method: 'GET', agent: false, timeout: timeoutMs, headers: { 'user-agent': 'berth-probe' } },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 500;
        resolve({ ok: status < 500, detail: `GET ${path} answered ${status}` });
      },
    );
    req.on('timeout', () => {
      timedOut = true;
      req.destroy();
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, detail: timedOut ? `GET ${path} got no answer within ${timeoutMs} ms` : networkDetail(error) }));
    req.end();
  });
}

export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ ok: true, detail: 'accepted a connection' });
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ ok: false, detail: `no connection within ${timeoutMs} ms` });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, detail: networkDetail(error) }));
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

async function attempt(probe: ReadinessProbe, target: ProbeTarget, budgetMs: number): Promise<ProbeResult> {
  const address = target.address;
  switch (probe.kind) {
    case 'http':
      if (!address) throw new Error('http probe on an instance that does not listen');
      return httpProbe(address.host, address.port, probe.path || '/', Math.min(probe.timeoutMs, budgetMs));
    case 'tcp':
      if (!address) throw new Error('tcp probe on an instance that does not listen');
      return tcpProbe(address.host, address.port, Math.min(probe.timeoutMs, budgetMs));
    case 'uptime':
      return { ok: Date.now() - target.startedAtMs >= probe.minUptimeMs, detail: 'still starting' };
  }
}

/** "no answer on $PORT 8080 after 60 s (nothing listens there)": what the app did, in its terms. */
function notReadyMessage(probe: ReadinessProbe, target: ProbeTarget, deadlineMs: number, last: string | null): string {
  const after = `${Math.round(deadlineMs / 1000)} s`;
  if (!target.address) return `not ready after ${after}`;
  return `no answer on $PORT ${target.address.port} after ${after}${last ? ` (${last}${probe.kind === 'http' ? '; ready means an answer below 500' : ''})` : ''}`;
}

/** Resolves once ready; rejects with the reason when the instance exits or `deadlineMs` (from now) passes. */
export async function waitForReadiness(probe: ReadinessProbe, target: ProbeTarget, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let last: string | null = null;
  for (;;) {
    const now = Date.now();
    if (now >= deadline) throw new Error(notReadyMessage(probe, target, deadlineMs, last));
    // An exit that already happened wins over a probe that could still pass on a stale port.
    const early = await raceExit(target, 0);
    if (early.kind === 'exited') throw new Error(`exited before ready: ${early.reason}`);
    const wait = probe.kind === 'uptime' ? target.startedAtMs + probe.minUptimeMs - now : 0;
    if (wait > 0) {
      const outcome = await raceExit(target, Math.min(wait, deadline - now));
      if (outcome.kind === 'exited') throw new Error(`exited before ready: ${outcome.reason}`);
      continue;
    }
    const result = await attempt(probe, target, deadline - now);
    last = result.detail;
    if (result.ok) {
      const after = await raceExit(target, 0);
      if (after.kind === 'exited') throw new Error(`exited before ready: ${after.reason}`);
      return;
    }
    const retryMs = Date.now() - target.startedAtMs < EARLY_WINDOW_MS ? EARLY_RETRY_MS : RETRY_MS;
    const outcome = await raceExit(target, Math.min(retryMs, deadline - Date.now()));
    if (outcome.kind === 'exited') throw new Error(`exited before ready: ${outcome.reason}`);
  }
}
