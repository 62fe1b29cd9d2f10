// The env vars of a page of apps (spec 003 shows them on each app) skip the query for apps that
// have none; on both stores, a var is seen by the very next read after it is written or deleted,
// and vars written before the repository was made (an earlier run of Berth) are seen too.
import { describe, expect, it } from 'vitest';
import type { EnvVar } from '../../src/domain/env-var-record.js';
import { envVarRepository } from '../../src/store/repositories/env-var-repository.js';
import { createSecretBox } from '../../src/store/secret-box.js';
import { backends } from '../support/test-berth.js';
import { useTestStore } from '../support/test-store.js';

const aVar = (appId: string, key: string, value: string): EnvVar => {
  const now = new Date();
  return { id: `env_${appId}_${key}`, appId, key, value, isSecret: false, scope: 'runtime', createdAt: now, updatedAt: now };
};

const keysOf = (byApp: Map<string, EnvVar[]>) => Object.fromEntries([...byApp].map(([appId, vars]) => [appId, vars.map((v) => `${v.key}=${v.value}`)]));

describe.each(backends)('env vars of a page of apps on %s', (backend) => {
  const t = useTestStore(backend, 'env-of-apps');

  it('shows each var from the read after its write or delete, for apps that had none before', async () => {
    const [a, b, c] = [await t.anApp('env-a'), await t.anApp('env-b'), await t.anApp('env-c')];
    const vars = t.store.envVars;
    await vars.upsertMany([aVar(a, 'A', '1')]);
    expect(keysOf(await vars.listOfApps([a, b, c]))).toEqual({ [a]: ['A=1'] });
    expect(keysOf(await vars.listOfApps([b, c]))).toEqual({});

    await vars.upsertMany([aVar(b, 'B', '2')]);
    expect(keysOf(await vars.listOfApps([a, b, c]))).toEqual({ [a]: ['A=1'], [b]: ['B=2'] });
    await vars.upsertMany([aVar(b, 'B', '3')]);
    expect(keysOf(await vars.listOfApps([b]))).toEqual({ [b]: ['B=3'] });

    expect(await vars.delete(b, `env_${b}_B`)).toBe(true);
    expect(keysOf(await vars.listOfApps([a, b, c]))).toEqual({ [a]: ['A=1'] });
  });

  it('sees the vars already in the store when the repository is made', async () => {
    const [d, e] = [await t.anApp('env-d'), await t.anApp('env-e')];
    await t.store.envVars.upsertMany([aVar(d, 'D', '4')]);
    // Another repository over the same database, as a restarted Berth would make.
    const fresh = envVarRepository(t.db, createSecretBox(Buffer.alloc(32, 7)));
    expect(keysOf(await fresh.listOfApps([d, e]))).toEqual({ [d]: ['D=4'] });
  });
});
