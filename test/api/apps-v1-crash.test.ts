// The Apps API (spec 002) on a crash-looping app, in process: status lists every instance that
// should exist, a crashed one waiting for its restart included (Pending, CrashLoopBackOff, and why
// it crashed), so a client never counts fewer pods than the replicas asked for; pods says the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { until } from '../e2e/support/edge-client.js';
import { instanceApp, nodeCommand } from '../e2e/support/instance-app.js';

describe('a crash-looping app through the Apps API', () => {
  let t: TestBerth;
  beforeAll(async () => {
    t = await startTestBerth('sqlite', { via: 'inject' });
  });
  afterAll(async () => t?.close());

  it('lists a crashed instance waiting for its restart as a Pending pod with its reason', { timeout: 60_000 }, async () => {
    const app = (await t.request('POST', '/api/v1/apps', { body: { name: 'Crashes', source_type: 'upload', replicas: 1 } })).body;
    // Ready first (the probe is its first request), then exits with code 1.
    const dir = instanceApp('crashes', { crashAfterFirstRequestMs: 300 });
    const result = await t.berth.core.deployArtifact({ appId: app.id, artifactDir: dir, command: nodeCommand, imageRef: 'dir:crashes', triggerType: 'MANUAL' });
    expect(result.deployment.status, result.deployment.error ?? '').toBe('succeeded');

    const answers: any[] = [];
    const waitingPod = (s: any) => s.pods.find((p: any) => p.reason === 'CrashLoopBackOff');
    const status = await until(
      async () => {
        const body = (await t.request('GET', `/api/v1/apps/${app.id}/status`)).body;
        answers.push(body);
        return body;
      },
      (s) => waitingPod(s) !== undefined,
      30_000,
      50,
    );
    expect(waitingPod(status)).toEqual({
      name: expect.stringMatching(/^crashes-00001-/),
      phase: 'Pending',
      ready: false,
      reason: 'CrashLoopBackOff',
      message: expect.stringContaining('exited with code 1'),
    });
    // Never fewer pods than the replicas asked for, whether an instance runs, starts or waits.
    for (const answer of answers) {
      expect(answer.desired_replicas).toBe(1);
      expect(answer.pods.map((p: any) => p.phase)).toHaveLength(1);
    }

    const pods = await until(
      async () => (await t.request('GET', `/api/v1/apps/${app.id}/pods`)).body,
      (list: any[]) => list.some((p) => p.reason === 'CrashLoopBackOff'),
      30_000,
      50,
    );
    expect(pods.filter((p: any) => p.serving)).toHaveLength(1);
    expect(pods.find((p: any) => p.reason === 'CrashLoopBackOff')).toMatchObject({ phase: 'Pending', ready: false, revision: 'crashes-00001', restarts: expect.any(Number) });
  });
});
