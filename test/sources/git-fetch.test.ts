// git as Berth runs it, against real git servers on loopback: a repository named by an IPv6
// literal clones (no address pinning for literals), and a redirect is never followed (it could
// point anywhere, including at the platform's own network).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitFetch } from '../../src/engine/sources/git-fetch.js';
import { startGitServer, type GitServer } from '../support/git-http-server.js';

const log = { lines: [] as string[], line(text: string) { this.lines.push(text); } };
const fetchInto = (url: string, pinnedAddress: string | null, dir: string) =>
  gitFetch({ checked: { url: new URL(url), pinnedAddress }, branch: 'main', commitSha: null, dir, log, signal: new AbortController().signal, timeoutMs: 30_000 });

describe('git fetch', () => {
  let v6: GitServer;
  let v4: GitServer;
  let redirector: http.Server;
  let redirectUrl = '';
  let scratch = '';

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-gitfetch-'));
    v6 = await startGitServer({ host: '::1' });
    v4 = await startGitServer();
    v6.createRepo('six', { 'README.md': 'over IPv6\n' });
    v4.createRepo('target', { 'README.md': 'behind a redirect\n' });
    redirector = http.createServer((req, res) => {
      res.writeHead(302, { location: `${v4.url}/target.git${(req.url ?? '/').replace(/^\/moved\.git/, '')}` });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    redirectUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/moved.git`;
  });

  afterAll(async () => {
    await v6?.close();
    await v4?.close();
    await new Promise<void>((resolve) => (redirector ? redirector.close(() => resolve()) : resolve()));
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('clones a repository named by an IPv6 literal, even when the checked address is given', async () => {
    const dir = path.join(scratch, 'six');
    const commit = await fetchInto(`${v6.url}/six.git`, '::1', dir);
    expect(commit.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe('over IPv6\n');
  });

  it('does not follow an HTTP redirect', async () => {
    const direct = path.join(scratch, 'direct');
    await fetchInto(`${v4.url}/target.git`, null, direct);
    await expect(fetchInto(redirectUrl, null, path.join(scratch, 'redirected'))).rejects.toThrow(/could not clone/);
    expect(fs.existsSync(path.join(scratch, 'redirected', 'README.md'))).toBe(false);
  });
});
