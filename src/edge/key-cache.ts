// Resolves API keys to workspaces through the injected resolver, remembering positive answers
// for a few seconds so a busy private app does not query the store per request. Negative
// answers are not kept (a key created a moment ago works at once); concurrent misses share one call.
import type { KeyWorkspaceResolver } from '../core/ports/route-table.js';

export interface KeyCacheOptions {
  resolve: KeyWorkspaceResolver;
  /** How long a positive answer is trusted; a revoked key keeps working at most this long. */
  ttlMs: number;
  maxEntries: number;
  now: () => number;
}

export interface KeyCache {
  /** The key's workspace: synchronously when cached, else a promise (rejects when the resolver fails). */
  workspaceOf(plainKey: string): string | Promise<string | null>;
}

interface Entry {
  workspaceId: string;
  until: number;
}

export function createKeyCache(options: KeyCacheOptions): KeyCache {
  const entries = new Map<string, Entry>();
  const pending = new Map<string, Promise<string | null>>();

  function remember(key: string, workspaceId: string): void {
    if (entries.size >= options.maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done !== true) entries.delete(oldest.value);
    }
    entries.set(key, { workspaceId, until: options.now() + options.ttlMs });
  }

  function lookup(key: string): Promise<string | null> {
    const running = pending.get(key);
    if (running !== undefined) return running;
    const call = options
      .resolve(key)
      .then((workspaceId) => {
        if (workspaceId !== null) remember(key, workspaceId);
        return workspaceId;
      })
      .finally(() => pending.delete(key));
    pending.set(key, call);
    return call;
  }

  return {
    workspaceOf(plainKey) {
      const entry = entries.get(plainKey);
      if (entry !== undefined) {
        if (entry.until > options.now()) return entry.workspaceId;
        entries.delete(plainKey);
      }
      return lookup(plainKey);
    },
  };
}
