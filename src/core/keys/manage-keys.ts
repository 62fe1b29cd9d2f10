// Listing, creating and deleting a workspace's API keys. A key can only grant scopes its
// creator holds, so api-keys:write cannot be used to escalate.
import { DomainError, notFound } from '../../domain/errors.js';
import { isScope } from '../../domain/scopes.js';
import type { Scope } from '../../domain/scopes.js';
import type { ApiKey, Principal } from '../../domain/workspace.js';
import { recordAudit } from '../audit/record-audit.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';
import { displayPrefix, generatePlainKey, hashKey } from './key-material.js';

export async function listKeys(deps: Pick<Deps, 'store'>, input: { actor: Principal; workspaceId: string }): Promise<ApiKey[]> {
  authorize(input.actor, input.workspaceId, 'api-keys:read');
  return deps.store.apiKeys.list(input.workspaceId);
}

export interface CreateKeyInput {
  actor: Principal;
  workspaceId: string;
  name: string;
  scopes: readonly string[];
  expiresAt: Date | null;
}

export async function createKey(deps: Deps, input: CreateKeyInput): Promise<{ key: ApiKey; plainKey: string }> {
  authorize(input.actor, input.workspaceId, 'api-keys:write');
  const problems: string[] = [];
  if (input.name.trim() === '') problems.push('name must not be empty');
  const unknown = input.scopes.filter((scope) => !isScope(scope));
  if (unknown.length > 0) problems.push(`unknown scopes: ${unknown.join(', ')}`);
  if (input.scopes.length === 0) problems.push('scopes must name at least one scope');
  if (input.expiresAt && input.expiresAt <= deps.clock.now()) problems.push('expiresAt must be in the future');
  if (problems.length > 0) throw new DomainError('invalid', problems[0] ?? 'invalid', problems);
  const scopes = [...new Set(input.scopes.filter(isScope))];
  const missing = scopes.filter((scope) => !input.actor.scopes.includes(scope));
  if (missing.length > 0) throw new DomainError('forbidden', `Cannot grant scopes you do not hold: ${missing.join(', ')}`);
  const created = await issueKey(deps, { workspaceId: input.workspaceId, name: input.name.trim(), scopes, expiresAt: input.expiresAt });
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: input.workspaceId,
    action: 'api_key.create',
    targetType: 'api_key',
    targetId: created.key.id,
    detail: { name: created.key.name, scopes },
  });
  return created;
}

/** Stores a new key (given, or generated) and returns it with its plain text, shown once. */
export async function issueKey(
  deps: Pick<Deps, 'store' | 'clock' | 'ids'>,
  input: { workspaceId: string; name: string; scopes: Scope[]; expiresAt: Date | null; plainKey?: string },
): Promise<{ key: ApiKey; plainKey: string }> {
  const plainKey = input.plainKey ?? generatePlainKey();
  const key: ApiKey = {
    id: deps.ids('apiKey'),
    workspaceId: input.workspaceId,
    name: input.name,
    keyPrefix: displayPrefix(plainKey),
    scopes: input.scopes,
    expiresAt: input.expiresAt,
    lastUsedAt: null,
    createdAt: deps.clock.now(),
  };
  await deps.store.apiKeys.create({ ...key, keyHash: hashKey(plainKey) });
  return { key, plainKey };
}

export async function deleteKey(deps: Deps, input: { actor: Principal; workspaceId: string; keyId: string }): Promise<void> {
  authorize(input.actor, input.workspaceId, 'api-keys:write');
  const deleted = await deps.store.apiKeys.delete(input.workspaceId, input.keyId, deps.clock.now());
  if (!deleted) notFound('API key');
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: input.workspaceId,
    action: 'api_key.delete',
    targetType: 'api_key',
    targetId: input.keyId,
  });
}
