// A git server on loopback that speaks only git's "dumb" HTTP protocol: bare repositories with
// `git update-server-info` run, served as plain static files (as by a CDN, S3 or a plain web
// server). Such servers cannot serve shallow clones.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface DumbGitServer {
  url: string;
  /** Creates `name.git` on `main` with one commit per entry of `commits` (files to write); returns its URL and the commit shas. */
  createRepo(name: string, commits: Record<string, string>[]): { url: string; shas: string[] };
  /** Every request path the server answered, in order. */
  requests: string[];
  close(): Promise<void>;
}

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir() };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();

export async function startDumbGitServer(): Promise<DumbGitServer> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-dumb-git-'));
  const served = path.join(root, 'served');
  fs.mkdirSync(served);
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(req.url ?? '/');
    const file = path.join(served, path.normalize(`/${urlPath}`));
    fs.stat(file, (error, info) => {
      if (error || !info.isFile() || !file.startsWith(`${served}/`)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': info.size });
      fs.createReadStream(file).pipe(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    createRepo(name, commits) {
      const work = path.join(root, 'work', name);
      fs.mkdirSync(work, { recursive: true });
      git(work, 'init', '-q', '-b', 'main');
      const shas = commits.map((files, i) => {
        for (const [file, content] of Object.entries(files)) {
          fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
          fs.writeFileSync(path.join(work, file), content);
        }
        git(work, 'add', '-A');
        git(work, 'commit', '-q', '-m', `commit ${i + 1}`);
        return git(work, 'rev-parse', 'HEAD');
      });
      const bare = path.join(served, `${name}.git`);
      git(root, 'clone', '-q', '--bare', work, bare);
      git(bare, 'update-server-info');
      return { url: `${url}/${name}.git`, shas };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
