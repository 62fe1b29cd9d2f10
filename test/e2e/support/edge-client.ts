// Plain node:http requests to Berth's edge with a chosen Host header (no DNS for *.localhost
// needed), and a poller for conditions that settle asynchronously (instances start and stop).
import http from 'node:http';

export interface EdgeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request to the edge on 127.0.0.1 with `host` as the Host header; no keep-alive. */
export function edgeRequest(
  port: number,
  host: string,
  options: { path?: string; method?: string; headers?: Record<string, string>; agent?: http.Agent } = {},
): Promise<EdgeResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: { host, ...options.headers },
        agent: options.agent ?? false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The JSON body of a 2xx answer; throws with the status and body otherwise. */
export async function edgeJson<T = Record<string, unknown>>(port: number, host: string, path = '/'): Promise<T> {
  const res = await edgeRequest(port, host, { path });
  if (res.status < 200 || res.status > 299) throw new Error(`edge answered ${res.status}: ${res.body.slice(0, 200)}`);
  return JSON.parse(res.body) as T;
}

/** Polls `probe` until `ok` holds or `timeoutMs` passes; returns the last value either way. */
export async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    value = await probe();
  }
  return value;
}

/** Sends `count` sequential requests and counts the answers by the `field` of their JSON body. */
export async function tally(port: number, host: string, count: number, field: 'revision' | 'instance'): Promise<Map<string, number>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const counts = new Map<string, number>();
  try {
    for (let i = 0; i < count; i++) {
      const res = await edgeRequest(port, host, { agent });
      const key = res.status === 200 ? String((JSON.parse(res.body) as Record<string, unknown>)[field]) : `status ${res.status}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  } finally {
    agent.destroy();
  }
  return counts;
}
