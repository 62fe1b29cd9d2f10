// Retention: artifacts and revision trees of revisions that hold traffic or are among an app's
// last 10 are kept (so rollback always works), and so are those served recently, which the
// reconciler keeps a warm instance of (15 minutes), and those of an app's last 10 successful
// builds of versions (so they can be deployed); the builder removes the rest.
import type { Deps } from '../deps.js';

export const keptRevisionsPerApp = 10;
/** Artifacts of each app's newest successful builds of versions (spec 003), deployed or not. */
export const keptBuildsPerApp = 10;
/** Longer than the reconciler's warm window, so no warm instance loses its tree. */
export const recentlyServedMs = 20 * 60_000;

export async function collectGarbage(deps: Pick<Deps, 'store' | 'builder' | 'clock'>): Promise<void> {
  const servedSince = deps.clock.now().getTime() - recentlyServedMs;
  const imageRefs = new Set<string>();
  const revisionDirs = new Set<string>();
  const traffic = await deps.store.traffic.all();
  for (const app of await deps.store.apps.listLive()) {
    const serving = new Set((traffic.get(app.id) ?? []).map((s) => s.revisionId));
    const revisions = await deps.store.revisions.list(app.id);
    revisions.forEach((revision, index) => {
      const recent = revision.lastServedAt !== null && revision.lastServedAt.getTime() > servedSince;
      if (index < keptRevisionsPerApp || serving.has(revision.id) || recent) {
        imageRefs.add(revision.imageRef);
        revisionDirs.add(revision.artifactDir);
      }
    });
  }
  for (const imageRef of await deps.store.appBuilds.keptImageRefs(keptBuildsPerApp)) imageRefs.add(imageRef);
  await deps.builder.collectGarbage({ imageRefs, revisionDirs });
}
