import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestBerth } from './support/test-berth.js';
import type { TestBerth } from './support/test-berth.js';
import { anApp } from './support/builders.js';

describe.each(backends)('smoke on %s', (backend) => {
  let t: TestBerth;
  beforeAll(async () => {
    t = await startTestBerth(backend);
  });
  afterAll(async () => t?.close());

  it('creates and lists an app', async () => {
    const created = await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body: anApp({ slug: 'hello' }) });
    expect(created.status).toBe(201);
    const list = await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/apps`);
    expect(list.body.data.map((a: { slug: string }) => a.slug)).toEqual(['hello']);
  });
});
