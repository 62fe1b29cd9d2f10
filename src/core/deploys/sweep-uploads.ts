// The periodic sweep of uploaded tarballs (BERTH_UPLOAD_SWEEP_MS): an upload never completed
// whose URL expired goes without waiting for a deploy of its app to prune it. It starts from the
// tarballs on disk (few: retention bounds them), reads their records and their apps' liveness,
// and lets the domain choose; a deploy or complete pinning an upload meanwhile is spared.
import { sweptUploads, type StoredTarball } from '../../domain/upload-retention.js';
import type { Deps } from '../deps.js';

type SweepDeps = Pick<Deps, 'store' | 'builder' | 'clock' | 'pins'>;

export async function sweepUploads(deps: SweepDeps): Promise<void> {
  await deps.pins.exclusive('uploads', async (spared) => {
    const ids = await deps.builder.storedUploads();
    if (ids.length === 0) return;
    const records = new Map((await deps.store.uploads.byIds(ids)).map((u) => [u.id, u]));
    const liveApps = new Set<string>();
    for (const appId of new Set([...records.values()].map((u) => u.appId))) if (await deps.store.apps.byId(appId)) liveApps.add(appId);
    const tarballs: StoredTarball[] = ids.map((id) => ({ id, upload: records.get(id) ?? null }));
    const swept = sweptUploads({ tarballs, liveApps, now: deps.clock.now() });
    if (swept.size > 0) await deps.builder.removeOutput({ imageRefs: [], revisionDirs: [], uploads: swept }, spared);
  });
}
