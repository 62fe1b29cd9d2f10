// Starts a real Berth for a test: its own data dir, port 0, SQLite or a fresh PostgreSQL
// database, and a small HTTP client that speaks to it over a real socket.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { startBerth } from '../../src/main.js';
import type { RunningBerth, StartOptions } from '../../src/main.js';
import { claimHostObjects } from './host-leftovers.js';
import { createTestDatabase } from './test-database.js';

export type Backend = 'sqlite' | 'postgres';
export const backends: Backend[] = ['sqlite', 'postgres'];

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestBerth {
  berth: RunningBerth;
  url: string;
  dataDir: string;
  key: string;
  workspaceId: string;
  request<T = any>(method: string, urlPath: string, options?: { body?: unknown; key?: string | null; headers?: Record<string, string> }): Promise<HttpResult<T>>;
  close(): Promise<void>;
}

function parseBody(text: string): unknown {
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    return text; // not JSON (docs pages): keep the text
  }
}

export async function startTestBerth(
  backend: Backend,
  /** `inject`: API requests go through fastify's inject, in process (STYLE habit 12); the edge still listens. */
  options: { env?: Record<string, string>; start?: StartOptions; dataDir?: string; via?: 'socket' | 'inject' } = {},
): Promise<TestBerth> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'berth-test-'));
  const database = backend === 'postgres' ? await createTestDatabase() : null;
  const config = loadConfig({
    BERTH_PORT: '0',
    BERTH_EDGE_PORT: '0',
    BERTH_DATA_DIR: dataDir,
    BERTH_LOG_LEVEL: 'silent',
    BERTH_CGROUP_NAME: `berth-t-${path.basename(dataDir).slice(-6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`,
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  });
  // Kept when the start or the close fails, so the run's end sweeps what this Berth left on the host.
  const claim = claimHostObjects({
    dataDir: config.dataDir,
    removeDataDir: !options.dataDir,
    berth: { cgroupName: config.cgroupName, instanceCidr: config.instanceCidr },
  });
  const berth = await startBerth(config, options.start);
  const key = fs.readFileSync(path.join(dataDir, 'admin-key'), 'utf8').trim();
  const url = berth.apiUrl;

  async function request<T>(method: string, urlPath: string, opts: { body?: unknown; key?: string | null; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...opts.headers };
    const useKey = opts.key === undefined ? key : opts.key;
    if (useKey) headers.authorization = `Bearer ${useKey}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    if (options.via === 'inject') {
      const injected = await berth.api.inject({ method: method as 'GET', url: urlPath, headers, ...(body !== undefined ? { payload: body } : {}) });
      return { status: injected.statusCode, body: parseBody(injected.body) as T, headers: new Headers(injected.headers as Record<string, string>) };
    }
    const response = await fetch(url + urlPath, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON (docs pages): keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  const whoami = await request<{ workspaceId: string }>('GET', '/api/v1/api-keys/whoami');
  return {
    berth,
    url,
    dataDir,
    key,
    workspaceId: whoami.body.workspaceId,
    request,
    async close() {
      await berth.close();
      await database?.drop();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      claim.release();
    },
  };
}
