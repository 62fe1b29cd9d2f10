// One host uid per app, so sandboxed apps cannot touch each other's files even if a path
// leaked into a sandbox. The map is persisted: an app keeps its uid (and owns its files)
// across Berth restarts.
import { readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface UidAllocator {
  uidFor(appId: string): number;
}

export function createUidAllocator(file: string, range: { first: number; count: number }): UidAllocator {
  let map: Record<string, number> | null = null;

  const load = (): Record<string, number> => {
    if (map) return map;
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      map = {};
      if (typeof parsed === 'object' && parsed !== null) {
        for (const [key, value] of Object.entries(parsed)) if (typeof value === 'number') map[key] = value;
      }
    } catch {
      map = {}; // first start: no apps have uids yet
    }
    return map;
  };

  return {
    uidFor(appId) {
      const current = load();
      const known = current[appId];
      if (known !== undefined) return known;
      const used = new Set(Object.values(current));
      for (let uid = range.first; uid < range.first + range.count; uid++) {
        if (used.has(uid)) continue;
        current[appId] = uid;
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        // Synchronous on purpose: two starts in the same tick must not hand out one uid twice.
        writeFileSync(`${file}.tmp`, JSON.stringify(current), { mode: 0o600 });
        renameSync(`${file}.tmp`, file);
        return uid;
      }
      throw new Error('no free app uid left in the configured range');
    },
  };
}
