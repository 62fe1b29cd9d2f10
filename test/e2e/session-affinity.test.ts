// Session affinity end to end: an app scaled to 3 turns `sessionAffinity` on through the API
// (PATCH, no redeploy); from then on a browser that keeps the edge's cookie is served by one
// instance, while browsers without it are spread over all three. Turned off, the cookie is
// ignored again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { createApp, deployDir, wsPath } from './support/berth-actions.js';
import { edgeRequest, tally, until } from './support/edge-client.js';
import { instanceApp } from './support/instance-app.js';

describe('session affinity through the API', () => {
  let t: TestBerth;
  let appId = '';
  const host = 'sticky.localhost';
  const instanceOf = async (cookie?: string) => {
    const res = await edgeRequest(t.berth.edgePort, host, cookie ? { headers: { cookie } } : {});
    const setCookie = (res.headers['set-cookie'] ?? []).find((line) => line.startsWith('berth-affinity='));
    return { instance: String((JSON.parse(res.body) as { instance: string }).instance), cookie: setCookie?.split(';')[0] };
  };
  const patch = (sessionAffinity: boolean) => t.request('PATCH', wsPath(t, `/apps/${appId}`), { body: { sessionAffinity } });

  beforeAll(async () => {
    t = await startTestBerth('sqlite');
    appId = await createApp(t, { name: 'Sticky', slug: 'sticky', visibility: 'public' });
    expect((await deployDir(t, appId, instanceApp('sticky'), 'dir:sticky')).deployment.status).toBe('succeeded');
    expect((await t.request('POST', wsPath(t, '/deploy/scale'), { body: { appId, replicas: 3 } })).status).toBe(200);
    await until(async () => (await tally(t.berth.edgePort, host, 30, 'instance')).size, (n) => n === 3, 30_000);
  });
  afterAll(async () => t?.close());

  it('is off by default, turns on at once, keeps a browser with the cookie on one instance, and turns off', async () => {
    expect((await t.request('GET', wsPath(t, `/apps/${appId}`))).body).toMatchObject({ sessionAffinity: false });
    expect((await instanceOf()).cookie).toBeUndefined();

    const on = await patch(true);
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ sessionAffinity: true });
    const first = await instanceOf();
    expect(first.cookie).toMatch(/^berth-affinity=/);
    const again = [];
    for (let i = 0; i < 15; i++) again.push(await instanceOf(first.cookie));
    expect(new Set(again.map((r) => r.instance))).toEqual(new Set([first.instance]));
    expect((await tally(t.berth.edgePort, host, 30, 'instance')).size).toBe(3);

    expect((await patch(false)).body).toMatchObject({ sessionAffinity: false });
    const spread = new Set<string>();
    for (let i = 0; i < 15; i++) spread.add((await instanceOf(first.cookie)).instance);
    expect(spread.size).toBe(3);
  });

  it('refuses a value that is not a boolean, changing nothing', async () => {
    const res = await t.request('PATCH', wsPath(t, `/apps/${appId}`), { body: { sessionAffinity: 'yes' } });
    expect(res.status).toBe(400);
    expect((await t.request('GET', wsPath(t, `/apps/${appId}`))).body).toMatchObject({ sessionAffinity: false });
  });
});
