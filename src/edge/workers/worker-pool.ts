// The edge supervisor's side of its worker processes: binds the listening sockets (without
// accepting on them itself) and shares them with N workers, broadcasts every route table,
// certificate set and challenge answer, answers key lookups, adds up their counters, tracks
// what each still has in flight to instances the table dropped, and replaces a worker that dies.
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import type { EdgeStatsSnapshot, KeyWorkspaceResolver, RouteTable } from '../../core/ports/route-table.js';
import type { EdgeLogger } from '../edge-context.js';
import { leastIdle, sumSnapshots } from '../edge-stats.js';
import type { TlsMaterial } from '../tls/certificate-book.js';
import type { FromWorker, ToWorker, WorkerSettings } from './worker-messages.js';

/** A started worker process, as node's ChildProcess offers it (with an IPC channel). */
export interface WorkerProcess {
  readonly pid?: number | undefined;
  readonly connected: boolean;
  send(message: ToWorker, handle?: object): boolean;
  on(event: 'message', listener: (message: FromWorker) => void): unknown;
  on(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  kill(signal?: NodeJS.Signals): boolean;
}

/** Starts one edge worker process (main.ts does so through Berth's spawn helper). */
export type WorkerLauncher = () => WorkerProcess;

export interface WorkerPoolOptions {
  count: number;
  launch: WorkerLauncher;
  settings: WorkerSettings;
  resolveKey: KeyWorkspaceResolver;
  logger: EdgeLogger;
  /** Workers drain this long after they stop accepting; close() kills one still there 2 s later. */
  drainTimeoutMs: number;
}

interface TcpHandle {
  bind(address: string, port: number): number;
  bind6(address: string, port: number, flags: number): number;
  getsockname(out: { port?: number }): number;
  close(): void;
}

interface Listener {
  kind: 'http' | 'tls';
  handle: TcpHandle;
  publicPort: number;
}

interface Worker {
  process: WorkerProcess;
  /** Version of the last route table it confirmed. */
  applied: number;
  /** Requests in flight to origins its table no longer routes to. */
  busy: Map<string, number>;
  lastStats: EdgeStatsSnapshot | null;
  listening: Set<'http' | 'tls'>;
  /** False once it said its copies of the listening sockets are closed. */
  accepting: boolean;
  /** Re-checked on every message that may settle them (listening, applied, stopped-accepting) and on exit. */
  waiters: (() => void)[];
  exitWaiters: (() => void)[];
  challengeAcks: Map<number, () => void>;
  gone: boolean;
}

const statsTimeoutMs = 2_000;
/** How long stopAccepting() waits for each worker to close its copies of the listening sockets. */
const stopAcceptingTimeoutMs = 1_000;

/** A TCP socket bound to the address but not listening: workers listen and accept on it, Berth never does. */
async function bindHandle(host: string, port: number): Promise<TcpHandle> {
  const address = net.isIP(host) !== 0 ? host : (await lookup(host)).address;
  const binding = (process as unknown as { binding(name: string): unknown }).binding('tcp_wrap') as {
    TCP: new (type: number) => TcpHandle;
    constants: { SERVER: number };
  };
  const handle = new binding.TCP(binding.constants.SERVER);
  const error = net.isIPv6(address) ? handle.bind6(address, port, 0) : handle.bind(address, port);
  if (error !== 0) {
    handle.close();
    const code = error === -98 ? 'EADDRINUSE' : error === -13 ? 'EACCES' : `errno ${error}`;
    throw Object.assign(new Error(`edge could not bind ${address}:${port} (${code})`), { code });
  }
  return handle;
}

/** Waits for `work`, but no longer than `ms`. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function portOf(handle: TcpHandle): number {
  const out: { port?: number } = {};
  handle.getsockname(out);
  return out.port ?? 0;
}

export class WorkerPool {
  private readonly workers = new Set<Worker>();
  private readonly listeners: Listener[] = [];
  private routes: RouteTable | null = null;
  private tls: TlsMaterial | null = null;
  private challenges = new Map<string, string>();
  /** Counters of workers that died, so totals never go backwards. */
  private retired: EdgeStatsSnapshot[] = [];
  private nextStatsId = 1;
  private readonly statsWaiters = new Map<number, (snapshot: EdgeStatsSnapshot | null) => void>();
  /** Answers to idle-time and in-flight questions, by question id. */
  private readonly replyWaiters = new Map<number, (reply: FromWorker) => void>();
  /** Set by stopAccepting(): no worker is started any more. */
  private closing = false;
  /** When the drain that stopAccepting() began is over (Date.now() ms). */
  private drainEndsAt = 0;
  private stopped: Promise<void> | null = null;
  private restarts = 0;
  private challengeSeq = 0;

