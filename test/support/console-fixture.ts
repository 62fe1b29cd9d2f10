// What the console's browser test files share: the console built, a real Berth (process runtime,
// no isolation) beside a git server, Chromium, and pages signed in each in a context of its own.
// `useConsoleFixture()` registers the hooks; each file then talks to the fixture it returns.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { waitForDeployment } from '../build/support.js';
import { launchChromium } from './console-browser.js';
import { startGitServer } from './git-http-server.js';
import type { GitServer } from './git-http-server.js';
import { startTestBerth } from './test-berth.js';
import type { HttpResult, TestBerth } from './test-berth.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** `npm run build`'s console step (skipped when web/dist is up to date). */
export function buildConsole(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/build-web.ts'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the console build exited with ${code}`))));
  });
}

/** An app that answers with its revision's name and logs each request. */
export const revisionServerJs = `const http = require('node:http');
http.createServer((req, res) => {
  console.log('INFO request ' + req.url);
  res.end(process.env.BERTH_REVISION || '');
}).listen(Number(process.env.PORT || 3000));
`;

export interface ConsoleFixture {
  readonly t: TestBerth;
  readonly git: GitServer;
  readonly browser: Browser;
  /** A Dooor v1 call under the fixture's workspace, with the admin key. */
  api(method: string, urlPath: string, body?: unknown): Promise<HttpResult<any>>;
  /** Creates a public app from a new git repo serving `revisionServerJs`. */
  gitApp(slug: string, name: string): Promise<{ id: string; url: string; slug: string }>;
  /** Deploys the app, waits for success, and answers the new revision's name. */
  deployAndWait(appId: string): Promise<string>;
  /** A new page in a context of its own (own sessionStorage, own time zone), signed in with `key`. */
  signedIn(key: string, timezoneId?: string): Promise<Page>;
}

export function useConsoleFixture(env: Record<string, string> = {}): ConsoleFixture {
  let t: TestBerth;
  let git: GitServer;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  const contexts: BrowserContext[] = [];
  const api = (method: string, urlPath: string, body?: unknown) => t.request(method, `/api/v1/workspaces/${t.workspaceId}${urlPath}`, body === undefined ? {} : { body });

  beforeAll(async () => {
    await buildConsole();
    git = await startGitServer();
    t = await startTestBerth('sqlite', {
      env: { BERTH_ALLOW_PRIVATE_NETWORKS: '1', BERTH_ISOLATION: 'off', BERTH_READY_TIMEOUT_MS: '30000', BERTH_HEALTH_INTERVAL_MS: '1000', ...env },
    });
    chromium = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await chromium?.close();
    await t?.close();
    await git?.close();
  });

  return {
    get t() {
      return t;
    },
    get git() {
      return git;
    },
    get browser() {
      return chromium.browser;
    },
    api,
    async gitApp(slug, name) {
      const repo = git.createRepo(slug, { 'server.js': revisionServerJs, Procfile: 'web: node server.js\n' });
      const made = await api('POST', '/apps', { name, slug, visibility: 'public', gitRepoUrl: repo.url, gitBranch: 'main' });
      expect(made.status).toBe(201);
      return made.body;
    },
    async deployAndWait(appId) {
      const started = await api('POST', '/deploy', { appId });
      expect(started.status).toBe(201);
      const done = await waitForDeployment(t, started.body.id);
      expect(done.status).toBe('succeeded');
      return done.revisionName;
    },
    async signedIn(key, timezoneId = 'UTC') {
      const context = await chromium.browser.newContext({ timezoneId, viewport: { width: 1280, height: 800 } });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(t.url);
      await page.getByLabel('API key').fill(key);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Apps' }).waitFor();
      return page;
    },
  };
}
