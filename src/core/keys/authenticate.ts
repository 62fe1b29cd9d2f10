// Turns a presented key into a Principal, or refuses: unknown, deleted and expired keys are 401.
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../../domain/workspace.js';
import type { Deps } from '../deps.js';
import { hashKey, keyPrefix } from './key-material.js';

export async function authenticate(deps: Pick<Deps, 'store' | 'clock'>, input: { plainKey: string | null }): Promise<Principal> {
  if (!input.plainKey || !input.plainKey.startsWith(keyPrefix)) {
    throw new DomainError('unauthorized', 'Missing or malformed API key');
  }
  const key = await deps.store.apiKeys.byHash(hashKey(input.plainKey));
  const now = deps.clock.now();
  if (!key) throw new DomainError('unauthorized', 'Invalid API key');
  if (key.expiresAt && key.expiresAt <= now) throw new DomainError('unauthorized', 'API key has expired');
  // Last-used is informative; refreshing it at most once a minute keeps auth write-free.
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > 60_000) await deps.store.apiKeys.touch(key.id, now);
  return { keyId: key.id, workspaceId: key.workspaceId, scopes: key.scopes };
}

/** For the edge: the workspace a key belongs to, or null, without throwing. */
export async function keyWorkspace(deps: Pick<Deps, 'store' | 'clock'>, plainKey: string): Promise<string | null> {
  try {
    return (await authenticate(deps, { plainKey })).workspaceId;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'unauthorized') return null;
    throw error;
  }
}