  constructor(private readonly options: WorkerPoolOptions) {}

  async listen(kind: 'http' | 'tls', port: number, host: string, publicPort?: number): Promise<number> {
    const handle = await bindHandle(host, port);
    const bound = portOf(handle);
    const listener: Listener = { kind, handle, publicPort: publicPort ?? bound };
    this.listeners.push(listener);
    if (this.workers.size === 0) for (let i = 0; i < this.options.count; i++) this.spawn();
    else for (const worker of this.workers) this.sendListener(worker, listener);
    await Promise.all([...this.workers].map((worker) => this.listening(worker, kind)));
    return bound;
  }

  /** Resolves once every live worker serves the table. */
  setRoutes(table: RouteTable): Promise<void> {
    this.routes = table;
    this.broadcast({ t: 'routes', table });
    const pending = [...this.workers].filter((w) => !w.gone && w.applied < table.version);
    return Promise.all(
      pending.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const check = (): void => {
              if (worker.gone || worker.applied >= table.version) resolve();
              else worker.waiters.push(check);
            };
            check();
          }),
      ),
    ).then(() => undefined);
  }

  setTls(material: TlsMaterial): void {
    this.tls = material;
    this.broadcast({ t: 'tls', material });
  }

  /** Resolves once every live worker serves these answers (or after a second, whatever they did). */
  setChallenges(answers: ReadonlyMap<string, string>): Promise<void> {
    this.challenges = new Map(answers);
    const seq = ++this.challengeSeq;
    const live = [...this.workers].filter((w) => !w.gone);
    const acks = live.map(
      (worker) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1_000);
          worker.challengeAcks.set(seq, () => {
            clearTimeout(timer);
            resolve();
          });
        }),
    );
    this.broadcast({ t: 'challenges', seq, answers: this.challenges });
    return Promise.all(acks).then(() => undefined);
  }

  /** Counts of every worker, live and retired, added up; a worker that does not answer in time counts with its last answer. */
  async stats(): Promise<EdgeStatsSnapshot> {
    const live = [...this.workers].filter((w) => !w.gone);
    const answers = await Promise.all(live.map((worker) => this.askStats(worker)));
    const snapshots = answers.filter((s): s is EdgeStatsSnapshot => s !== null);
    return sumSnapshots([...this.retired, ...snapshots], this.routes?.version ?? -1, new Date());
  }

  /** Idle times of every live worker, the least per app; a worker that does not answer in time adds nothing. */
  async idleTimes(): Promise<Map<string, number>> {
    const live = [...this.workers].filter((w) => !w.gone);
    return leastIdle(await Promise.all(live.map((worker) => this.askIdle(worker))));
  }

  /** In flight to an origin the table dropped; a worker that has not confirmed the latest table counts as busy. */
  inFlight(origin: string): number {
    const version = this.routes?.version ?? -1;
    let total = 0;
    for (const worker of this.workers) {
      if (worker.gone) continue;
      if (worker.applied < version) return Math.max(1, total);
      total += worker.busy.get(origin) ?? 0;
    }
    return total;
  }

  /** Requests in flight to any instance, added up over the live workers. */
  async requestsInFlight(): Promise<number> {
    const live = [...this.workers].filter((w) => !w.gone);
    const counts = await Promise.all(live.map((worker) => this.askInFlight(worker)));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  /**
   * Berth closes its copies of the listening sockets, then every worker closes its own and its
   * idle connections: the port refuses connections once the last is closed (a socket closes with
   * its last descriptor, and the last is one that accepts, so no connection waits in the backlog to
   * be reset). A worker that does not confirm within 1 s is not waited for. Requests in flight go on.
   */
  stopAccepting(): Promise<void> {
    this.stopped ??= this.closeListeners();
    return this.stopped;
  }

  private async closeListeners(): Promise<void> {
    this.closing = true;
    this.drainEndsAt = Date.now() + this.options.drainTimeoutMs;
    for (const listener of this.listeners) listener.handle.close();
    this.listeners.length = 0;
    const stopped = [...this.workers].map(
      (worker) =>
        new Promise<void>((resolve) => {
          const check = (): void => {
            if (worker.gone || !worker.accepting) resolve();
            else worker.waiters.push(check);
          };
          check();
        }),
    );
    this.broadcast({ t: 'stop-accepting' });
    await within(Promise.all(stopped), stopAcceptingTimeoutMs);
  }

  /** Each worker drains and exits; one still there 2 s after the drain time is killed (and awaited up to 1 s more). */
  async close(): Promise<void> {
    await this.stopAccepting();
    const exits = [...this.workers].map((worker) => {
      const exited = this.exit(worker);
      this.send(worker, { t: 'close' });
      return exited;
    });
    await within(Promise.all(exits), Math.max(0, this.drainEndsAt - Date.now()) + 2_000);
    const killed = [...this.workers].filter((worker) => !worker.gone);
    for (const worker of killed) worker.process.kill('SIGKILL');
    await within(Promise.all(killed.map((worker) => this.exit(worker))), 1_000);
  }

  private exit(worker: Worker): Promise<void> {
    return new Promise((resolve) => {
      if (worker.gone) resolve();
      else worker.exitWaiters.push(resolve);
    });
  }

  private spawn(): void {
    const child = this.options.launch();
    const worker: Worker = {
      process: child,
      applied: -1,
      busy: new Map(),
      lastStats: null,
      listening: new Set(),
      accepting: true,
      waiters: [],
      exitWaiters: [],
      challengeAcks: new Map(),
      gone: false,
    };
    this.workers.add(worker);
    child.on('message', (message) => this.received(worker, message));
    child.on('error', (error) => {
      // A send racing the worker's exit fails with EPIPE; the exit handler deals with the worker.
      if (!this.closing && !worker.gone) this.options.logger.error({ err: error.message, pid: child.pid }, 'edge worker failed');
    });
    child.on('exit', (code, signal) => this.exited(worker, code, signal));
    this.send(worker, { t: 'init', settings: this.options.settings });
    if (this.routes !== null) this.send(worker, { t: 'routes', table: this.routes });
    if (this.tls !== null) this.send(worker, { t: 'tls', material: this.tls });
    if (this.challenges.size > 0) this.send(worker, { t: 'challenges', seq: this.challengeSeq, answers: this.challenges });
    for (const listener of this.listeners) this.sendListener(worker, listener);
  }

  private exited(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    worker.gone = true;
    this.workers.delete(worker);
    if (worker.lastStats !== null) this.retired.push(worker.lastStats);
    for (const waiter of worker.waiters.splice(0)) waiter();
    for (const waiter of worker.exitWaiters.splice(0)) waiter();
    for (const ack of worker.challengeAcks.values()) ack();
    worker.challengeAcks.clear();
    if (this.closing) return;
    this.restarts++;
    this.options.logger.error({ pid: worker.process.pid, code, signal }, 'edge worker exited; starting another');
    // Quickly at first; a worker that keeps dying is restarted at most every 5 s.
    const delay = Math.min(5_000, 50 * 2 ** Math.min(this.restarts, 7));
    setTimeout(() => {
      if (!this.closing) this.spawn();
    }, delay).unref();
  }

  private received(worker: Worker, message: FromWorker): void {
    switch (message.t) {
      case 'listening':
        worker.listening.add(message.kind);
        for (const waiter of worker.waiters.splice(0)) waiter();
        return;
      case 'stopped-accepting':
        worker.accepting = false;
        for (const waiter of worker.waiters.splice(0)) waiter();
        return;
      case 'challenges-applied':
        worker.challengeAcks.get(message.seq)?.();
        worker.challengeAcks.delete(message.seq);
        return;
      case 'applied':
        worker.applied = message.version;
        worker.busy = message.busy;
        for (const waiter of worker.waiters.splice(0)) waiter();
        return;
      case 'drain':
        if (message.count > 0) worker.busy.set(message.origin, message.count);
        else worker.busy.delete(message.origin);
        return;
      case 'stats':
        worker.lastStats = message.snapshot;
        this.statsWaiters.get(message.id)?.(message.snapshot);
        return;
      case 'idle':
      case 'in-flight':
        this.replyWaiters.get(message.id)?.(message);
        return;
      case 'key':
        this.options.resolveKey(message.key).then(
          (workspaceId) => this.send(worker, { t: 'key', id: message.id, workspaceId, failed: false }),
          () => this.send(worker, { t: 'key', id: message.id, workspaceId: null, failed: true }),
        );
        return;
      case 'log':
        this.options.logger[message.level]({ ...message.fields, worker: worker.process.pid }, message.message);
        return;
    }
  }

  private listening(worker: Worker, kind: 'http' | 'tls'): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (worker.listening.has(kind)) resolve();
        else if (worker.gone) reject(new Error('an edge worker exited before it was listening'));
        else worker.waiters.push(check);
      };
      check();
    });
  }

  private askStats(worker: Worker): Promise<EdgeStatsSnapshot | null> {
    const id = this.nextStatsId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(worker.lastStats), statsTimeoutMs);
      const finish = (snapshot: EdgeStatsSnapshot | null): void => {
        clearTimeout(timer);
        this.statsWaiters.delete(id);
        resolve(snapshot);
      };
      this.statsWaiters.set(id, finish);
      if (!this.send(worker, { t: 'stats', id })) finish(worker.lastStats);
    });
  }

  private askIdle(worker: Worker): Promise<Map<string, number>> {
    return this.ask(worker, (id) => ({ t: 'idle', id }), (reply) => (reply.t === 'idle' ? reply.idle : new Map()), () => new Map());
  }

  /** A live worker that does not answer in time counts as busy: it may still be serving; one that exited, as idle. */
  private askInFlight(worker: Worker): Promise<number> {
    return this.ask(worker, (id) => ({ t: 'in-flight', id }), (reply) => (reply.t === 'in-flight' ? reply.count : 1), () => (worker.gone ? 0 : 1));
  }

  /** Sends a question and resolves with what the answer says, or with `fallback()` when none comes in time. */
  private ask<T>(worker: Worker, question: (id: number) => ToWorker, read: (reply: FromWorker) => T, fallback: () => T): Promise<T> {
    const id = this.nextStatsId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(fallback()), statsTimeoutMs);
      const finish = (answer: T): void => {
        clearTimeout(timer);
        this.replyWaiters.delete(id);
        resolve(answer);
      };
      this.replyWaiters.set(id, (reply) => finish(read(reply)));
      if (!this.send(worker, question(id))) finish(fallback());
    });
  }

  private sendListener(worker: Worker, listener: Listener): void {
    if (worker.gone || !worker.process.connected) return;
    worker.process.send({ t: 'listen', kind: listener.kind, publicPort: listener.publicPort }, listener.handle);
  }

  private broadcast(message: ToWorker): void {
    for (const worker of this.workers) this.send(worker, message);
  }

  private send(worker: Worker, message: ToWorker): boolean {
    if (worker.gone || !worker.process.connected) return false;
    try {
      return worker.process.send(message);
    } catch {
      // The channel closed between the check and the send: the exit handler deals with the worker.
      return false;
    }
  }
}
