// Retention (BERTH_KEEP_REVISIONS): reads what keeps build output (revisions by age, traffic,
// running and warm instances, deployments in flight, recent builds) and uploaded tarballs, lets
// the domain choose, and has the builder remove the rest. Records are never removed: a pruned
// revision or upload stays listed, and deploying it again answers that it was pruned.
import type { App } from '../../domain/app.js';
import { keptTrees, type AppRetention } from '../../domain/retention.js';
import type { Deps } from '../deps.js';
import { keptUploadIds } from './kept-uploads.js';

/** Longer than the reconciler's warm window, so a revision it is about to warm keeps its tree. */
export const recentlyServedMs = 20 * 60_000;

type GcDeps = Pick<Deps, 'store' | 'builder' | 'clock' | 'orchestrator' | 'settings' | 'pins'>;

async function appRetention(deps: GcDeps, app: App, inTraffic: ReadonlySet<string>): Promise<AppRetention> {
  const servedSince = deps.clock.now().getTime() - recentlyServedMs;
  const [revisions, inFlight, instances] = await Promise.all([
    deps.store.revisions.list(app.id),
    deps.store.deployments.listActive(app.id),
    deps.orchestrator.instances(app.id),
  ]);
  const running = new Set(instances.filter((i) => i.phase !== 'stopping').map((i) => i.revisionId));
  const stopping = new Set(instances.filter((i) => i.phase === 'stopping').map((i) => i.revisionId));
  for (const r of revisions) if (r.lastServedAt !== null && r.lastServedAt.getTime() > servedSince) running.add(r.id);
  return { revisions, inTraffic, running, stopping, inFlight: inFlight.map((d) => ({ revisionName: d.revisionName, imageRef: d.imageRef })) };
}

/** Prunes build output nothing keeps, of every app (an artifact may be shared by several). */
export async function collectGarbage(deps: GcDeps): Promise<void> {
  await deps.pins.exclusive(async (spared) => {
    const keepRevisions = deps.settings.builds.keepRevisions;
    const traffic = await deps.store.traffic.all();
    const live = await deps.store.apps.listLive();
    const apps = await Promise.all(live.map((app) => appRetention(deps, app, new Set((traffic.get(app.id) ?? []).map((s) => s.revisionId)))));
    const kept = keptTrees({ apps, buildImageRefs: await deps.store.appBuilds.keptImageRefs(keepRevisions), keepRevisions });
    const uploads = await keptUploadIds(deps, live);
    await deps.builder.collectGarbage({
      imageRef: (ref) => kept.imageRefs.has(ref) || spared(ref),
      revisionDir: (dir) => kept.revisionDirs.has(dir) || spared(dir),
      upload: (uploadId) => uploads.has(uploadId) || spared(uploadId),
    });
  });
}

/** After a deployment ended or an instance stopped, off the caller's path. */
export async function pruneQuietly(deps: GcDeps): Promise<void> {
  // What the caller did is recorded already and must not change; the builder logs what it could
  // not remove, and the next deployment, stop or start prunes again.
  await collectGarbage(deps).catch(() => undefined);
}
