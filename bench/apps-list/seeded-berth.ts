// Child process of bench/apps-list.ts: a real Berth (the same startBerth `npm start` runs) on
// SQLite in a temp dir, or on a fresh PostgreSQL database, with N apps in its workspace created
// through the core's createApp use-case. Prints one JSON line with where to reach it, then serves.
import { createTestDatabase } from '../../test/support/test-database.js';
import { startBerthWithApps } from '../support/berth-with-apps.js';

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
  const database = backend === 'postgres' ? await createTestDatabase() : null;
  const seeded = await startBerthWithApps({
    name: 'apps-list',
    count,
    env: database ? { DATABASE_URL: database.url } : {},
    app: (i) => ({ name: appName(i), slug: `bench-${i}`, type: i % 7 === 0 ? 'worker' : 'web' }),
  });
  const ready: SeededBerth = {
    url: seeded.berth.apiUrl,
    key: seeded.key,
    workspaceId: seeded.actor.workspaceId,
    apps: count,
    seedSeconds: seeded.seedSeconds,
    pid: process.pid,
  };
  process.stdout.write(`${readyMarker}${JSON.stringify(ready)}\n`);
  const stop = () => {
    void seeded
      .close()
      .then(() => database?.drop())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] === import.meta.filename) {
  const backend = process.argv.includes('--postgres') ? 'postgres' : 'sqlite';
  await seed(Number(process.env.BENCH_APPS ?? 10_000), backend);
}
