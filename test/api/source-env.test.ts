// App source and runtime env vars (client-contract.md) over real HTTP. Secrets at rest and in
// logs: secrets-at-rest.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { anApp } from '../support/builders.js';
import { expectError } from '../support/expect-error.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

const keyRule = 'must start with a letter or underscore and contain only letters, digits and underscores';

describe.each(backends)('app source and env vars on %s', (backend) => {
  let t: TestBerth;
  let app: { id: string; slug: string };
  const base = () => `/api/v1/workspaces/${t.workspaceId}/apps/${app.id}`;

  beforeAll(async () => {
    t = await startTestBerth(backend);
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    app = (await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body: anApp() })).body;
  });

  describe('source', () => {
    const setSource = (body: unknown) => t.request('PATCH', `${base()}/source`, { body });

    it('reads the source of a new app', async () => {
      const source = await t.request('GET', `${base()}/source`);
      expect(source.status).toBe(200);
      expect(source.body).toEqual({
        type: 'UPLOAD',
        gitRepoUrl: null,
        gitBranch: 'main',
        gitProvider: null,
        gitInstallationId: null,
        imageRef: null,
        imageRegistryAuthRef: null,
        dockerfilePath: null,
      });
      expect((await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/apps/${app.slug}/source`)).body).toEqual(
        source.body,
      );
    });

    it('sets a GIT source, normalising a scheme-less URL to https', async () => {
      const set = await setSource({
        type: 'GIT',
        gitRepoUrl: 'github.com/org/repo',
        gitBranch: 'develop',
        gitInstallationId: '77',
      });
      expect(set.status).toBe(200);
      expect(set.body).toEqual({
        type: 'GIT',
        gitRepoUrl: 'https://github.com/org/repo',
        gitBranch: 'develop',
        gitProvider: 'GITHUB',
        gitInstallationId: '77',
        imageRef: null,
        imageRegistryAuthRef: null,
        dockerfilePath: null,
      });
      expect((await t.request('GET', `${base()}/source`)).body).toEqual(set.body);
      expect((await t.request('GET', base())).body).toMatchObject({
        sourceType: 'GIT',
        gitRepoUrl: 'https://github.com/org/repo',
        gitBranch: 'develop',
      });
    });

    it('refuses a GIT source that is not https or has no URL, and changes nothing', async () => {
      expectError(
        await setSource({ type: 'GIT', gitRepoUrl: 'http://github.com/org/repo' }),
        400,
        'gitRepoUrl must use https://',
      );
      expectError(
        await setSource({ type: 'GIT', gitRepoUrl: 'git://github.com/org/repo' }),
        400,
        'gitRepoUrl must use https://',
      );
      expectError(await setSource({ type: 'GIT' }), 400, 'gitRepoUrl is required for a GIT source');
      expectError(
        await setSource({ type: 'GIT', gitRepoUrl: 'https://github.com/org/repo', gitBranch: 'a..b' }),
        400,
        'gitBranch must be a valid branch name',
      );
      expect((await t.request('GET', `${base()}/source`)).body).toMatchObject({
        type: 'UPLOAD',
        gitRepoUrl: null,
        gitBranch: 'main',
      });
    });

    it('sets an UPLOAD source', async () => {
      await setSource({ type: 'GIT', gitRepoUrl: 'https://github.com/org/repo' });
      const set = await setSource({ type: 'UPLOAD' });
      expect(set.status).toBe(200);
      expect(set.body.type).toBe('UPLOAD');
      expect((await t.request('GET', base())).body.sourceType).toBe('UPLOAD');
    });

    it('sets an IMAGE source; imageRef is required and must be an image reference', async () => {
      expectError(await setSource({ type: 'IMAGE' }), 400, 'imageRef is required for an IMAGE source');
      expectError(await setSource({ type: 'IMAGE', imageRef: '' }), 400, 'imageRef is required for an IMAGE source');
      for (const bad of ['Not An Image', 'ghcr.io/Org/App:1', 'nginx:latest; rm -rf /', 'https://ghcr.io/org/app']) {
        expectError(
          await setSource({ type: 'IMAGE', imageRef: bad }),
          400,
          'imageRef must be an image reference such as registry.example.com/org/app:1.2',
        );
      }
      expect((await t.request('GET', `${base()}/source`)).body.type).toBe('UPLOAD');

      for (const good of [
        'nginx',
        'nginx:1.27-alpine',
        'ghcr.io/org/app:1.2',
        `registry.example.com:5000/team/app@sha256:${'a'.repeat(64)}`,
      ]) {
        const set = await setSource({ type: 'IMAGE', imageRef: good, imageRegistryAuthRef: 'ghcr-creds' });
        expect(set.status, good).toBe(200);
        expect(set.body).toMatchObject({ type: 'IMAGE', imageRef: good, imageRegistryAuthRef: 'ghcr-creds' });
      }
    });

    it('refuses an unknown source type and an unknown app', async () => {
      expectError(await setSource({ type: 'SVN' }), 400, ['type must be one of: GIT, UPLOAD, IMAGE']);
      expectError(await setSource({}), 400, ['type is required']);
      const unknown = `/api/v1/workspaces/${t.workspaceId}/apps/app_nope/source`;
      expectError(await t.request('GET', unknown), 404, 'App not found');
      expectError(await t.request('PATCH', unknown, { body: { type: 'UPLOAD' } }), 404, 'App not found');
    });
  });

  describe('env vars', () => {
    const list = async () =>
      (await t.request('GET', `${base()}/env-vars`)).body as { id: string; key: string; value: string }[];

    it('creates, replaces and lists variables; secret values are masked in every answer', async () => {
      expect(await list()).toEqual([]);
      const plain = await t.request('POST', `${base()}/env-vars`, { body: { key: 'LOG_LEVEL', value: 'debug' } });
      expect(plain.status).toBe(201);
      expect(plain.body).toEqual({
        id: expect.stringMatching(/^env_/),
        key: 'LOG_LEVEL',
        value: 'debug',
        isSecret: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const secret = 'hunter2-super-secret';
      const sealed = await t.request('POST', `${base()}/env-vars`, {
        body: { key: 'DB_PASSWORD', value: secret, isSecret: true },
      });
      expect(sealed.status).toBe(201);
      expect(sealed.body).toMatchObject({ key: 'DB_PASSWORD', value: '********', isSecret: true });

      const replaced = await t.request('POST', `${base()}/env-vars`, { body: { key: 'LOG_LEVEL', value: 'info' } });
      expect(replaced.body).toMatchObject({ id: plain.body.id, value: 'info' });
      const bulk = await t.request('POST', `${base()}/env-vars/bulk`, {
        body: {
          vars: [
            { key: 'API_TOKEN', value: `${secret}-2`, isSecret: true },
            { key: '_UNDERSCORE', value: 'ok' },
          ],
        },
      });
      expect(bulk.status).toBe(200);
      expect(bulk.body.map((v: { key: string; value: string }) => [v.key, v.value])).toEqual([
        ['API_TOKEN', '********'],
        ['_UNDERSCORE', 'ok'],
      ]);

      const listed = await list();
      expect(listed.map((v) => [v.key, v.value])).toEqual([
        ['API_TOKEN', '********'],
        ['DB_PASSWORD', '********'],
        ['LOG_LEVEL', 'info'],
        ['_UNDERSCORE', 'ok'],
      ]);
      for (const body of [sealed.body, bulk.body, listed]) expect(JSON.stringify(body)).not.toContain(secret);
    });

    it.each([
      ['1ABC', `key "1ABC" ${keyRule}`],
      ['A-B', `key "A-B" ${keyRule}`],
      ['WITH SPACE', `key "WITH SPACE" ${keyRule}`],
      ['PORT', 'key PORT is set by Berth and cannot be overridden'],
    ])('refuses the key %j with 400', async (key, message) => {
      expectError(await t.request('POST', `${base()}/env-vars`, { body: { key, value: 'x' } }), 400, message);
      expectError(
        await t.request('POST', `${base()}/env-vars/bulk`, { body: { vars: [{ key, value: 'x' }] } }),
        400,
        `vars[0]: ${message}`,
      );
      expect(await list()).toEqual([]);
    });

    it('writes nothing from a bulk with a duplicate or a bad key, and lists every problem', async () => {
      await t.request('POST', `${base()}/env-vars`, { body: { key: 'EXISTING', value: 'before' } });
      const duplicate = {
        vars: [
          { key: 'NEW_ONE', value: '1' },
          { key: 'DUP', value: 'a' },
          { key: 'DUP', value: 'b' },
          { key: 'EXISTING', value: 'after' },
        ],
      };
      expectError(
        await t.request('POST', `${base()}/env-vars/bulk`, { body: duplicate }),
        400,
        'vars[2]: key DUP appears more than once',
      );
      const mixed = {
        vars: [
          { key: 'GOOD', value: '1' },
          { key: '9BAD', value: '2' },
          { key: 'PORT', value: '3' },
          { key: 'GOOD', value: '4' },
        ],
      };
      expectError(await t.request('POST', `${base()}/env-vars/bulk`, { body: mixed }), 400, [
        `vars[1]: key "9BAD" ${keyRule}`,
        'vars[2]: key PORT is set by Berth and cannot be overridden',
        'vars[3]: key GOOD appears more than once',
      ]);
      expectError(await t.request('POST', `${base()}/env-vars/bulk`, { body: { vars: [] } }), 400, [
        'vars must NOT have fewer than 1 items',
      ]);
      expectError(await t.request('POST', `${base()}/env-vars`, { body: { key: 'NO_VALUE' } }), 400, [
        'value is required',
      ]);
      expect((await list()).map((v) => [v.key, v.value])).toEqual([['EXISTING', 'before']]);
    });

    it('deletes by id and by key; deleting again is 404', async () => {
      const byId = (await t.request('POST', `${base()}/env-vars`, { body: { key: 'BY_ID', value: '1' } })).body;
      await t.request('POST', `${base()}/env-vars`, { body: { key: 'BY_KEY', value: '2', isSecret: true } });
      await t.request('POST', `${base()}/env-vars`, { body: { key: 'STAYS', value: '3' } });

      const deletedById = await t.request('DELETE', `${base()}/env-vars/${byId.id}`);
      expect(deletedById.status).toBe(204);
      expect(deletedById.body).toBeNull();
      expect((await t.request('DELETE', `${base()}/env-vars/BY_KEY`)).status).toBe(204);
      expect((await list()).map((v) => v.key)).toEqual(['STAYS']);
      expectError(await t.request('DELETE', `${base()}/env-vars/${byId.id}`), 404, 'Environment variable not found');
      expectError(await t.request('DELETE', `${base()}/env-vars/BY_KEY`), 404, 'Environment variable not found');
    });

    it('keeps env vars per app and 404s an unknown app', async () => {
      await t.request('POST', `${base()}/env-vars`, { body: { key: 'ONLY_HERE', value: '1' } });
      const sibling = (await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body: anApp() })).body;
      const siblingVars = `/api/v1/workspaces/${t.workspaceId}/apps/${sibling.id}/env-vars`;
      expect((await t.request('GET', siblingVars)).body).toEqual([]);
      expectError(await t.request('DELETE', `${siblingVars}/ONLY_HERE`), 404, 'Environment variable not found');
      expectError(
        await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/apps/app_nope/env-vars`),
        404,
        'App not found',
      );
    });
  });
});
