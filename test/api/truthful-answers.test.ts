// Answers a real client found untrue (issue 9), in process through fastify's inject: git providers
// as the client types them, reserved slugs, one validation message format, cron apps made from
// the seed's fields, and a deploy without a source that has no upload to deploy.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservedSlugs } from '../../src/domain/app.js';
import { anApp } from '../support/builders.js';
import { expectError } from '../support/expect-error.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

describe.each(backends)('truthful answers on %s', (backend) => {
  let t: TestBerth;
  const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;
  const create = (body: unknown) => t.request('POST', ws('/apps'), { body });

  beforeAll(async () => {
    t = await startTestBerth(backend, { via: 'inject' });
  });
  afterAll(async () => t?.close());

  describe('gitProvider', () => {
    it('is GITHUB, GITLAB or BITBUCKET from the repository host, and null for other hosts', async () => {
      const cases = [
        ['https://github.com/org/a', 'GITHUB'],
        ['gitlab.com/org/b', 'GITLAB'],
        ['https://bitbucket.org/org/c', 'BITBUCKET'],
        ['https://git.example.com/org/d', null],
      ] as const;
      for (const [gitRepoUrl, provider] of cases) {
        const app = (await create(anApp({ gitRepoUrl }))).body;
        expect((await t.request('GET', ws(`/apps/${app.id}/source`))).body.gitProvider, gitRepoUrl).toBe(provider);
      }
    });

    it('keeps what the client set when a later update omits it', async () => {
      const app = (await create(anApp({ gitRepoUrl: 'https://git.example.com/org/self-hosted' }))).body;
      const set = await t.request('PATCH', ws(`/apps/${app.id}/source`), { body: { type: 'GIT', gitProvider: 'GITLAB' } });
      expect(set.body.gitProvider).toBe('GITLAB');
      const again = await t.request('PATCH', ws(`/apps/${app.id}/source`), { body: { type: 'GIT', gitBranch: 'develop' } });
      expect(again.body).toMatchObject({ gitProvider: 'GITLAB', gitBranch: 'develop' });
      await t.request('PATCH', ws(`/apps/${app.id}`), { body: { description: 'still GitLab' } });
      expect((await t.request('GET', ws(`/apps/${app.id}/source`))).body.gitProvider).toBe('GITLAB');
      // Moving the repository to another host derives the provider of the new one.
      const moved = await t.request('PATCH', ws(`/apps/${app.id}/source`), { body: { type: 'GIT', gitRepoUrl: 'https://github.com/org/moved' } });
      expect(moved.body.gitProvider).toBe('GITHUB');
    });

    it('refuses a provider the client does not know, and changes nothing', async () => {
      const app = (await create(anApp({ gitRepoUrl: 'https://github.com/org/e' }))).body;
      const res = await t.request('PATCH', ws(`/apps/${app.id}/source`), { body: { type: 'GIT', gitProvider: 'gitlab.com' } });
      expectError(res, 400, 'gitProvider must be one of: GITHUB, GITLAB, BITBUCKET, null');
      expect((await t.request('GET', ws(`/apps/${app.id}/source`))).body.gitProvider).toBe('GITHUB');
    });
  });

  describe('slugs', () => {
    it('refuses every reserved slug, on create and on update', async () => {
      const existing = (await create(anApp())).body;
      for (const slug of reservedSlugs) {
        expectError(await create(anApp({ slug })), 400, `slug "${slug}" is reserved by Berth (it names a fixed route or host); choose another`);
        expect((await t.request('PATCH', ws(`/apps/${existing.id}`), { body: { slug } })).status).toBe(400);
      }
      // `stats` still answers the stats object, never an app.
      expect((await t.request('GET', ws('/apps/stats'))).body).toHaveProperty('total');
    });

    it('reads every allowed slug back by slug', async () => {
      const slug = fc
        .stringMatching(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/)
        .filter((s) => !s.includes('---') && !reservedSlugs.has(s));
      await fc.assert(
        fc.asyncProperty(slug, async (candidate) => {
          const created = await create(anApp({ slug: candidate }));
          if (created.status === 409) return; // generated twice
          expect(created.status, JSON.stringify(created.body)).toBe(201);
          const read = await t.request('GET', ws(`/apps/${candidate}`));
          expect(read.status).toBe(200);
          expect(read.body.id).toBe(created.body.id);
        }),
        { numRuns: 60 },
      );
    });
  });

  describe('validation messages', () => {
    it('lists each problem once, naming the field as the client sent it', async () => {
      const app = (await create(anApp())).body;
      const traffic = await t.request('POST', ws(`/deploy/apps/${app.id}/traffic`), {
        body: { splits: [{ revisionName: 'nope-00001', percent: 50 }, { revisionId: 'rev_missing', percent: 60, tag: 'Bad_Tag' }] },
      });
      expectError(traffic, 400, [
        'splits[1].tag: tag "Bad_Tag" must be lower-case letters, digits and hyphens, start with a letter and end with a letter or digit',
        'splits: the percents must sum to exactly 100 (got 110)',
        'splits[0].revisionName: revision "nope-00001" does not exist for this app',
        'splits[1].revisionId: revision "rev_missing" does not exist for this app',
      ]);
      const schema = await t.request('POST', ws(`/deploy/apps/${app.id}/traffic`), { body: { splits: [{ revisionName: 'x', percent: 150 }] } });
      expectError(schema, 400, ['splits[0].percent must be <= 100']);
    });

    it('answers a single problem as an array too', async () => {
      const res = await create(anApp({ cpuLimitMillicores: 10 }));
      expectError(res, 400, ['cpuLimitMillicores must be >= 50']);
      const domain = await t.request('POST', ws('/apps/nope/domains'), { body: { domain: 'x' } });
      expect(domain.status).toBe(404);
      expect(typeof domain.body.message).toBe('string');
    });
  });

  describe('cron apps', () => {
    it('are created with the seed fields alone, and a deploy without a schedule says what is missing', async () => {
      const created = await create({ name: 'Nightly', slug: 'nightly', type: 'cron' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ type: 'cron', schedule: null });
      const res = await t.request('POST', ws('/deploy'), { body: { appId: 'nightly' } });
      expectError(res, 400, 'This cron app has no schedule: set schedule to a cron expression (e.g. "*/5 * * * *") and deploy again');
      expect((await t.request('GET', ws('/deploy?appId=nightly'))).body.meta.total).toBe(0);
      const scheduled = await t.request('PATCH', ws('/apps/nightly'), { body: { schedule: '*/5 * * * *' } });
      expect(scheduled.body.schedule).toBe('*/5 * * * *');
      expectError(await t.request('PATCH', ws('/apps/nightly'), { body: { schedule: 'every day' } }), 400);
    });
  });

  describe('a deploy without a source', () => {
    it('of an upload app with no completed upload is a 400 that says so, and queues nothing', async () => {
      const app = (await create(anApp({ gitRepoUrl: 'https://github.com/org/was-git' }))).body;
      await t.request('PATCH', ws(`/apps/${app.id}/source`), { body: { type: 'UPLOAD' } });
      const res = await t.request('POST', ws('/deploy'), { body: { appId: app.id } });
      expectError(res, 400, 'source.uploadId is required for an UPLOAD source: this app has no completed upload yet');
      expect((await t.request('GET', ws(`/deploy?appId=${app.id}`))).body.meta.total).toBe(0);
    });
  });
});
