// A second tenant in a running test Berth, made by the same use-cases the first start uses
// (createWorkspace + issueKey), so isolation tests need no hand-written rows.
import { createWorkspace } from '../../src/core/keys/bootstrap.js';
import { issueKey } from '../../src/core/keys/manage-keys.js';
import { systemClock } from '../../src/core/ports/clock.js';
import type { Clock } from '../../src/core/ports/clock.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { scopes as allScopes } from '../../src/domain/scopes.js';
import type { Scope } from '../../src/domain/scopes.js';
import type { TestBerth } from './test-berth.js';

export interface AnotherWorkspace {
  workspaceId: string;
  /** A plain key of the new workspace (every scope unless told otherwise). */
  key: string;
}

export async function anotherWorkspace(
  t: TestBerth,
  options: { name?: string; scopes?: Scope[]; clock?: Clock } = {},
): Promise<AnotherWorkspace> {
  const deps = { store: t.berth.store, clock: options.clock ?? systemClock, ids: createIdGenerator() };
  const workspace = await createWorkspace(deps, { name: options.name ?? 'Another workspace' });
  const { plainKey } = await issueKey(deps, {
    workspaceId: workspace.id,
    name: 'admin',
    scopes: options.scopes ?? [...allScopes],
    expiresAt: null,
  });
  return { workspaceId: workspace.id, key: plainKey };
}
