// Child process of bench/apps-list.ts: a real Berth (the same startBerth `npm start` runs) on
// SQLite in a temp dir, or on a fresh PostgreSQL database, with N apps in its workspace created
// through the core's createApp use-case. Prints one JSON line with where to reach it, then serves.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { startBerth } from '../../src/main.js';
import { createTestDatabase } from '../../test/support/test-database.js';

export interface SeededBerth {
  url: string;
  key: string;
  workspaceId: string;
  apps: number;
  seedSeconds: number;
  pid: number;
}

const adjectives = ['amber', 'brisk', 'calm', 'dusty', 'eager', 'fuzzy', 'giant', 'hollow', 'icy', 'jolly'];
const nouns = [
  'otter',
  'falcon',
  'badger',
  'heron',
  'lynx',
  'marten',
  'newt',
  'orca',
  'puffin',
  'quail',
  'raven',
  'stoat',
];

/** Display names that make searching interesting: a word matches a tenth of them, a number fragment many, a full name one. */
export function appName(i: number): string {
  return `${adjectives[i % adjectives.length]} ${nouns[Math.floor(i / adjectives.length) % nouns.length]} ${i}`;
}

export const searchWords = [...adjectives, ...nouns];

/** Starts the line the parent waits for (Berth's own log lines share stdout). */
export const readyMarker = 'BENCH_READY ';

async function seed(count: number, backend: 'sqlite' | 'postgres'): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-apps-list-'));
  const database = backend === 'postgres' ? await createTestDatabase() : null;
  const config = loadConfig({
    BERTH_PORT: '0',
    BERTH_EDGE_PORT: '0',
    BERTH_DATA_DIR: dataDir,
    BERTH_LOG_LEVEL: 'warn',
    BERTH_ISOLATION: 'off',
    BERTH_CGROUP_NAME: 'berth-bench-apps-list',
    ...(database ? { DATABASE_URL: database.url } : {}),
  });
  const berth = await startBerth(config);
  const key = fs.readFileSync(path.join(dataDir, 'admin-key'), 'utf8').trim();
  const actor = await berth.core.authenticate({ plainKey: key });
  const started = performance.now();
  const batch = 250;
  for (let first = 0; first < count; first += batch) {
    const ids = Array.from({ length: Math.min(batch, count - first) }, (_, k) => first + k);
    await Promise.all(
      ids.map((i) =>
        berth.core.createApp({
          actor,
          workspaceId: actor.workspaceId,
          name: appName(i),
          slug: `bench-${i}`,
          type: i % 7 === 0 ? 'worker' : 'web',
        }),
      ),
    );
  }
  const ready: SeededBerth = {
    url: berth.apiUrl,
    key,
    workspaceId: actor.workspaceId,
    apps: count,
    seedSeconds: (performance.now() - started) / 1000,
    pid: process.pid,
  };
  process.stdout.write(`${readyMarker}${JSON.stringify(ready)}\n`);
  const stop = () => {
    void berth
      .close()
      .then(() => database?.drop())
      .finally(() => {
        fs.rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] === import.meta.filename) {
  const backend = process.argv.includes('--postgres') ? 'postgres' : 'sqlite';
  await seed(Number(process.env.BENCH_APPS ?? 10_000), backend);
}
