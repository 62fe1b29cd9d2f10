// Retention of uploaded tarballs (BERTH_KEEP_REVISIONS): reads each live app's uploads and the
// uploads its deployments in flight build from, and lets the domain choose which tarballs stay.
import { keptUploads, type AppUploads } from '../../domain/upload-retention.js';
import type { Deps } from '../deps.js';

type KeptUploadDeps = Pick<Deps, 'store' | 'clock' | 'settings'>;

async function appUploads(deps: KeptUploadDeps, appId: string): Promise<AppUploads> {
  const [uploads, active] = await Promise.all([deps.store.uploads.list(appId), deps.store.deployments.listActive(appId)]);
  const jobs = await Promise.all(active.map((d) => deps.store.builds.byDeployment(d.id)));
  return { uploads, inFlight: new Set(jobs.flatMap((job) => (job?.source.type === 'UPLOAD' ? [job.source.uploadId] : []))) };
}

/** The uploads whose tarballs stay, of these live apps (a deleted app's go). */
export async function keptUploadIds(deps: KeptUploadDeps, liveAppIds: readonly string[]): Promise<Set<string>> {
  const apps = await Promise.all(liveAppIds.map((appId) => appUploads(deps, appId)));
  return keptUploads({ apps, keepRevisions: deps.settings.builds.keepRevisions, now: deps.clock.now() });
}
