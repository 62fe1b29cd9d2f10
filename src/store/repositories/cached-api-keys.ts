// Every API request authenticates, so the key behind a hash is remembered for a few seconds
// instead of read per request. This process is the only writer of keys: a delete evicts at once
// (a deleted key is refused immediately), a touch updates the copy, and expiry is the core's
// check on the returned key, so an expired key is refused immediately too. Misses are not kept.
import type { ApiKeyRepository } from '../../core/ports/store.js';
import type { ApiKey } from '../../domain/workspace.js';

export interface KeyCacheOptions {
  /** How long a looked-up key is trusted without reading the store again. */
  ttlMs: number;
  maxEntries: number;
  now: () => number;
}

const defaults: KeyCacheOptions = { ttlMs: 10_000, maxEntries: 1_000, now: () => performance.now() };

interface Entry {
  key: ApiKey;
  until: number;
}

export function cachedApiKeys(inner: ApiKeyRepository, options: KeyCacheOptions = defaults): ApiKeyRepository {
  const byHash = new Map<string, Entry>();
  /** Bumped by every delete: a lookup that started before one does not cache what it read. */
  let generation = 0;

  const evict = (keyId: string) => {
    for (const [hash, entry] of byHash) if (entry.key.id === keyId) byHash.delete(hash);
  };

  return {
    create: (key) => inner.create(key),
    list: (workspaceId) => inner.list(workspaceId),
    async byHash(keyHash) {
      const cached = byHash.get(keyHash);
      if (cached && cached.until > options.now()) return cached.key;
      byHash.delete(keyHash);
      const started = generation;
      const key = await inner.byHash(keyHash);
      if (key && started === generation) {
        if (byHash.size >= options.maxEntries) byHash.delete(byHash.keys().next().value ?? '');
        byHash.set(keyHash, { key, until: options.now() + options.ttlMs });
      }
      return key;
    },
    async delete(workspaceId, keyId, at) {
      generation += 1;
      evict(keyId);
      try {
        return await inner.delete(workspaceId, keyId, at);
      } finally {
        generation += 1;
        evict(keyId);
      }
    },
    async touch(keyId, at) {
      await inner.touch(keyId, at);
      for (const entry of byHash.values()) if (entry.key.id === keyId) entry.key = { ...entry.key, lastUsedAt: at };
    },
  };
}
