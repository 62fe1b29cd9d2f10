// The key cache answers repeated lookups from memory, but never keeps a deleted key: not after
// the delete, and not when a lookup that read the key before the delete finishes after it.
import { describe, expect, it } from 'vitest';
import type { ApiKeyRepository, StoredApiKey } from '../../core/ports/store.js';
import { cachedApiKeys } from './cached-api-keys.js';

const stored: StoredApiKey = {
  id: 'key_1',
  workspaceId: 'ws_1',
  name: 'ci',
  keyPrefix: 'dor_sk_abc',
  scopes: ['apps:read'],
  expiresAt: null,
  lastUsedAt: null,
  createdAt: new Date('2030-01-01T00:00:00Z'),
  keyHash: 'hash-1',
};

function fakeStore() {
  const keys = new Map<string, StoredApiKey>([[stored.keyHash, { ...stored }]]);
  let reads = 0;
  let gate: Promise<void> | null = null;
  const inner: ApiKeyRepository = {
    create: async (key) => void keys.set(key.keyHash, key),
    list: async () => [...keys.values()],
    async byHash(hash) {
      reads += 1;
      const found = keys.get(hash) ?? null;
      await gate;
      return found;
    },
    async delete(_ws, keyId) {
      for (const [hash, key] of keys) if (key.id === keyId) keys.delete(hash);
      return true;
    },
    async touch(keyId, at) {
      for (const key of keys.values()) if (key.id === keyId) key.lastUsedAt = at;
    },
  };
  return {
    inner,
    reads: () => reads,
    hold() {
      let release = () => {};
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = null;
        release();
      };
    },
  };
}

describe('cachedApiKeys', () => {
  it('answers repeated lookups from memory until the ttl passes', async () => {
    const store = fakeStore();
    let now = 0;
    const keys = cachedApiKeys(store.inner, { ttlMs: 1000, maxEntries: 10, now: () => now });
    expect((await keys.byHash('hash-1'))?.id).toBe('key_1');
    expect((await keys.byHash('hash-1'))?.id).toBe('key_1');
    expect(store.reads()).toBe(1);
    now = 1001;
    await keys.byHash('hash-1');
    expect(store.reads()).toBe(2);
  });

  it('does not remember misses, so a key created a moment ago works at once', async () => {
    const store = fakeStore();
    const keys = cachedApiKeys(store.inner);
    expect(await keys.byHash('hash-2')).toBeNull();
    await keys.create({ ...stored, id: 'key_2', keyHash: 'hash-2' });
    expect((await keys.byHash('hash-2'))?.id).toBe('key_2');
  });

  it('forgets a deleted key at once', async () => {
    const keys = cachedApiKeys(fakeStore().inner);
    await keys.byHash('hash-1');
    await keys.delete('ws_1', 'key_1', new Date());
    expect(await keys.byHash('hash-1')).toBeNull();
  });

  it('does not cache a key read before a delete that finished first', async () => {
    const store = fakeStore();
    const keys = cachedApiKeys(store.inner);
    const release = store.hold();
    const lookup = keys.byHash('hash-1');
    await keys.delete('ws_1', 'key_1', new Date());
    release();
    expect((await lookup)?.id).toBe('key_1'); // it raced the delete and may answer what it read
    expect(await keys.byHash('hash-1')).toBeNull();
  });

  it('keeps lastUsedAt current after a touch, so the core does not touch on every request', async () => {
    const keys = cachedApiKeys(fakeStore().inner);
    await keys.byHash('hash-1');
    const at = new Date('2030-02-01T00:00:00Z');
    await keys.touch('key_1', at);
    expect((await keys.byHash('hash-1'))?.lastUsedAt).toEqual(at);
  });

  it('holds at most maxEntries keys', async () => {
    const store = fakeStore();
    for (let i = 2; i <= 5; i++) await store.inner.create({ ...stored, id: `key_${i}`, keyHash: `hash-${i}` });
    const keys = cachedApiKeys(store.inner, { ttlMs: 10_000, maxEntries: 2, now: () => 0 });
    for (let i = 1; i <= 5; i++) await keys.byHash(`hash-${i}`);
    const before = store.reads();
    await keys.byHash('hash-5');
    await keys.byHash('hash-1');
    expect(store.reads()).toBe(before + 1);
  });
});
