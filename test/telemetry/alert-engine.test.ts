// The alert engine on both backends: one open alert per app and type while its condition fires,
// a new alert when the condition's subject changes (another domain's certificate fails, or one
// recovers), none after a restart for what was already open, and a resolve when it clears.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/core/ports/telemetry.js';
import type { CustomDomain } from '../../src/domain/custom-domain.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { createAlertEngine } from '../../src/telemetry/alerts/alert-engine.js';
import { certificateConditions } from '../../src/telemetry/alerts/certificate-alerts.js';
import { backends } from '../support/test-berth.js';
import { useTestStore } from '../support/test-store.js';

const quiet = { info() {}, warn() {}, error() {} };
const now = new Date('2030-01-01T00:00:00Z');

function aDomain(domain: string, failed: boolean): CustomDomain {
  return {
    id: `dom_${domain}`,
    appId: 'app_1',
    domain,
    targetPort: null,
    verified: true,
    tlsStatus: failed ? 'failed' : 'active',
    verificationToken: 't',
    createdAt: now,
    verifiedAt: now,
    tlsError: failed ? 'connection refused' : null,
    tlsExpiresAt: failed ? null : new Date(now.getTime() + 60 * 86_400_000),
  };
}

describe.each(backends)('alert engine on %s', (backend) => {
  const testStore = useTestStore(backend, 'alerts');

  function engine(sent: string[]) {
    return createAlertEngine({
      store: testStore.store,
      ids: createIdGenerator(),
      logger: quiet as never,
      now: () => now,
      notify: (event: 'alert.triggered' | 'alert.resolved', alert: Alert) => sent.push(`${event} ${alert.message}`),
    });
  }

  it('names the failing domains as they change, opens nothing new after a restart, resolves when all are issued', async () => {
    const appId = await testStore.anApp('certs');
    const app = { id: appId, workspaceId: 'ws_t' };
    const sent: string[] = [];
    const first = engine(sent);
    await first.start();
    const evaluate = (e: ReturnType<typeof engine>, domains: CustomDomain[]) =>
      e.evaluate(
        app,
        certificateConditions(domains, now).filter((c) => c.type === 'cert_failed'),
      );
    const alerts = async () => testStore.store.alerts.list({ workspaceId: 'ws_t', appId, resolved: null, limit: 50 });

    await evaluate(first, [aDomain('shop.example.test', true), aDomain('broken.example.test', false)]);
    await evaluate(first, [aDomain('shop.example.test', true), aDomain('broken.example.test', false)]);
    expect((await alerts()).map((a) => [a.message, a.resolvedAt !== null])).toEqual([
      ['TLS certificate for shop.example.test could not be issued: connection refused', false],
    ]);

    // Shop recovers in the same pass where broken fails: the condition never stops firing, but
    // the open alert must now be about broken.
    await evaluate(first, [aDomain('shop.example.test', false), aDomain('broken.example.test', true)]);
    const open = (await alerts()).filter((a) => a.resolvedAt === null);
    expect(open.map((a) => a.message)).toEqual([
      'TLS certificate for broken.example.test could not be issued: connection refused',
    ]);
    expect((await alerts()).filter((a) => a.resolvedAt !== null)).toHaveLength(1);

    // Both fail: one open alert naming both.
    await evaluate(first, [aDomain('shop.example.test', true), aDomain('broken.example.test', true)]);
    expect((await alerts()).filter((a) => a.resolvedAt === null).map((a) => a.message)).toEqual([
      'TLS certificate for shop.example.test could not be issued: connection refused (also failing: broken.example.test)',
    ]);

    // A restart with the same failures pages nobody again.
    const second = engine(sent);
    await second.start();
    const before = sent.length;
    await evaluate(second, [aDomain('shop.example.test', true), aDomain('broken.example.test', true)]);
    expect(sent.length).toBe(before);
    expect((await alerts()).filter((a) => a.resolvedAt === null)).toHaveLength(1);

    await evaluate(second, [aDomain('shop.example.test', false), aDomain('broken.example.test', false)]);
    expect((await alerts()).every((a) => a.resolvedAt !== null)).toBe(true);
    expect(sent.filter((s) => s.startsWith('alert.triggered'))).toHaveLength(3);
    expect(sent.filter((s) => s.startsWith('alert.resolved'))).toHaveLength(3);
  });

  it('resolves a build alert at start when a deploy succeeded after it, too close to the stop for a check to see', async () => {
    const fixed = await testStore.anApp('fixed');
    const stillBroken = await testStore.anApp('broken');
    const minute = (m: number) => new Date(now.getTime() + m * 60_000);
    let clock = minute(0);
    const at = () => clock;
    const withClock = () => createAlertEngine({ store: testStore.store, ids: createIdGenerator(), logger: quiet as never, now: at, notify: () => {} });
    const deployment = (appId: string, status: 'failed' | 'succeeded', finishedMinute: number) => ({
      id: createIdGenerator()('deployment'), appId, workspaceId: 'ws_t', status, triggerType: 'MANUAL', stage: null, gitBranch: null, gitCommitSha: null,
      gitCommitMessage: null, buildpack: null, imageRef: null, revisionName: status === 'failed' ? null : `${appId}-00001`, reusedRevision: null, builtAt: null,
      rolledBackFrom: null, buildId: null, createdBy: null, error: status === 'failed' ? 'npm run build exited with 2' : null,
      startedAt: minute(finishedMinute - 1), finishedAt: minute(finishedMinute), createdAt: minute(finishedMinute - 1),
    });
    const openTypes = async (appId: string) =>
      (await testStore.store.alerts.list({ workspaceId: 'ws_t', appId, resolved: null, limit: 10 })).filter((a) => a.resolvedAt === null).map((a) => a.type);

    const first = withClock();
    await first.start();
    await testStore.store.deployments.create(deployment(fixed, 'failed', 1) as never);
    await testStore.store.deployments.create(deployment(stillBroken, 'failed', 1) as never);
    clock = minute(2);
    await first.checkDeployments();
    expect(await openTypes(fixed)).toEqual(['build_failed']);
    // The fix deploys, and Berth stops before its next check.
    await testStore.store.deployments.create(deployment(fixed, 'succeeded', 3) as never);

    clock = minute(4);
    const second = withClock();
    await second.start();
    expect(await openTypes(fixed)).toEqual([]);
    expect(await openTypes(stillBroken)).toEqual(['build_failed']);
  });
});
