// A RUNNING database whose server Berth stopped restarting (it had served, then failed to start
// again too many times in a row) becomes FAILED with the server's reason, and the audit trail
// says so. Its data is left as it was.
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';

export async function databaseServerGaveUp(deps: Pick<Deps, 'store' | 'clock' | 'ids'>, input: { databaseId: string; reason: string }): Promise<void> {
  const database = await deps.store.databases.byId(input.databaseId);
  // Deleted meanwhile, or already FAILED: nothing to say.
  if (!database || database.status !== 'running') return;
  await deps.store.databases.setStatus(database.id, 'failed', input.reason, deps.clock.now());
  await recordAudit(deps, {
    actor: null,
    workspaceId: database.workspaceId,
    action: 'database.fail',
    targetType: 'database',
    targetId: database.id,
    detail: { engine: database.engine, reason: input.reason },
  });
}
