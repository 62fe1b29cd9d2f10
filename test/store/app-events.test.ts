// The event recorder on both stores: repeats of the newest identical event fold into its count
// (within the fold window), different ones do not, and each app keeps only its latest events.
import { describe, expect, it } from 'vitest';
import { createEventRecorder } from '../../src/core/events/event-recorder.js';
import type { AppEventInput } from '../../src/domain/app-event.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { backends } from '../support/test-berth.js';
import { useTestStore } from '../support/test-store.js';

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A clock that stands still until moved. */
function manualClock() {
  let at = Date.parse('2026-06-01T12:00:00.000Z');
  return { now: () => new Date(at), shift: (ms: number) => void (at += ms) };
}

describe.each(backends)('app events on %s', (backend) => {
  const t = useTestStore(backend, 'events');
  const event = (appId: string, message: string, reason: AppEventInput['reason'] = 'BackOff'): AppEventInput => ({
    appId,
    type: 'Warning',
    reason,
    message,
    object: { kind: 'Revision', name: 'web-00001' },
  });

  it('folds repeats into a count with the first and last time; a different message is a new event', async () => {
    const appId = await t.anApp('folding');
    const clock = manualClock();
    const recorder = createEventRecorder({ events: t.store.events, clock, ids: createIdGenerator(), logger });
    const first = clock.now();
    for (let i = 0; i < 3; i++) {
      recorder.record(event(appId, 'exited with code 1'));
      clock.shift(1_000);
    }
    recorder.record(event(appId, 'exited with code 2'));
    await recorder.flush();
    const events = await t.store.events.list(appId, 100);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ message: 'exited with code 1', count: 3, firstAt: first, lastAt: new Date(first.getTime() + 2_000) });
    expect(events[0]).toMatchObject({ message: 'exited with code 2', count: 1 });
  });

  it('starts a new event when the last repeat is older than the fold window', async () => {
    const appId = await t.anApp('window');
    const clock = manualClock();
    const recorder = createEventRecorder({ events: t.store.events, clock, ids: createIdGenerator(), logger }, { keepPerApp: 500, foldWindowMs: 10_000, pruneEvery: 50 });
    recorder.record(event(appId, 'same'));
    clock.shift(11_000);
    recorder.record(event(appId, 'same'));
    await recorder.flush();
    expect((await t.store.events.list(appId, 10)).map((e) => e.count)).toEqual([1, 1]);
  });

  it('keeps only the latest events of each app', async () => {
    const appId = await t.anApp('bounded');
    const other = await t.anApp('untouched');
    const clock = manualClock();
    const recorder = createEventRecorder({ events: t.store.events, clock, ids: createIdGenerator(), logger }, { keepPerApp: 5, foldWindowMs: 60_000, pruneEvery: 4 });
    recorder.record(event(other, 'keep me'));
    for (let i = 0; i < 12; i++) {
      recorder.record(event(appId, `event ${i}`, 'Started'));
      clock.shift(10);
    }
    await recorder.flush();
    const kept = await t.store.events.list(appId, 100);
    expect(kept.length).toBeLessThanOrEqual(5 + 3);
    expect(kept[0]?.message).toBe('event 11');
    expect(kept.map((e) => e.message)).not.toContain('event 0');
    expect(await t.store.events.list(other, 10)).toHaveLength(1);
  });
});
