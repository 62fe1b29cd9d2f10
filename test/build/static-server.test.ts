// Berth's static file server, run as static sites run it (a child process serving one directory):
// dotfiles stay private, and unchanged files revalidate with a 304.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const serverScript = fileURLToPath(new URL('../../src/engine/builder/static-server.mjs', import.meta.url));

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(port: number, urlPath: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the server on a free port; another port if that one was taken in between. */
async function startServer(root: string): Promise<{ child: ChildProcess; port: number }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, [serverScript, root], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
    for (let i = 0; i < 100 && child.exitCode === null; i++) {
      const up = await get(port, '/').then(
        () => true,
        () => false,
      );
      if (up) return { child, port };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
  }
  throw new Error('the static server did not start');
}

describe('static server', () => {
  let dir = '';
  let server: { child: ChildProcess; port: number } | null = null;
  const port = () => server?.port ?? 0;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-static-'));
    const site = path.join(dir, 'site');
    const files: Record<string, string> = {
      'index.html': '<h1>home</h1>',
      'style.css': 'h1 { color: red }',
      '.env': 'SECRET=abc',
      '.htaccess': 'deny from all',
      '.git/config': '[core]',
      'docs/.private/notes.txt': 'private',
      '.well-known/security.txt': 'Contact: mailto:security@example.com',
    };
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(site, name)), { recursive: true });
      fs.writeFileSync(path.join(site, name), content);
    }
    // A visible name that leads to a dotfile is as private as the dotfile.
    fs.symlinkSync('.env', path.join(site, 'env.txt'));
    server = await startServer(site);
  });

  afterAll(() => {
    server?.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('never serves dotfiles or dot-directories, whatever the spelling', async () => {
    for (const urlPath of ['/.env', '/.htaccess', '/.git/config', '/docs/.private/notes.txt', '/%2eenv', '/docs/../.env', '/x/%2e%2e/.env', '/env.txt']) {
      const answer = await get(port(), urlPath);
      expect({ urlPath, status: answer.status }).toEqual({ urlPath, status: 404 });
      expect(answer.body).not.toContain('SECRET');
    }
  });

  it('serves .well-known/ and ordinary files', async () => {
    expect((await get(port(), '/.well-known/security.txt')).body).toBe('Contact: mailto:security@example.com');
    expect(await get(port(), '/style.css')).toMatchObject({ status: 200, body: 'h1 { color: red }' });
  });

  it('answers a revalidation of an unchanged file with 304 and no body, a changed one with the file', async () => {
    const first = await get(port(), '/style.css');
    const etag = first.headers.etag ?? '';
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('no-cache');
    const again = await get(port(), '/style.css', { 'if-none-match': etag });
    expect(again).toMatchObject({ status: 304, body: '' });
    expect(again.headers.etag).toBe(etag);
    expect((await get(port(), '/style.css', { 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
    expect((await get(port(), '/style.css', { 'if-none-match': '"other"' })).status).toBe(200);
    // Another file of the same size and the same mtime has another tag: the tag comes from the content.
    const index = await get(port(), '/index.html');
    expect(index.headers.etag).not.toBe(etag);
    expect((await get(port(), '/index.html', { 'if-none-match': etag })).body).toBe('<h1>home</h1>');
  });
});
