// An app whose storage only one writer may use (an SQLITE database, a single-writer volume) runs
// one replica: min, max and any scale are brought down to 1.
import { refuse } from '../../domain/errors.js';
import type { Deps } from '../deps.js';

export async function pinToOneReplica(deps: Pick<Deps, 'store' | 'clock'>, appId: string): Promise<void> {
  const app = await deps.store.apps.byId(appId);
  if (!app || (app.maxReplicas === 1 && app.minReplicas === 1 && (app.replicas ?? 1) <= 1)) return;
  await deps.store.apps.update({ ...app, minReplicas: 1, maxReplicas: 1, replicas: app.replicas === null ? null : Math.min(app.replicas, 1), updatedAt: deps.clock.now() });
}

/** Whether the app must stay on one replica. */
export async function pinnedToOneReplica(deps: Pick<Deps, 'store'>, appId: string): Promise<boolean> {
  if ((await deps.store.volumes.list(appId)).some((v) => v.singleWriter)) return true;
  for (const attachment of await deps.store.databases.attachmentsOfApp(appId)) {
    if ((await deps.store.databases.byId(attachment.databaseId))?.engine === 'SQLITE') return true;
  }
  return false;
}

/** Refuses more than one replica for a pinned app, naming the field. */
export async function refuseReplicasOfPinned(deps: Pick<Deps, 'store'>, appId: string, asked: { maxReplicas?: number; replicas?: number }): Promise<void> {
  const over = (['maxReplicas', 'replicas'] as const).filter((key) => (asked[key] ?? 0) > 1);
  if (over.length === 0 || !(await pinnedToOneReplica(deps, appId))) return;
  refuse(over.map((key) => `${key} must be at most 1: the app uses storage only one writer may use (an SQLITE database or a single-writer volume)`));
}
