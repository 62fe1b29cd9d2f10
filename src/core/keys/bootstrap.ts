// First start on an empty store: one workspace and an admin key with every scope. The caller
// (main.ts) prints the key once and writes it to the data dir.
import { scopes } from '../../domain/scopes.js';
import type { Workspace } from '../../domain/workspace.js';
import type { Deps } from '../deps.js';
import { issueKey } from './manage-keys.js';

export interface BootstrapResult {
  workspace: Workspace;
  /** Present only when this call created it. */
  plainKey: string | null;
}

export async function createWorkspace(deps: Pick<Deps, 'store' | 'clock' | 'ids'>, input: { name: string }): Promise<Workspace> {
  const workspace = { id: deps.ids('workspace'), name: input.name, createdAt: deps.clock.now() };
  await deps.store.workspaces.create(workspace);
  return workspace;
}

export async function bootstrap(
  deps: Pick<Deps, 'store' | 'clock' | 'ids'>,
  input: { bootstrapKey: string | null },
): Promise<BootstrapResult | null> {
  if ((await deps.store.workspaces.count()) > 0) return null;
  const workspace = await createWorkspace(deps, { name: 'Default workspace' });
  const { plainKey } = await issueKey(deps, {
    workspaceId: workspace.id,
    name: 'admin (bootstrap)',
    scopes: [...scopes],
    expiresAt: null,
    ...(input.bootstrapKey ? { plainKey: input.bootstrapKey } : {}),
  });
  return { workspace, plainKey };
}
