// Tenants and the keys that act in them.
import type { Scope } from './scopes.js';

export interface Workspace {
  id: string;
  name: string;
  createdAt: Date;
}

export interface ApiKey {
  id: string;
  workspaceId: string;
  name: string;
  /** The first characters of the plain key, for recognising it in lists. */
  keyPrefix: string;
  scopes: Scope[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

/** Who is calling: the key's identity, as established by authentication. */
export interface Principal {
  keyId: string;
  workspaceId: string;
  scopes: readonly Scope[];
}
