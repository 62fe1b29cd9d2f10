// Fixtures for the edge tests: tiny node:http upstreams on port 0, an edge on port 0 (with TLS
// too), route table builders and a Host-setting HTTP client (fetch forbids setting Host).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createServer,
  request,
  type Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  AppRoute,
  KeyWorkspaceResolver,
  RouteShare,
  RouteTable,
  RouteTarget,
} from '../../src/core/ports/route-table.js';
import {
  createEdge,
  type Edge,
  type EdgeLogger,
  type EdgeOptions,
  type WorkerProcess,
} from '../../src/edge/create-edge.js';
import { launchEdgeWorker } from '../../src/main.js';
import { makeSelfSigned } from '../support/self-signed.js';

export const base = 'apps.test';

export interface Upstream {
  port: number;
  server: Server;
  close(): Promise<void>;
}

export async function startUpstream(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Upstream> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An upstream that answers its name and echoes what it saw as JSON headers. */
export function namedUpstream(name: string): Promise<Upstream> {
  return startUpstream((req, res) => {
    res.setHeader('x-upstream', name);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ name, url: req.url, headers: req.headers }));
  });
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

export function memoryLogger(): EdgeLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (fields, message) => lines.push({ level: 'info', fields, message }),
    warn: (fields, message) => lines.push({ level: 'warn', fields, message }),
    error: (fields, message) => lines.push({ level: 'error', fields, message }),
  };
}

const noKeys: KeyWorkspaceResolver = () => Promise.resolve(null);

/** The ways the edge serves traffic; suites that hold for both run once per mode. */
export const edgeModes = [
  { name: 'in-process', workers: 0 },
  { name: '2 workers', workers: 2 },
];

let modeWorkers = 0;
/** The mode startEdge uses unless told otherwise (a suite's first beforeAll sets it). */
export function useEdgeWorkers(workers: number): void {
  modeWorkers = workers;
}

/** Edge worker processes started by this test process. */
export function workerPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === process.pid && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('edge-worker-main');
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Starts an edge worker process as main.ts does (the production entry point, through spawn.ts). */
export function launchWorker(): WorkerProcess {
  return launchEdgeWorker({ PATH: process.env.PATH ?? '/usr/bin:/bin' });
}

export async function startEdge(options: Partial<EdgeOptions> = {}): Promise<{ edge: Edge; port: number }> {
  const workers = options.workers ?? modeWorkers;
  const edge = createEdge({
    baseDomain: base,
    resolveKey: noKeys,
    logger: memoryLogger(),
    workers,
    launchWorker,
    ...options,
  });
  const port = await edge.listen(0, '127.0.0.1');
  return { edge, port };
}

/** What the TLS suites share: the operator's certificate for *.apps.test, and `web.apps.test` answering `ok`. */
export interface TlsFixture {
  certPem: string;
  /** An edge (in the current mode) with `options`, that certificate on a TLS port, and `web` routed. */
  startEdge(options?: Partial<EdgeOptions>): Promise<{ edge: Edge; tlsPort: number }>;
  close(): Promise<void>;
}

export async function startTlsFixture(name: string): Promise<TlsFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `berth-edge-${name}-`));
  const { certFile, keyFile } = makeSelfSigned(dir, 'wild', base, `DNS:*.${base}`);
  const certPem = fs.readFileSync(certFile, 'utf8');
  const keyPem = fs.readFileSync(keyFile, 'utf8');
  const web = await startUpstream((_req, res) => res.end('ok'));
  return {
    certPem,
    async startEdge(options = {}) {
      const workers = options.workers ?? modeWorkers;
      const certificates = { dir: path.join(dir, `state-${workers}`), acme: null, operator: { certPem, keyPem }, onStatus: async () => {} };
      const { edge } = await startEdge({ certificates, ...options });
      const tlsPort = await edge.listenTls(0, '127.0.0.1');
      await edge.setRoutes(aTable([anApp({ slug: 'web', targets: [aTarget('web-00001', [web.port])] })]));
      return { edge, tlsPort };
    },
    async close() {
      await web.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function aTarget(revisionName: string, ports: number[], percent = 100, tag: string | null = null): RouteTarget {
  return { revisionName, percent, tag, endpoints: ports.map((port) => ({ host: '127.0.0.1', port })) };
}

export function anApp(overrides: Partial<AppRoute> & { slug: string }): AppRoute {
  return {
    appId: `app_${overrides.slug}`,
    workspaceId: 'ws_one',
    visibility: 'public',
    targets: [],
    shares: [],
    ...overrides,
  };
}

let version = 0;
export function aTable(apps: AppRoute[], domains: Record<string, string> = {}): RouteTable {
  version += 1;
  return { version, apps: new Map(apps.map((app) => [app.slug, app])), domains: new Map(Object.entries(domains)) };
}

export function aShare(token: string, overrides: Partial<RouteShare> = {}): RouteShare {
  return {
    tokenHash: createHash('sha256').update(token).digest('hex'),
    expiresAt: null,
    requireAuth: false,
    ...overrides,
  };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Call {
  host: string;
  path?: string;
  method?: string;
  headers?: OutgoingHttpHeaders;
  body?: string;
  agent?: Agent;
}

/** One request to the edge with an explicit Host header. */
export function call(port: number, options: Call): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: { ...options.headers, host: options.host },
        agent: options.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** What a namedUpstream saw. */
export function seen(reply: Reply): { name: string; url: string; headers: IncomingHttpHeaders } {
  return JSON.parse(reply.body) as { name: string; url: string; headers: IncomingHttpHeaders };
}
