// What the build tests share: a Berth that may fetch from loopback, a git server, waiting for a
// deployment to end, and requests through the edge with a Host header.
import { afterAll, beforeAll } from 'vitest';
import { startGitServer, type GitServer } from '../support/git-http-server.js';
import type { Backend, TestBerth } from '../support/test-berth.js';
import { startTestBerth } from '../support/test-berth.js';
import { edgeGet } from '../support/edge-get.js';

export const fixturesDir = new URL('../fixtures/', import.meta.url).pathname;

/** SQLite by default; BERTH_BUILD_TEST_BACKEND=postgres runs the build suite on PostgreSQL. */
export const buildBackend: Backend = process.env.BERTH_BUILD_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

export function startBuildBerth(env: Record<string, string> = {}): Promise<TestBerth> {
  return startTestBerth(buildBackend, { env: { BERTH_ALLOW_PRIVATE_NETWORKS: '1', BERTH_READY_TIMEOUT_MS: '20000', ...env } });
}

/** A git server and a build-ready Berth for the tests of the calling describe block (started before, closed after). */
export function useGitAndBerth(env: Record<string, string> = {}): { readonly t: TestBerth; readonly git: GitServer } {
  let t: TestBerth | undefined;
  let git: GitServer | undefined;
  beforeAll(async () => {
    git = await startGitServer();
    t = await startBuildBerth(env);
  });
  afterAll(async () => {
    await t?.close();
    await git?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useGitAndBerth: used before beforeAll ran');
    return value;
  };
  return {
    get t() {
      return started(t);
    },
    get git() {
      return started(git);
    },
  };
}

export const ws = (t: TestBerth, rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;

export async function createApp(t: TestBerth, body: Record<string, unknown>): Promise<string> {
  const res = await t.request<{ id: string }>('POST', ws(t, '/apps'), { body: { visibility: 'public', ...body } });
  if (res.status !== 201) throw new Error(`create app answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function deploy(t: TestBerth, body: Record<string, unknown>): Promise<any> {
  const res = await t.request('POST', ws(t, '/deploy'), { body });
  if (res.status !== 201) throw new Error(`deploy answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

const terminal = ['succeeded', 'failed', 'cancelled'];

export async function waitForDeployment(t: TestBerth, id: string, timeoutMs = 240_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.request('GET', ws(t, `/deploy/${id}`));
    if (terminal.includes(res.body?.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`deployment ${id} still ${res.body?.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function buildLog(t: TestBerth, id: string): Promise<string[]> {
  return (await t.request<{ logs: string[] }>('GET', ws(t, `/deploy/${id}/logs`))).body.logs;
}

export function viaEdge(t: TestBerth, slug: string, urlPath = '/'): Promise<{ status: number; body: string }> {
  return edgeGet(t.berth.edgePort, `${slug}.localhost`, urlPath);
}

export async function edgeJson(t: TestBerth, slug: string, urlPath = '/'): Promise<any> {
  const res = await viaEdge(t, slug, urlPath);
  if (res.status !== 200) throw new Error(`edge answered ${res.status}: ${res.body.slice(0, 200)}`);
  return JSON.parse(res.body);
}
