// A store of its own for repository tests, on either backend (a temp SQLite file or a fresh
// PostgreSQL database), opened before the file's tests and removed after, plus a way to add
// an app to write rows for.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import type { Store } from '../../src/core/ports/store.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { createStore } from '../../src/store/create-store.js';
import { openStore, type OpenedStore } from '../../src/store/open-store.js';
import type { Database } from '../../src/store/schema.js';
import { createSecretBox } from '../../src/store/secret-box.js';
import type { Backend } from './test-berth.js';
import { createTestDatabase } from './test-database.js';

const ids = createIdGenerator();

export interface TestStore {
  readonly store: Store;
  /** The database under the store, for a second repository over the same rows. */
  readonly db: Kysely<Database>;
  /** Adds a web app (and the workspace `ws_t` on first use); returns its id. */
  anApp(slug: string): Promise<string>;
}

export function useTestStore(backend: Backend, name: string): TestStore {
  let opened: OpenedStore | null = null;
  let store: Store | null = null;
  let drop: (() => Promise<void>) | null = null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `berth-${name}-`));

  beforeAll(async () => {
    const database = backend === 'postgres' ? await createTestDatabase() : null;
    drop = database ? database.drop : null;
    opened = await openStore({ databaseUrl: database?.url ?? null, sqlitePath: path.join(dir, 'berth.db') });
    store = createStore(opened.db, createSecretBox(Buffer.alloc(32, 7)));
  });
  afterAll(async () => {
    await opened?.close();
    await drop?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const opens = (): Store => {
    if (!store) throw new Error('the test store opens in beforeAll');
    return store;
  };
  return {
    get store() {
      return opens();
    },
    get db() {
      if (!opened) throw new Error('the test store opens in beforeAll');
      return opened.db;
    },
    async anApp(slug) {
      const s = opens();
      if ((await s.workspaces.count()) === 0) await s.workspaces.create({ id: 'ws_t', name: 'T', createdAt: new Date() });
      const id = ids('app');
      const now = new Date();
      await s.apps.create({
        id, workspaceId: 'ws_t', name: slug, slug, description: null, type: 'web', status: 'active', sourceType: 'GIT', gitRepoUrl: null, gitBranch: 'main',
        gitProvider: null, gitInstallationId: null, imageRef: null, imageRegistryAuthRef: null, dockerfilePath: null, autoDeploy: false, releaseCommand: null,
        visibility: 'public', cpuLimitMillicores: 500, memoryLimitMi: 512, minReplicas: 1, maxReplicas: 1, cpuTargetUtilization: 70, schedule: null, port: null,
        readinessPath: '/', replicas: null, createdAt: now, updatedAt: now, deletedAt: null,
      } as never);
      return id;
    },
  };
}
