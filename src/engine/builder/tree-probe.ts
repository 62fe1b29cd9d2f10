// Plan detection reads a fetched tree through this probe: files inside the tree only (a path that
// climbs out of it reads as absent), and none large enough to hurt.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileProbe } from './detect-plan.js';
import { exists } from './tree-store.js';

const maxProbedBytes = 4 * 1024 * 1024;

export function treeProbe(root: string): FileProbe {
  const inside = (relative: string) => {
    const full = path.resolve(root, relative);
    return full === root || full.startsWith(`${root}/`) ? full : null;
  };
  return {
    async exists(relative) {
      const full = inside(relative);
      return full !== null && exists(full);
    },
    async read(relative) {
      const full = inside(relative);
      if (!full) return null;
      try {
        const info = await stat(full);
        return info.isFile() && info.size < maxProbedBytes ? await readFile(full, 'utf8') : null;
      } catch {
        return null;
      }
    },
  };
}
