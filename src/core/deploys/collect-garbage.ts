// Retention (BERTH_KEEP_REVISIONS) of every app at once, when Berth starts: reads what keeps build
// output (revisions by age, traffic, running and warm instances, deployments in flight, recent
// builds) and uploaded tarballs, lets the domain choose, and has the builder remove the rest,
// leftovers of a crash included. After a deploy only that app is pruned (prune-app.ts). Records
// are never removed: a pruned revision or upload stays listed, and deploying it again answers that it was pruned.
import { keptTrees, type AppRetention } from '../../domain/retention.js';
import type { Deps } from '../deps.js';
import { keptUploadIds } from './kept-uploads.js';

/** Longer than the reconciler's warm window, so a revision it is about to warm keeps its tree. */
export const recentlyServedMs = 20 * 60_000;

export type GcDeps = Pick<Deps, 'store' | 'builder' | 'clock' | 'orchestrator' | 'settings' | 'pins'>;

/** What keeps one app's build output: its revisions, the revisions in its traffic table, what runs and what is in flight. */
export async function appRetention(deps: GcDeps, appId: string, inTraffic: ReadonlySet<string>): Promise<AppRetention> {
  const servedSince = deps.clock.now().getTime() - recentlyServedMs;
  const [revisions, inFlight, instances] = await Promise.all([
    deps.store.revisions.list(appId),
    deps.store.deployments.listActive(appId),
    deps.orchestrator.instances(appId),
  ]);
  const running = new Set(instances.filter((i) => i.phase !== 'stopping').map((i) => i.revisionId));
  const stopping = new Set(instances.filter((i) => i.phase === 'stopping').map((i) => i.revisionId));
  for (const r of revisions) if (r.lastServedAt !== null && r.lastServedAt.getTime() > servedSince) running.add(r.id);
  return { revisions, inTraffic, running, stopping, inFlight: inFlight.map((d) => ({ revisionName: d.revisionName, imageRef: d.imageRef })) };
}

/** Prunes build output nothing keeps, of every app (an artifact may be shared by several). */
export async function collectGarbage(deps: GcDeps): Promise<void> {
  await deps.pins.exclusive('all', async (spared) => {
    const keepRevisions = deps.settings.builds.keepRevisions;
    const traffic = await deps.store.traffic.all();
    const live = await deps.store.apps.listLive();
    const apps = await Promise.all(live.map((app) => appRetention(deps, app.id, new Set((traffic.get(app.id) ?? []).map((s) => s.revisionId)))));
    const kept = keptTrees({ apps, buildImageRefs: await deps.store.appBuilds.keptImageRefs(keepRevisions), keepRevisions });
    const uploads = await keptUploadIds(deps, live.map((app) => app.id));
    await deps.builder.collectGarbage({
      imageRef: (ref) => kept.imageRefs.has(ref) || spared(ref),
      revisionDir: (dir) => kept.revisionDirs.has(dir) || spared(dir),
      upload: (uploadId) => uploads.has(uploadId) || spared(uploadId),
    });
  });
}
