// The live tail never loses a line without saying so: a turn of the event loop that brings more
// lines than a subscriber may hold keeps the newest and tells it how many older ones it missed.
import { describe, expect, it } from 'vitest';
import type { LiveLogLine, LogLine } from '../../core/ports/telemetry.js';
import { createLiveTail } from './live-tail.js';

const line = (i: number): LogLine & { seq: number } => ({ seq: i, appId: 'app_1', revisionName: 'app-00001', instanceId: 'ins_1', stream: 'stdout', severity: 'INFO', timestamp: new Date(), message: `line ${i}` });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('live tail', () => {
  it('tells a subscriber how many lines one overfull turn replaced, before the lines that follow', async () => {
    const tail = createLiveTail();
    const told: (string | number | null)[] = [];
    const received: LiveLogLine[] = [];
    tail.subscribe('app_1', {
      onLines: (lines) => {
        told.push('lines');
        received.push(...lines);
      },
      onEnd: () => {},
      onSkipped: (count) => told.push(count),
    });
    for (let i = 0; i < 10_250; i += 1) tail.publish(line(i));
    await nextTurn();
    expect(told).toEqual([250, 'lines']);
    expect(received).toHaveLength(10_000);
    expect(received[0]?.message).toBe('line 250');
    expect(received.at(-1)?.message).toBe('line 10249');

    // The next turn starts its count afresh.
    tail.publish(line(10_250));
    await nextTurn();
    expect(told).toEqual([250, 'lines', 'lines']);
  });
});
