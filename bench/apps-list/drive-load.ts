// One load phase: autocannon keeps `connections` keep-alive connections busy for `seconds`, each
// request's path chosen by `nextPath`; latencies are kept per request (autocannon's own histogram
// has whole-millisecond buckets) and summarised as p50, p99 and requests per second, with the
// server's CPU time per request (from /proc), which a busy shared machine distorts far less.
import fs from 'node:fs';
import autocannon from 'autocannon';

export interface Phase {
  name: string;
  url: string;
  seconds: number;
  connections: number;
  headers?: Record<string, string>;
  nextPath: () => string;
  /** The server process, whose CPU time is charged to the phase. */
  serverPid: number;
}

export interface Figures {
  name: string;
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Responses that were not 2xx, and socket errors or timeouts. */
  failures: number;
  /** Server CPU (user + system) per request. */
  cpuMsPerRequest: number;
}

/** User + system CPU of a process in ms (Linux clock ticks are 10 ms). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export async function driveLoad(phase: Phase): Promise<Figures> {
  const latencies: number[] = [];
  let failures = 0;
  const cpuBefore = cpuMs(phase.serverPid);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: phase.url,
        connections: phase.connections,
        pipelining: 1,
        duration: phase.seconds,
        headers: phase.headers ?? {},
        requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: phase.nextPath() }) }],
      },
      (error, done) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (statusCode < 200 || statusCode >= 300) failures += 1;
    });
  });
  const cpu = cpuMs(phase.serverPid) - cpuBefore;
  const sorted = Float64Array.from(latencies).sort();
  return {
    name: phase.name,
    requests: latencies.length,
    perSecond: latencies.length / phase.seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    failures: failures + result.errors + result.timeouts,
    cpuMsPerRequest: cpu / Math.max(1, latencies.length),
  };
}
