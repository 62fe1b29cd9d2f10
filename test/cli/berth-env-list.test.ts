// `berth env <app>` lists an app's env vars, as `berth domains <app>` lists its domains; `berth env
// list <app>` works for any app name, even one named like a subcommand (set, unset, import, list).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHome } from '../support/cli-home.js';
import type { CliHome } from '../support/cli-home.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

describe('berth env <app>', { timeout: 120_000 }, () => {
  let t: TestBerth;
  let home: CliHome;
  const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { env: { BERTH_ISOLATION: 'off' } });
    home = cliHome(() => t);
    for (const slug of ['set', 'shop', 'empty']) expect((await t.request('POST', ws('/apps'), { body: { name: slug, slug } })).status).toBe(201);
    for (const slug of ['set', 'shop']) {
      const put = await t.request('POST', ws(`/apps/${slug}/env-vars`), { body: { key: 'GREETING', value: `hello ${slug}` } });
      expect(put.status, JSON.stringify(put.body)).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
    home?.close();
  });

  it('lists without a subcommand, and `env list` lists an app named like one', async () => {
    const bare = await home.berth(['env', 'shop']);
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stdout).toMatch(/^KEY\s+VALUE\s+SECRET\nGREETING\s+hello shop\s+no\n$/);
    const named = await home.berth(['env', 'list', 'set']);
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toMatch(/^GREETING\s+hello set\s+no$/m);
    const json = await home.berth(['env', 'shop', '--json']);
    expect(JSON.parse(json.stdout)).toEqual((await t.request('GET', ws('/apps/shop/env-vars'))).body);
    const empty = await home.berth(['env', 'empty']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout + empty.stderr).toContain('empty has no env vars (berth env set empty KEY=VALUE)');
  });

  it('a subcommand still wins over an app of its name, and the help says how to list that app', async () => {
    const set = await home.berth(['env', 'set', 'shop', 'OTHER=1']);
    expect(set.code, set.stderr).toBe(0);
    expect((await t.request<{ key: string }[]>('GET', ws('/apps/shop/env-vars'))).body.map((v) => v.key).sort()).toEqual(['GREETING', 'OTHER']);
    const help = await home.berth(['env', '--help']);
    expect(help.stdout).toContain('An app named list, set, unset or import is taken for the subcommand here: `berth env list <app>` lists any app');
  });
});
