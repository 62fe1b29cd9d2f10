// A constant-rate HTTP load through one keep-alive agent (open loop: requests leave on schedule
// whether or not earlier ones answered), recording every outcome with its revision and times.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Outcome {
  path: string;
  sentAt: number;
  doneAt: number;
  status: number | null;
  revision: string | null;
  error: string | null;
}

export interface ConstantLoad {
  outcomes: Outcome[];
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
}

export interface LoadOptions {
  port: number;
  host: string;
  ratePerSecond: number;
  /** The request target of the n-th request (default `/`). */
  pathOf?: (n: number) => string;
}

export function startConstantLoad(options: LoadOptions): ConstantLoad {
  // Enough sockets that slow requests never queue the others behind them in the client.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const outcomes: Outcome[] = [];
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  let sent = 0;

  function fire(n: number): void {
    const sentAt = performance.now();
    const path = options.pathOf?.(n) ?? '/';
    const done = new Promise<void>((resolve) => {
      const finish = (status: number | null, revision: string | null, error: string | null) => {
        outcomes.push({ path, sentAt, doneAt: performance.now(), status, revision, error });
        resolve();
      };
      const req = http.request({ host: '127.0.0.1', port: options.port, path, headers: { host: options.host }, agent, timeout: 10_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          let revision: string | null = null;
          try {
            revision = (JSON.parse(body) as { revision?: string }).revision ?? null;
          } catch {
            // an error page, not the app: the status says what happened
          }
          finish(res.statusCode ?? null, revision, null);
        });
        res.on('error', (error: NodeJS.ErrnoException) => finish(res.statusCode ?? null, null, error.code ?? error.message));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error: NodeJS.ErrnoException) => finish(null, null, error.code ?? error.message));
      req.end();
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  }

  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - start) * options.ratePerSecond) / 1000);
    while (sent < due) {
      sent++;
      fire(sent);
    }
  }, 2);

  return {
    outcomes,
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      agent.destroy();
    },
  };
}
