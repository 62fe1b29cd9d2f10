// Cancel and rollback change a deployment, so `deploy:write` is all they ask for: a key with
// that scope alone may use them, and a key with only `deploy:read` may not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../support/expect-error.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

describe('deploy scopes of cancel and rollback', () => {
  let t: TestBerth;
  let writeOnly = '';
  let readOnly = '';
  let deploymentId = '';
  const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;
  const keyWith = async (scopes: string[]) =>
    (await t.request<{ key: string }>('POST', ws('/api-keys'), { body: { name: scopes.join(' '), scopes } })).body.key;

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { env: { BERTH_ALLOW_PRIVATE_NETWORKS: '1', BERTH_ISOLATION: 'off' } });
    writeOnly = await keyWith(['deploy:write']);
    readOnly = await keyWith(['deploy:read']);
    const app = await t.request<{ id: string }>('POST', ws('/apps'), {
      body: { name: 'Scoped', slug: 'scoped', gitRepoUrl: 'http://127.0.0.1:9/nothing.git' },
    });
    deploymentId = (await t.request<{ id: string }>('POST', ws('/deploy'), { body: { appId: app.body.id } })).body.id;
  });
  afterAll(async () => t?.close());

  it('cancel needs deploy:write only', async () => {
    const res = await t.request('POST', ws(`/deploy/${deploymentId}/cancel`), { key: writeOnly });
    // Cancelled, or already failed (the clone of a closed port fails fast): never a scope error.
    expect([200, 201, 409], JSON.stringify(res.body)).toContain(res.status);
    expectError(await t.request('POST', ws(`/deploy/${deploymentId}/cancel`), { key: readOnly }), 403, 'Missing required scope: deploy:write');
  });

  it('rollback needs deploy:write only', async () => {
    expectError(await t.request('POST', ws(`/deploy/${deploymentId}/rollback`), { key: writeOnly }), 409, 'Only a succeeded deployment can be rolled back to');
    expectError(await t.request('POST', ws(`/deploy/${deploymentId}/rollback`), { key: readOnly }), 403, 'Missing required scope: deploy:write');
    expectError(await t.request('POST', ws('/deploy/dep_missing/rollback'), { key: writeOnly }), 404);
  });
});
