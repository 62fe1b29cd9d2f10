// A database created through the API and waited for until it is RUNNING (the backup tests' start).
import { expect } from 'vitest';
import type { TestBerth } from '../support/test-berth.js';
import { until } from '../e2e/support/edge-client.js';

export async function runningDatabase(t: TestBerth, engine: string, slug: string): Promise<{ id: string }> {
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;
  const created = (await t.request('POST', ws('/databases'), { body: { name: slug, slug, engine, storageGb: 1, memory: '128Mi' } })).body;
  const running = await until(() => t.request('GET', ws(`/databases/${created.id}`)), (r) => r.body.status !== 'PROVISIONING', 60_000);
  expect(running.body.status, JSON.stringify(running.body)).toBe('RUNNING');
  return created as { id: string };
}
