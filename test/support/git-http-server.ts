// A git server on loopback for build tests: smart HTTP through `git http-backend` (CGI) behind a
// small node server, over bare repositories in a temp dir, plus helpers to create and push commits.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface GitServer {
  /** http://127.0.0.1:PORT (or http://[::1]:PORT when started on ::1) */
  url: string;
  root: string;
  /** Creates a bare repository `name.git` and a working clone with `files` committed on `main`. */
  createRepo(name: string, files: Record<string, string | Buffer> | string): GitRepo;
  close(): Promise<void>;
}

export interface GitRepo {
  url: string;
  workDir: string;
  /** Writes (or with null deletes) files, commits and pushes; returns the commit sha. */
  commit(message: string, files: Record<string, string | null>, branch?: string): string;
  head(): string;
}

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir() };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, filter: (src) => !src.split(path.sep).includes('node_modules') });
}

/** `host`: the loopback address to listen on (default 127.0.0.1; `::1` for IPv6-literal URLs). */
export async function startGitServer(options: { host?: string } = {}): Promise<GitServer> {
  const host = options.host ?? '127.0.0.1';
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-git-'));
  const bare = path.join(root, 'bare');
  fs.mkdirSync(bare);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_PROJECT_ROOT: bare,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_USER: 'test',
        REMOTE_ADDR: '127.0.0.1',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    req.pipe(child.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const i = line.indexOf(':');
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    child.stdout.on('end', () => res.end());
    child.on('error', () => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${(server.address() as AddressInfo).port}`;

  return {
    url,
    root,
    createRepo(name, files) {
      const work = path.join(root, 'work', name);
      fs.mkdirSync(work, { recursive: true });
      if (typeof files === 'string') copyDir(files, work);
      else for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
        fs.writeFileSync(path.join(work, file), content);
      }
      git(work, 'init', '-q', '-b', 'main');
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '-m', 'initial commit');
      const barePath = path.join(bare, `${name}.git`);
      git(root, 'clone', '-q', '--bare', work, barePath);
      git(barePath, 'config', 'http.receivepack', 'true');
      git(work, 'remote', 'add', 'origin', barePath);
      return {
        url: `${url}/${name}.git`,
        workDir: work,
        head: () => git(work, 'rev-parse', 'HEAD'),
        commit(message, changes, branch = 'main') {
          if (git(work, 'rev-parse', '--abbrev-ref', 'HEAD') !== branch) {
            try {
              git(work, 'checkout', '-q', branch);
            } catch {
              git(work, 'checkout', '-q', '-b', branch);
            }
          }
          for (const [file, content] of Object.entries(changes)) {
            const full = path.join(work, file);
            if (content === null) fs.rmSync(full, { force: true });
            else {
              fs.mkdirSync(path.dirname(full), { recursive: true });
              fs.writeFileSync(full, content);
            }
          }
          git(work, 'add', '-A');
          git(work, 'commit', '-q', '-m', message);
          git(work, 'push', '-q', 'origin', branch);
          return git(work, 'rev-parse', 'HEAD');
        },
      };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
