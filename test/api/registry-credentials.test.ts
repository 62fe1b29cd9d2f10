// Registry credentials (issue 11): a workspace stores them for IMAGE deploys through its own
// endpoints; the password is sealed at rest and never in a response; a deploy naming one that
// does not exist is a 400; without a container engine an IMAGE deploy fails at once saying how
// to enable one. An instance's later pull reads the credential its revision names at that moment:
// a re-created one with a new password is used; a deleted one is an error that names it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noContainerEngine } from '../../src/core/deploys/deploy-image.js';
import { pullLogin } from '../../src/core/registry-credentials/pull-login.js';
import { backends, startTestBerth, type TestBerth } from '../support/test-berth.js';

const password = 'pa55-word-that-must-not-leak';

describe.each(backends)('registry credentials on %s', (backend) => {
  let t: TestBerth;
  const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;

  beforeAll(async () => {
    t = await startTestBerth(backend, { via: 'inject' });
  });
  afterAll(async () => t?.close());

  it('creates, lists and deletes a credential, never showing its password', async () => {
    const created = await t.request('POST', ws('/registry-credentials'), { body: { name: 'ghcr', registry: 'ghcr.io', username: 'bot', password } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^rcr_/), name: 'ghcr', registry: 'ghcr.io', username: 'bot', createdAt: expect.any(String) });
    const listed = await t.request('GET', ws('/registry-credentials'));
    expect(listed.body).toEqual([created.body]);
    expect(JSON.stringify(listed.body)).not.toContain(password);
    if (backend === 'sqlite') expect(fs.readFileSync(path.join(t.dataDir, 'berth.db')).includes(password)).toBe(false);
    const audit = await t.request('GET', ws('/audit-log'));
    expect(JSON.stringify(audit.body)).not.toContain(password);
    expect((await t.request('POST', ws('/registry-credentials'), { body: { name: 'ghcr', registry: 'ghcr.io', username: 'bot', password } })).status).toBe(409);
    expect((await t.request('DELETE', ws(`/registry-credentials/${created.body.id}`))).status).toBe(204);
    expect((await t.request('DELETE', ws(`/registry-credentials/${created.body.id}`))).status).toBe(404);
    expect((await t.request('GET', ws('/registry-credentials'))).body).toEqual([]);
  });

  it('refuses a credential with a bad registry or an empty password with 400', async () => {
    const bad = await t.request('POST', ws('/registry-credentials'), { body: { name: 'x', registry: 'https://nope/', username: 'u', password: 'p' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual([expect.stringMatching(/registry must be a host/)]);
    expect((await t.request('POST', ws('/registry-credentials'), { body: { name: 'x', registry: 'r.io', username: 'u', password: '' } })).status).toBe(400);
  });

  it('refuses an IMAGE deploy whose registryAuthRef names nothing with 400, and fails one without an engine at once', async () => {
    const app = await t.request('POST', ws('/apps'), { body: { name: 'Img', slug: 'img', visibility: 'public' } });
    expect(app.status).toBe(201);
    const missing = await t.request('POST', ws('/deploy'), { body: { appId: app.body.id, source: { type: 'IMAGE', imageRef: 'r.io/a:1', registryAuthRef: 'nothing' } } });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toEqual([expect.stringMatching(/registryAuthRef "nothing" names no registry credential/)]);
    const refused = await t.request('POST', ws('/deploy'), { body: { appId: app.body.id, source: { type: 'IMAGE', imageRef: 'r.io/a:1' } } });
    expect(refused.status).toBe(201);
    expect(refused.body).toMatchObject({ status: 'failed', error: noContainerEngine });
    expect(noContainerEngine).toMatch(/BERTH_RUNTIME=docker/);
  });

  it('gives an instance pull the credential by name as it is now, and says so when it is gone', async () => {
    const app = await t.request('POST', ws('/apps'), { body: { name: 'Later', slug: 'later-pull', visibility: 'public' } });
    const store = { store: t.berth.store };
    const create = async (secret: string) =>
      (await t.request('POST', ws('/registry-credentials'), { body: { name: 'later', registry: 'registry.example.com', username: 'bot', password: secret } })).body.id as string;
    const first = await create(password);
    expect(await pullLogin(store, { appId: app.body.id, registryAuthRef: 'later' })).toEqual({ registry: 'registry.example.com', username: 'bot', password });
    // Rotated: deleted and created again under the same name with another password.
    expect((await t.request('DELETE', ws(`/registry-credentials/${first}`))).status).toBe(204);
    const second = await create(`${password}-rotated`);
    expect((await pullLogin(store, { appId: app.body.id, registryAuthRef: 'later' })).password).toBe(`${password}-rotated`);
    expect((await t.request('DELETE', ws(`/registry-credentials/${second}`))).status).toBe(204);
    await expect(pullLogin(store, { appId: app.body.id, registryAuthRef: 'later' })).rejects.toThrow(/the registry credential "later" .* no longer exists in the workspace/);
  });
});
