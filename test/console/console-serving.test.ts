// Berth serves the built console at `/`: hashed assets cached for a year, index.html never
// cached and answered for page paths, while the API, docs, /healthz and /metrics keep theirs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

describe('the console at /', () => {
  let t: TestBerth;
  let consoleDir: string;
  beforeAll(async () => {
    consoleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-console-'));
    fs.mkdirSync(path.join(consoleDir, 'assets'));
    fs.writeFileSync(path.join(consoleDir, 'index.html'), '<!doctype html><title>Berth console</title><script src="/assets/index-Ab12Cd.js"></script>');
    fs.writeFileSync(path.join(consoleDir, 'assets/index-Ab12Cd.js'), 'console.log("console")');
    fs.writeFileSync(path.join(consoleDir, 'assets/index-Ab12Cd.js.br'), zlib.brotliCompressSync('console.log("console")'));
    t = await startTestBerth('sqlite', { env: { BERTH_CONSOLE_DIR: consoleDir } });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(consoleDir, { recursive: true, force: true });
  });

  const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

  it('answers index.html at / and at the page paths a browser opens, never cached, with a CSP', async () => {
    for (const page of ['/', '/apps', '/apps/app_123/logs', '/deployments/dep_1?x=1']) {
      const res = await t.request('GET', page, { key: null, headers: html });
      expect(res.status, page).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.body).toContain('Berth console');
    }
  });

  it('answers the new index.html once the console is rebuilt while Berth runs', async () => {
    const indexFile = path.join(consoleDir, 'index.html');
    const before = fs.readFileSync(indexFile, 'utf8');
    try {
      fs.writeFileSync(indexFile, '<!doctype html><title>Berth console, rebuilt</title><script src="/assets/index-Ef34Gh.js"></script>');
      const res = await t.request('GET', '/apps', { key: null, headers: html });
      expect(res.body).toContain('/assets/index-Ef34Gh.js');
    } finally {
      fs.writeFileSync(indexFile, before);
    }
    expect((await t.request('GET', '/', { key: null, headers: html })).body).toContain('/assets/index-Ab12Cd.js');
  });

  it('serves hashed assets with a year-long immutable cache', async () => {
    const res = await t.request('GET', '/assets/index-Ab12Cd.js', { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.body).toBe('console.log("console")');
  });

  it('sends the brotli copy the build made to browsers that accept it', async () => {
    const res = await fetch(`${t.url}/assets/index-Ab12Cd.js`, { headers: { 'accept-encoding': 'br' } });
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe('console.log("console")');
  });

  it('keeps 404s for missing assets, files and API paths (NestJS shape), not the page', async () => {
    for (const missing of ['/assets/nope.js', '/favicon.ico', '/api/v1/nope', '/api/nope']) {
      const res = await t.request('GET', missing, { key: null, headers: html });
      expect(res.status, missing).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, message: `Cannot GET ${missing}`, error: 'Not Found' });
    }
    const post = await t.request('POST', '/apps', { key: null, body: {} });
    expect(post.status).toBe(404);
    // A client that does not ask for HTML (curl, fetch, API clients) gets the 404 of an unknown route.
    expect((await t.request('GET', '/apps', { key: null })).body).toEqual({ statusCode: 404, message: 'Cannot GET /apps', error: 'Not Found' });
  });

  it('leaves the API, the docs, /healthz and /metrics as they were', async () => {
    expect((await t.request('GET', '/api/v1/api-keys/whoami')).body).toMatchObject({ workspaceId: t.workspaceId });
    expect((await t.request('GET', '/api/v1/api-keys/whoami', { key: null })).status).toBe(401);
    expect((await t.request('GET', '/healthz', { key: null })).body).toEqual({ status: 'ok' });
    const docs = await t.request('GET', '/docs', { key: null });
    expect(docs.status).toBeLessThan(400);
    expect((await t.request('GET', '/api/openapi.json', { key: null })).body).toMatchObject({ openapi: '3.0.3' });
    const metrics = await t.request('GET', '/metrics', { key: null });
    expect(metrics.status).toBe(200);
    expect(String(metrics.body)).toContain('berth_');
  });
});

describe('without a built console', () => {
  it('says how to build it at /, and the API still works', async () => {
    const t = await startTestBerth('sqlite', { env: { BERTH_CONSOLE_DIR: path.join(os.tmpdir(), 'berth-no-console-here') } });
    try {
      const res = await t.request('GET', '/apps', { key: null, headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.body).toContain('npm run build');
      expect((await t.request('GET', '/api/v1/api-keys/whoami')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
