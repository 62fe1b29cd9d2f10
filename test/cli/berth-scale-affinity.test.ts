// `berth scale <app> --session-affinity on|off` turns the edge's session affinity on and off
// (no replica count needed); any other word is bad usage (exit 2) and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHome } from '../support/cli-home.js';
import type { CliHome } from '../support/cli-home.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

describe('berth scale --session-affinity', { timeout: 120_000 }, () => {
  let t: TestBerth;
  let home: CliHome;
  const affinity = async () => (await t.request<{ sessionAffinity: boolean }>('GET', `/api/v1/workspaces/${t.workspaceId}/apps/chat`)).body.sessionAffinity;

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { env: { BERTH_ISOLATION: 'off' } });
    home = cliHome(() => t);
    expect((await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body: { name: 'chat', slug: 'chat' } })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    home?.close();
  });

  it('turns it on and off, and refuses other words', async () => {
    const on = await home.berth(['scale', 'chat', '--session-affinity', 'on']);
    expect(on.code, on.stderr).toBe(0);
    expect(on.stderr + on.stdout).toContain('Session affinity on: each browser stays on the instance that answered it first');
    expect(await affinity()).toBe(true);
    const bad = await home.berth(['scale', 'chat', '--session-affinity', 'yes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('berth: --session-affinity: on or off, not yes');
    expect(await affinity()).toBe(true);
    const off = await home.berth(['scale', 'chat', '--session-affinity', 'off', '--json']);
    expect(JSON.parse(off.stdout)).toEqual({ sessionAffinity: false });
    expect(await affinity()).toBe(false);
  });
});
