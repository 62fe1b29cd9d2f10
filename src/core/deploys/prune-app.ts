// Retention (BERTH_KEEP_REVISIONS) of one app, after its deployment ended or its instance stopped,
// off the caller's path (a build slot is not held while it runs): reads that app's revisions,
// builds, deployments and uploads, and only those other apps that share an artifact it would
// remove (artifacts are content-addressed), never the list of every app.
import { terminalAppBuildStatuses } from '../../domain/app-build.js';
import { isTerminal } from '../../domain/deployment.js';
import { prunableOfApp } from '../../domain/retention.js';
import { appRetention, type GcDeps } from './collect-garbage.js';
import { keptUploadIds } from './kept-uploads.js';

/** Every build of the app: the prune offers their artifacts, as it does its revisions'. */
const allBuilds = 1_000_000;

const trafficOf = async (deps: GcDeps, appId: string) => new Set((await deps.store.traffic.get(appId)).map((s) => s.revisionId));

/**
 * This app's artifacts and trees: of its revisions, its builds and deployments that built one (a
 * failed rollout's), and the jobs (deployments, builds) that have ended, whose leftovers may go.
 */
async function ownOutput(deps: GcDeps, appId: string, revisions: readonly { imageRef: string; artifactDir: string }[]) {
  const [builds, deployments] = await Promise.all([deps.store.appBuilds.list(appId, { limit: allBuilds }), deps.store.deployments.listAll(appId)]);
  const imageRefs = new Set(revisions.map((r) => r.imageRef));
  for (const ref of [...builds.map((b) => b.imageRef), ...deployments.map((d) => d.imageRef)]) if (ref) imageRefs.add(ref);
  const jobs = [...builds.filter((b) => terminalAppBuildStatuses.includes(b.status)), ...deployments.filter((d) => isTerminal(d.status))].map((job) => job.id);
  return { imageRefs, revisionDirs: new Set(revisions.map((r) => r.artifactDir)), jobs };
}

/** Prunes what one app's retention no longer keeps (all of it once the app is deleted), unless another app keeps it. */
export async function pruneApp(deps: GcDeps, input: { appId: string }): Promise<void> {
  await deps.pins.exclusive(`app:${input.appId}`, async (spared) => {
    const keepRevisions = deps.settings.builds.keepRevisions;
    const live = (await deps.store.apps.byId(input.appId)) !== null;
    const own = await appRetention(deps, input.appId, await trafficOf(deps, input.appId));
    const output = await ownOutput(deps, input.appId, own.revisions);
    const ownApps = live ? [own] : [];
    const ownBuilds = live ? await deps.store.appBuilds.keptImageRefsOf([input.appId], keepRevisions) : new Set<string>();
    const alone = prunableOfApp({ apps: ownApps, buildImageRefs: ownBuilds, keepRevisions, own: output });
    // Only the artifacts this app would remove are asked about: the apps sharing them decide too.
    const refs = [...alone.imageRefs];
    const sharing = new Set([...(await deps.store.revisions.appIdsUsing(refs)), ...(await deps.store.appBuilds.appIdsUsing(refs))]);
    sharing.delete(input.appId);
    const sharers: string[] = [];
    for (const appId of sharing) if (await deps.store.apps.byId(appId)) sharers.push(appId);
    const others = await Promise.all(sharers.map(async (appId) => appRetention(deps, appId, await trafficOf(deps, appId))));
    const buildImageRefs = new Set([...ownBuilds, ...(await deps.store.appBuilds.keptImageRefsOf(sharers, keepRevisions))]);
    const pruned = prunableOfApp({ apps: [...ownApps, ...others], buildImageRefs, keepRevisions, own: { imageRefs: refs, revisionDirs: alone.revisionDirs } });
    const kept = live ? await keptUploadIds(deps, [input.appId]) : new Set<string>();
    const uploads = (await deps.store.uploads.list(input.appId)).map((u) => u.id).filter((id) => !kept.has(id));
    // The trees of the revisions the app keeps stay, whichever job made them.
    const keptDirs = new Set([...output.revisionDirs].filter((dir) => !pruned.revisionDirs.has(dir)));
    const keep = (key: string) => keptDirs.has(key) || spared(key);
    await deps.builder.removeOutput({ imageRefs: pruned.imageRefs, revisionDirs: pruned.revisionDirs, uploads, jobs: output.jobs }, keep);
  });
}

/** After a deployment ended or an instance stopped: started, not awaited, so the caller (a build slot) goes on. */
export function pruneQuietly(deps: GcDeps, appId: string): void {
  // What the caller did is recorded already and must not change; the builder logs what it could
  // not remove, and the next deployment or stop of the app prunes again (and every start prunes all).
  void pruneApp(deps, { appId }).catch(() => undefined);
}
