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
 * The app's builds and deployments: the artifacts they built (a failed rollout's is no revision's)
 * and those that have ended, whose leftovers may go. Read before the revisions: a deployment seen
 * ended here has its revision row already, so its tree is seen as that revision's.
 */
async function appJobs(deps: GcDeps, appId: string) {
  const [builds, deployments] = await Promise.all([deps.store.appBuilds.list(appId, { limit: allBuilds }), deps.store.deployments.listAll(appId)]);
  const imageRefs = [...builds.map((b) => b.imageRef), ...deployments.map((d) => d.imageRef)].filter((ref) => ref !== null);
  const ended = [...builds.filter((b) => terminalAppBuildStatuses.includes(b.status)), ...deployments.filter((d) => isTerminal(d.status))].map((job) => job.id);
  return { imageRefs, ended };
}

/** The live apps but this one with a revision or build of any of these artifacts, and what keeps their output. */
async function sharers(deps: GcDeps, appId: string, imageRefs: readonly string[]) {
  const sharing = new Set([...(await deps.store.revisions.appIdsUsing(imageRefs)), ...(await deps.store.appBuilds.appIdsUsing(imageRefs))]);
  sharing.delete(appId);
  const live: string[] = [];
  for (const id of sharing) if (await deps.store.apps.byId(id)) live.push(id);
  const apps = await Promise.all(live.map(async (id) => appRetention(deps, id, await trafficOf(deps, id))));
  return { apps, buildImageRefs: await deps.store.appBuilds.keptImageRefsOf(live, deps.settings.builds.keepRevisions) };
}

/** Prunes what one app's retention no longer keeps (all of it once the app is deleted), unless another app keeps it. */
export async function pruneApp(deps: GcDeps, input: { appId: string }): Promise<void> {
  await deps.pins.exclusive(`app:${input.appId}`, async (spared) => {
    const keepRevisions = deps.settings.builds.keepRevisions;
    const live = (await deps.store.apps.byId(input.appId)) !== null;
    const jobs = await appJobs(deps, input.appId);
    const own = await appRetention(deps, input.appId, await trafficOf(deps, input.appId));
    const output = { imageRefs: [...own.revisions.map((r) => r.imageRef), ...jobs.imageRefs], revisionDirs: new Set(own.revisions.map((r) => r.artifactDir)) };
    const ownApps = live ? [own] : [];
    const ownBuilds = live ? await deps.store.appBuilds.keptImageRefsOf([input.appId], keepRevisions) : new Set<string>();
    const alone = prunableOfApp({ apps: ownApps, buildImageRefs: ownBuilds, keepRevisions, own: output });
    // Only the artifacts this app would remove are asked about: the apps sharing them decide too.
    const refs = [...alone.imageRefs];
    const others = await sharers(deps, input.appId, refs);
    const buildImageRefs = new Set([...ownBuilds, ...others.buildImageRefs]);
    const pruned = prunableOfApp({ apps: [...ownApps, ...others.apps], buildImageRefs, keepRevisions, own: { imageRefs: refs, revisionDirs: alone.revisionDirs } });
    const kept = live ? await keptUploadIds(deps, [input.appId]) : new Set<string>();
    const uploads = (await deps.store.uploads.list(input.appId)).map((u) => u.id).filter((id) => !kept.has(id));
    // The trees of the revisions the app keeps stay, whichever job made them.
    const keptDirs = new Set([...output.revisionDirs].filter((dir) => !pruned.revisionDirs.has(dir)));
    const keep = (key: string) => keptDirs.has(key) || spared(key);
    await deps.builder.removeOutput({ imageRefs: pruned.imageRefs, revisionDirs: pruned.revisionDirs, uploads, jobs: jobs.ended }, keep);
  });
}

/** After a deployment ended or an instance stopped: started, not awaited, so the caller (a build slot) goes on. */
export function pruneQuietly(deps: GcDeps, appId: string): void {
  // What the caller did is recorded already and must not change; the builder logs what it could
  // not remove, and the next deployment or stop of the app prunes again (and every start prunes all).
  void pruneApp(deps, { appId }).catch(() => undefined);
}
