// Images for tests, made locally (never pulled): a build context of a few files on the tree image
// the docker driver makes from the host's node, built by the engine, pushed to a test registry.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { followProgress } from '../../src/engine/runtime/docker/engine-progress.js';

/** Builds `files` (a Dockerfile among them) as `tag`. */
export async function buildImage(docker: Docker, tag: string, files: Record<string, string>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-image-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const tar = spawn('tar', ['-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'ignore'] });
    await followProgress(docker, await docker.buildImage(tar.stdout, { t: tag }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Pushes `repo:tag` (repo names its registry), as `auth` when the registry asks for a user. */
export async function pushImage(docker: Docker, repo: string, tag: string, auth?: { username: string; password: string }): Promise<void> {
  const serveraddress = repo.split('/')[0] ?? '';
  await followProgress(docker, await docker.getImage(`${repo}:${tag}`).push({ tag, ...(auth ? { authconfig: { ...auth, serveraddress } } : {}) }));
}

/** A one-file HTTP server image that answers `text` on PORT, else on the port it EXPOSEs. */
export function serverImageFiles(base: string, text: string, port = 3000): Record<string, string> {
  return {
    Dockerfile: `FROM ${base}\nCOPY server.js /srv/server.js\nEXPOSE ${port}\nCMD ["/usr/bin/node", "/srv/server.js"]\n`,
    'server.js': `require('http').createServer((q, s) => s.end(${JSON.stringify(text)})).listen(Number(process.env.PORT || ${port}));\n`,
  };
}
