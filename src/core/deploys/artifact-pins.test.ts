import { describe, expect, it } from 'vitest';
import { createArtifactPins } from './artifact-pins.js';

describe('artifact pins', () => {
  it('spares a key while it is held, and for a prune that started before its release', async () => {
    const pins = createArtifactPins();
    const release = pins.hold(['sha256:a', '/revisions/d1']);
    let during: boolean[] = [];
    await pins.exclusive('all', async (spared) => {
      during = [spared('sha256:a'), spared('/revisions/d1'), spared('sha256:b')];
      release();
      pins.hold(['sha256:c'])();
      // Released after this prune read the store: it may not have seen the row that keeps them now.
      during.push(spared('sha256:a'), spared('sha256:c'));
    });
    expect(during).toEqual([true, true, false, true, true]);
    // A later prune reads the store after the releases: nothing is spared for it.
    let later: boolean[] = [];
    await pins.exclusive('all', async (spared) => void (later = [spared('sha256:a'), spared('sha256:c')]));
    expect(later).toEqual([false, false]);
  });

  it('counts holds of one key, releases each once, and runs prunes one at a time (asking twice while one waits runs it once)', async () => {
    const pins = createArtifactPins();
    const first = pins.hold(['k']);
    const second = pins.hold(['k']);
    first();
    first();
    let held = false;
    await pins.exclusive('all', async (spared) => void (held = spared('k')));
    expect(held).toBe(true);
    second();
    const order: string[] = [];
    let started = (): void => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const slow = pins.exclusive('all', async () => {
      started();
      await new Promise((r) => setTimeout(r, 20));
      order.push('slow');
    });
    await running;
    // Asked while one runs: waits for it. Asked again before that one starts: joins it.
    const next = pins.exclusive('all', async () => void order.push('next'));
    const joined = pins.exclusive('all', async () => void order.push('joined'));
    expect(joined).toBe(next);
    await Promise.all([slow, next]);
    expect(order).toEqual(['slow', 'next']);
    await expect(pins.exclusive('all', async () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    await pins.exclusive('all', async (spared) => void (held = spared('k')));
    expect(held).toBe(false);
  });

  it('joins a waiting prune of the same scope only, and settles once every prune has ended', async () => {
    const pins = createArtifactPins();
    const order: string[] = [];
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let started = (): void => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const first = pins.exclusive('app:a', async () => {
      started();
      await gate;
      order.push('a1');
    });
    await running;
    const b = pins.exclusive('app:b', async () => void order.push('b'));
    const a2 = pins.exclusive('app:a', async () => void order.push('a2'));
    expect(pins.exclusive('app:b', async () => void order.push('b again'))).toBe(b);
    expect(pins.exclusive('app:a', async () => void order.push('a again'))).toBe(a2);
    let settled = false;
    const done = pins.settled().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    open();
    await Promise.all([first, b, a2, done]);
    expect(order).toEqual(['a1', 'b', 'a2']);
    expect(settled).toBe(true);
  });
});
