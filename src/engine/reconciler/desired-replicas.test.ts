import { describe, expect, it } from 'vitest';
import type { App } from '../../domain/app.js';
import type { Revision, TrafficSplit } from '../../domain/revision.js';
import { appReplicas, desiredReplicas } from './desired-replicas.js';

const now = new Date('2026-01-01T00:10:00Z');
const anApp = (over: Partial<App> = {}): App =>
  ({ id: 'app1', type: 'web', replicas: null, minReplicas: 2, maxReplicas: 2, ...over }) as App;
const aRevision = (id: string, over: Partial<Revision> = {}): Revision =>
  ({ id, appId: 'app1', status: 'ready', lastServedAt: null, ...over }) as Revision;
const split = (revisionId: string, percent: number, tag: string | null = null): TrafficSplit => ({ revisionId, revisionName: revisionId, percent, tag });

function desired(app: App, splits: TrafficSplit[], revisions: Revision[], warming = new Map<string, number>(), warmRevisions = 1) {
  return desiredReplicas({
    apps: [app],
    traffic: new Map([[app.id, splits]]),
    revisions: new Map(revisions.map((r) => [r.id, r])),
    autoscaled: new Map(),
    warming,
    now,
    warmWindowMs: 60_000,
    warmRevisions,
  });
}

describe('desiredReplicas', () => {
  it('gives every revision with traffic the app replicas, and a tagged 0 % revision one', () => {
    const result = desired(anApp(), [split('r2', 90), split('r1', 10), split('r0', 0, 'old')], [aRevision('r0'), aRevision('r1'), aRevision('r2')]);
    expect(Object.fromEntries(result)).toEqual({ r2: 2, r1: 2, r0: 1 });
  });
  it('keeps a recently served revision warm with one instance, an old one not at all', () => {
    const recent = aRevision('r1', { lastServedAt: new Date(now.getTime() - 30_000) });
    const stale = aRevision('r0', { lastServedAt: new Date(now.getTime() - 120_000) });
    expect(Object.fromEntries(desired(anApp(), [split('r2', 100)], [stale, recent, aRevision('r2')]))).toEqual({ r2: 2, r1: 1 });
  });
  it('keeps only the latest served of several recent revisions warm, or as many as configured, or none', () => {
    const served = (id: string, secondsAgo: number) => aRevision(id, { lastServedAt: new Date(now.getTime() - secondsAgo * 1000) });
    const revisions = [served('r1', 50), served('r2', 40), served('r3', 10), served('r4', 30), aRevision('r5')];
    expect(Object.fromEntries(desired(anApp(), [split('r5', 100)], revisions))).toEqual({ r5: 2, r3: 1 });
    expect(Object.fromEntries(desired(anApp(), [split('r5', 100)], revisions, new Map(), 2))).toEqual({ r5: 2, r3: 1, r4: 1 });
    expect(Object.fromEntries(desired(anApp(), [split('r5', 100)], revisions, new Map(), 0))).toEqual({ r5: 2 });
  });
  it('runs only the revisions holding a worker\'s traffic: an old worker kept warm or tagged would take jobs', () => {
    const recent = aRevision('r1', { lastServedAt: new Date(now.getTime() - 30_000) });
    const result = desired(anApp({ type: 'worker' }), [split('r2', 100), split('r0', 0, 'old')], [aRevision('r0'), recent, aRevision('r2')]);
    expect(Object.fromEntries(result)).toEqual({ r2: 2 });
  });
  it('runs nothing for a stopped app or a cron app, but still warms what the core asked for', () => {
    expect(desired(anApp({ replicas: 0 }), [split('r1', 100)], [aRevision('r1')]).size).toBe(0);
    expect(desired(anApp({ type: 'cron' }), [split('r1', 100)], [aRevision('r1')]).size).toBe(0);
    expect(Object.fromEntries(desired(anApp({ replicas: 0 }), [], [aRevision('r3')], new Map([['r3', 1]])))).toEqual({ r3: 1 });
  });
});

describe('appReplicas', () => {
  it('uses manual scale, else the autoscaler within min..max, else the minimum', () => {
    expect(appReplicas(anApp({ replicas: 3 }), new Map())).toBe(3);
    expect(appReplicas(anApp({ minReplicas: 1, maxReplicas: 4 }), new Map([['app1', 9]]))).toBe(4);
    expect(appReplicas(anApp({ minReplicas: 1, maxReplicas: 4 }), new Map([['app1', 3]]))).toBe(3);
    expect(appReplicas(anApp(), new Map())).toBe(2);
  });
});
