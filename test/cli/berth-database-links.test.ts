// `berth databases attach|detach --sync` and `env set --sync` check what the rollout needs before
// they change anything: a key that may not sync changes nothing (exit 3); an app never deployed
// gets the change, and is told it has it at its first deploy (exit 0, not the API's 409 after
// the change stood). `databases info` lists the apps attached, by slug, with the env var each gets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHome } from '../support/cli-home.js';
import type { CliHome } from '../support/cli-home.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

interface Attachment {
  appId: string;
  secretName: string;
  mountPath: string | null;
}

describe('berth databases: --sync checks first; info lists the apps attached', { timeout: 120_000 }, () => {
  let t: TestBerth;
  let home: CliHome;
  const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;
  const appIds: Record<string, string> = {};
  const attachedTo = async (db: string) => (await t.request<Attachment[]>('GET', ws(`/databases/${db}/attachments`))).body.map((a) => a.appId).sort();

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { env: { BERTH_DB_BACKUP_CRON: 'off', BERTH_ISOLATION: 'off' } });
    home = cliHome(() => t);
    for (const slug of ['notes', 'cache']) expect((await t.request('POST', ws('/databases'), { body: { name: slug, slug, engine: 'SQLITE' } })).status).toBe(201);
    for (const slug of ['shop', 'blog']) {
      const created = await t.request<{ id: string }>('POST', ws('/apps'), { body: { name: slug, slug } });
      expect(created.status).toBe(201);
      appIds[slug] = created.body.id;
    }
  });
  afterAll(async () => {
    await t?.close();
    home?.close();
  });

  it('attach --sync with a key that may not roll the app out refuses before it attaches (3)', async () => {
    const scopes = ['apps:read', 'databases:read', 'databases:write', 'deploy:read'];
    const created = await t.request<{ key: string }>('POST', ws('/api-keys'), { body: { name: 'no env-vars:write', scopes } });
    expect(created.status).toBe(201);
    const refused = await home.berth(['databases', 'attach', 'notes', 'shop', '--sync'], { env: { BERTH_API_KEY: created.body.key } });
    expect(refused.code).toBe(3);
    expect(refused.stderr.trim()).toBe(
      'berth: --sync needs a key with the env-vars:write scope, which this key lacks, so nothing was attached. Without --sync, shop gets the change at its next deploy.',
    );
    expect(await attachedTo('notes')).toEqual([]);
  });

  it('attach --sync on an app never deployed attaches it and says its first deploy gives it the database (0)', async () => {
    const attached = await home.berth(['databases', 'attach', 'notes', 'shop', '--sync']);
    expect(attached.code, attached.stderr).toBe(0);
    expect(attached.stderr).toBe(
      'Attached notes to shop as DATABASE_URL, mounted at /var/lib/dooor/sqlite\n' +
        'shop has not been deployed yet (no revision serves it), so --sync has nothing to roll out: its first deploy gives it DATABASE_URL (berth deploy --app shop)\n',
    );
    expect(await attachedTo('notes')).toEqual([appIds.shop]);
  });

  it('info lists the apps attached, by slug, with the env var each gets and the mount path', async () => {
    const none = await home.berth(['databases', 'info', 'cache']);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toMatch(/\n\nAttached to no app \(berth databases attach cache <app>\)\n$/);

    // An SQLITE database is written by one app: each of the two goes to its own.
    expect((await home.berth(['databases', 'attach', 'cache', 'blog', '--mount-path', '/data/cache'])).code).toBe(0);
    const notes = await home.berth(['databases', 'info', 'notes']);
    expect(notes.code, notes.stderr).toBe(0);
    expect(notes.stdout).toMatch(/\n\nAttached to 1 app:\nAPP\s+ENV VAR\s+MOUNT PATH\n/);
    expect(notes.stdout).toMatch(/^shop\s+DATABASE_URL\s+\/var\/lib\/dooor\/sqlite$/m);
    const cache = await home.berth(['databases', 'info', 'cache']);
    expect(cache.stdout).toMatch(/^blog\s+DATABASE_URL\s+\/data\/cache$/m);
    const json = JSON.parse((await home.berth(['databases', 'info', 'cache', '--json'])).stdout) as { attachments: Attachment[] };
    expect(json.attachments).toEqual((await t.request('GET', ws('/databases/cache/attachments'))).body);
  });

  it('detach --sync and env set --sync on an app never deployed make the change and say nothing was rolled out (0)', async () => {
    const detached = await home.berth(['databases', 'detach', 'cache', 'blog', '--sync']);
    expect(detached.code, detached.stderr).toBe(0);
    expect(detached.stderr).toContain('Detached cache from blog (its data stays)\nblog has not been deployed yet (no revision serves it), so --sync has nothing to roll out: its first deploy starts it without cache');
    expect(await attachedTo('cache')).toEqual([]);

    const set = await home.berth(['env', 'set', 'shop', 'GREETING=hello', '--sync']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toContain('Set GREETING\nshop has not been deployed yet (no revision serves it), so --sync has nothing to roll out: its first deploy starts it with these values');
    const vars = (await t.request<{ key: string; value: string }[]>('GET', ws('/apps/shop/env-vars'))).body;
    expect(vars.find((v) => v.key === 'GREETING')?.value).toBe('hello');
  });
});
