// Readiness probes: HTTP GET (any status below 500), TCP connect, or "still up after N ms"
// for workers. Probes repeat until one passes, the instance exits, or the deadline passes.
// An app that does not listen on PORT is looked for where it does listen (the instance's
// listening sockets, PORT first, then the preferred ports, then the lowest), and served there.
import { request } from 'node:http';
import { connect } from 'node:net';
import type { ReadinessProbe } from '../../../core/ports/runtime.js';
import { choosePort } from './listening-ports.js';

export interface ProbeTarget {
  /** Where the app was told to listen (PORT). */
  address: { host: string; port: number } | null;
  startedAtMs: number;
  /** Settles with a human-readable reason when the instance exits. */
  exited: Promise<string>;
  /** TCP ports the instance listens on now (reachable ones); absent: only `address` is probed. */
  listeningPorts?: () => Promise<number[]>;
  /** Ports the app is known to use (its `port`, its domains' `targetPort`), first preferred. */
  preferredPorts?: readonly number[];
}

/** Where the instance was found ready: its port (null for workers). */
export interface ReadyAt {
  port: number | null;
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
      resolve({ ok: true, detail: 'accepted a connection' });
      // Closed with a FIN, reading what the app sends (a greeting) until it closes too: destroying it
      // with unread bytes would reset the connection, and an app that writes to it may crash on that.
      socket.on('error', () => socket.destroy());
      socket.setTimeout(timeoutMs, () => socket.destroy());
      socket.resume();
      socket.end();
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

/** What the probes saw: the last failure, and the ports found listening at the last look. */
interface Seen {
  last: string | null;
  listening: number[] | null;
  /** When a port other than the preferred ones was first found listening (ms), or null. */
  otherSince: number | null;
}

/** An app that listens on several ports opens them one after another: once one that is not
 * preferred (a domain's targetPort) shows up, the preferred one gets this long to show up too. */
const PREFERRED_GRACE_MS = 500;

function probePort(probe: Exclude<ReadinessProbe, { kind: 'uptime' }>, host: string, port: number, budgetMs: number): Promise<ProbeResult> {
  const timeoutMs = Math.min(probe.timeoutMs, budgetMs);
  return probe.kind === 'http' ? httpProbe(host, port, probe.path || '/', timeoutMs) : tcpProbe(host, port, timeoutMs);
}

/** The port that passed ('ready' for workers), or null. PORT is probed first; /proc is read only when that fails. */
async function attempt(probe: ReadinessProbe, target: ProbeTarget, budgetMs: number, seen: Seen): Promise<number | 'ready' | null> {
  if (probe.kind === 'uptime') {
    seen.last = 'still starting';
    return Date.now() - target.startedAtMs >= probe.minUptimeMs ? 'ready' : null;
  }
  const address = target.address;
  if (!address) throw new Error(`${probe.kind} probe on an instance that does not listen`);
  const onPort = await probePort(probe, address.host, address.port, budgetMs);
  // A last probe cut short by the deadline ("no answer within 2 ms") says less than what the app
  // did before it (answered 503, refused): the reason keeps that.
  const cutShort = !onPort.ok && budgetMs < probe.timeoutMs && seen.last !== null;
  if (!cutShort) seen.last = onPort.detail;
  if (onPort.ok) return address.port;
  if (!target.listeningPorts) return null;
  seen.listening = await target.listeningPorts();
  const preferred = target.preferredPorts ?? [];
  const port = choosePort(seen.listening, address.port, preferred);
  if (port === null || port === address.port) return null;
  if (preferred.length > 0 && !preferred.includes(port)) {
    seen.otherSince ??= Date.now();
    if (Date.now() - seen.otherSince < PREFERRED_GRACE_MS) {
      seen.last = `the app listens on port ${port}, not (yet) on ${preferred.join(' or ')}`;
      return null;
    }
  }
  const elsewhere = await probePort(probe, address.host, port, budgetMs);
  seen.last = `the app listens on port ${port}, where ${elsewhere.detail}`;
  return elsewhere.ok ? port : null;
}

/** "no answer on $PORT 8080 after 60 s (the app listens on no TCP port)": what the app did, in its terms. */
function notReadyMessage(probe: ReadinessProbe, target: ProbeTarget, deadlineMs: number, seen: Seen): string {
  const after = `${Math.round(deadlineMs / 1000)} s`;
  if (!target.address) return `not ready after ${after}`;
  const what = seen.listening?.length === 0 ? 'the app listens on no TCP port' : seen.last;
  return `no answer on $PORT ${target.address.port} after ${after}${what ? ` (${what}${probe.kind === 'http' && seen.listening?.length !== 0 ? '; ready means an answer below 500' : ''})` : ''}`;
}

/** Resolves once ready (with the port it answered on); rejects with the reason when the instance exits or `deadlineMs` (from now) passes. */
export async function waitForReadiness(probe: ReadinessProbe, target: ProbeTarget, deadlineMs: number): Promise<ReadyAt> {
  const deadline = Date.now() + deadlineMs;
  const seen: Seen = { last: null, listening: null, otherSince: null };
  for (;;) {
    const now = Date.now();
    if (now >= deadline) throw new Error(notReadyMessage(probe, target, deadlineMs, seen));
    // An exit that already happened wins over a probe that could still pass on a stale port.
    const early = await raceExit(target, 0);
    if (early.kind === 'exited') throw new Error(`exited before ready: ${early.reason}`);
    const wait = probe.kind === 'uptime' ? target.startedAtMs + probe.minUptimeMs - now : 0;
    if (wait > 0) {
      const outcome = await raceExit(target, Math.min(wait, deadline - now));
      if (outcome.kind === 'exited') throw new Error(`exited before ready: ${outcome.reason}`);
      continue;
    }
    const passed = await attempt(probe, target, deadline - now, seen);
    if (passed !== null) {
      const after = await raceExit(target, 0);
      if (after.kind === 'exited') throw new Error(`exited before ready: ${after.reason}`);
      return { port: passed === 'ready' ? null : passed };
    }
    const retryMs = Date.now() - target.startedAtMs < EARLY_WINDOW_MS ? EARLY_RETRY_MS : RETRY_MS;
    const outcome = await raceExit(target, Math.min(retryMs, deadline - Date.now()));
    if (outcome.kind === 'exited') throw new Error(`exited before ready: ${outcome.reason}`);
  }
}
