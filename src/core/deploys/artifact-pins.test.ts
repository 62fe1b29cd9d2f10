import { describe, expect, it } from 'vitest';
import { createArtifactPins } from './artifact-pins.js';

describe('artifact pins', () => {
  it('spares a key while it is held, and for a prune that started before its release', async () => {
    const pins = createArtifactPins();
    const release = pins.hold(['sha256:a', '/revisions/d1']);
    const during = await pins.exclusive(async (spared) => {
      const heldNow = [spared('sha256:a'), spared('/revisions/d1'), spared('sha256:b')];
      release();
      pins.hold(['sha256:c'])();
      // Released after this prune read the store: it may not have seen the row that keeps them now.
      return [...heldNow, spared('sha256:a'), spared('sha256:c')];
    });
    expect(during).toEqual([true, true, false, true, true]);
    // A later prune reads the store after the releases: nothing is spared for it.
    expect(await pins.exclusive(async (spared) => [spared('sha256:a'), spared('sha256:c')])).toEqual([false, false]);
  });

  it('counts holds of one key, releases each once, and runs prunes one at a time', async () => {
    const pins = createArtifactPins();
    const first = pins.hold(['k']);
    const second = pins.hold(['k']);
    first();
    first();
    expect(await pins.exclusive(async (spared) => spared('k'))).toBe(true);
    second();
    const order: string[] = [];
    const slow = pins.exclusive(async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('slow');
    });
    const fast = pins.exclusive(async () => void order.push('fast'));
    await Promise.all([slow, fast]);
    expect(order).toEqual(['slow', 'fast']);
    await expect(pins.exclusive(async () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(await pins.exclusive(async (spared) => spared('k'))).toBe(false);
  });
});
