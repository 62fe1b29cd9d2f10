// What the telemetry tests share: small apps that log, burn cpu, crash or fail on demand,
// requests through the edge, polling, and deploying a directory through the core.
import fs from 'node:fs';
import path from 'node:path';
import { artifactDir } from '../support/app-fixtures.js';
import type { TestBerth } from '../support/test-berth.js';
import { edgeGet } from '../support/edge-get.js';

/** A route for scriptApp: `/flood?tag=t&n=N` writes lines `t 0` … `t N-1` to stdout in one write. */
export const floodRoute = `if (url.pathname === '/flood') { const tag = url.searchParams.get('tag'); let out = '';
  for (let i = 0; i < Number(url.searchParams.get('n')); i++) out += tag + ' ' + i + '\\n';
  process.stdout.write(out); return res.end('ok'); }`;

/** A web app; `body` is the code run once it listens (with `say(text, stream)` and `server` in scope). */
export function scriptApp(body: string, options: { routes?: string } = {}): string {
  const dir = artifactDir();
  fs.writeFileSync(
    path.join(dir, 'server.js'),
    `const http = require('http');
const say = (text, stream) => (stream === 'stderr' ? process.stderr : process.stdout).write(text + '\\n');
let burning = false;
function burn() { if (!burning) return; const end = Date.now() + 40; while (Date.now() < end) {} setImmediate(burn); }
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/say') { say(url.searchParams.get('text'), url.searchParams.get('stream')); return res.end('ok'); }
  if (url.pathname === '/burn') { burning = url.searchParams.get('on') === '1'; burn(); return res.end(String(burning)); }
  if (url.pathname === '/fail') { res.statusCode = 500; return res.end('failing'); }
  ${options.routes ?? ''}
  res.end('hello');
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => { ${body} });
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`,
  );
  return dir;
}

export async function createApp(t: TestBerth, body: Record<string, unknown>): Promise<{ id: string; slug: string }> {
  const res = await t.request<{ id: string; slug: string }>('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body: { visibility: 'public', ...body } });
  if (res.status !== 201) throw new Error(`creating app answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function deploy(t: TestBerth, appId: string, dir: string) {
  return t.berth.core.deployArtifact({ appId, artifactDir: dir, command: ['/usr/bin/node', 'server.js'], imageRef: `dir:${path.basename(dir)}`, triggerType: 'MANUAL' });
}

export function viaEdge(t: TestBerth, slug: string, urlPath = '/'): Promise<{ status: number; body: string }> {
  return edgeGet(t.berth.edgePort, `${slug}.localhost`, urlPath);
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const ws = (t: TestBerth, rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;

/** Reads an SSE response until `done(events)` says so; returns the `data:` payloads parsed. */
export async function readEvents(url: string, headers: Record<string, string>, onOpen: () => Promise<void>, done: (events: any[]) => boolean, timeoutMs = 20_000) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: any[] = [];
  const comments: string[] = [];
  try {
    if (response.status !== 200 || !response.body) return { status: response.status, contentType: response.headers.get('content-type'), events, comments };
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let opened = false;
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += value;
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        for (const line of block.split('\n')) {
          if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)));
          else if (line.startsWith(':')) comments.push(line);
        }
        cut = buffer.indexOf('\n\n');
      }
      if (!opened) {
        opened = true;
        await onOpen();
      }
      if (done(events)) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { status: response.status, contentType: response.headers.get('content-type'), events, comments };
}
