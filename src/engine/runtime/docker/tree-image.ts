// The image that runs trees Berth built: the host's node binary, /usr/bin/env and the libraries
// they link, imported as one layer (never pulled: no registry is needed). Made once per node
// version and kept by the engine, so later starts of Berth find it.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type Docker from 'dockerode';
import { runCommand, spawnChild } from '../../spawn.js';
import { followProgress } from './engine-progress.js';

const BINARIES = ['/usr/bin/node', '/usr/bin/env'];

export const treeImageName = (nodeVersion: string): string => `berth/tree-runner:node-${nodeVersion.replace(/^v/, '')}`;

/** Absolute paths of the libraries a binary links (ldd's `=> /path` and the loader). */
export function linkedLibraries(lddOutput: string): string[] {
  return [...new Set([...lddOutput.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((m) => m[1] ?? '').filter(Boolean))];
}

async function imageExists(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch {
    return false;
  }
}

/** The tree image's name, made now when the engine does not have it. */
export async function ensureTreeImage(docker: Docker, nodeVersion = process.version): Promise<string> {
  const name = treeImageName(nodeVersion);
  if (await imageExists(docker, name)) return name;
  const root = await mkdtemp(join(tmpdir(), 'berth-tree-image-'));
  try {
    const files = [...BINARIES];
    for (const binary of BINARIES) {
      const ldd = await runCommand(['ldd', binary], { env: { PATH: '/usr/bin:/bin' }, timeoutMs: 10_000 });
      files.push(...linkedLibraries(ldd.stdout));
    }
    for (const file of new Set(files)) {
      await mkdir(join(root, dirname(file)), { recursive: true });
      await copyFile(file, join(root, file));
    }
    await mkdir(join(root, 'tmp'), { recursive: true });
    await mkdir(join(root, 'app'), { recursive: true });
    const tar = spawnChild(['tar', '-C', root, '-c', '.'], { env: { PATH: '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'ignore'] });
    const [repo, tag] = name.split(':') as [string, string];
    if (!tar.stdout) throw new Error('tar gave no output');
    await followProgress(docker, await docker.importImage(tar.stdout, { repo, tag }));
    return name;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
