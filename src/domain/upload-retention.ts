// Which uploaded tarballs Berth keeps (BERTH_KEEP_REVISIONS): they are the sources of rebuilds (a
// deploy without an upload id rebuilds the app's latest complete one, any complete one may be
// deployed by id), so each live app keeps its newest N complete ones, those a deployment in flight
// builds from, and the incomplete ones until they expire. Everything else on disk may go.
import type { UploadStatus } from './build.js';

export interface RetainedUpload {
  id: string;
  status: UploadStatus;
  expiresAt: Date;
}

export interface AppUploads {
  /** Newest first (ids are time-ordered, as the app's latest complete upload is found). */
  uploads: readonly RetainedUpload[];
  /** Uploads that deployments not yet ended build from. */
  inFlight: ReadonlySet<string>;
}

export interface UploadRetentionInput {
  /** Live apps only: a deleted app keeps no upload. */
  apps: readonly AppUploads[];
  /** BERTH_KEEP_REVISIONS: the newest complete uploads of each app that keep their tarballs. */
  keepRevisions: number;
  now: Date;
}

/** The ids of the uploads whose tarballs stay; any other tarball is pruned. */
export function keptUploads(input: UploadRetentionInput): Set<string> {
  const kept = new Set<string>();
  for (const app of input.apps) {
    let complete = 0;
    for (const upload of app.uploads) {
      const newest = upload.status === 'complete' && complete++ < input.keepRevisions;
      const open = upload.status !== 'complete' && upload.expiresAt.getTime() > input.now.getTime();
      if (newest || open || app.inFlight.has(upload.id)) kept.add(upload.id);
    }
  }
  return kept;
}

export interface StoredTarball {
  id: string;
  /** Null: no record says whose it is (a crash between writing it and storing the record). */
  upload: (RetainedUpload & { appId: string }) | null;
}

/**
 * The tarballs on disk the periodic sweep removes without waiting for a deploy: those of uploads
 * never completed whose URL has expired, of deleted apps, and those no record claims. A complete
 * upload stays (deploys build from them, and the sweep leaves BERTH_KEEP_REVISIONS to the prunes).
 */
export function sweptUploads(input: { tarballs: readonly StoredTarball[]; liveApps: ReadonlySet<string>; now: Date }): Set<string> {
  const swept = new Set<string>();
  for (const { id, upload } of input.tarballs) {
    const expired = upload !== null && upload.status !== 'complete' && upload.expiresAt.getTime() <= input.now.getTime();
    if (upload === null || expired || !input.liveApps.has(upload.appId)) swept.add(id);
  }
  return swept;
}

/** What deploying a pruned upload answers, naming the setting that decides. */
export function prunedUploadMessage(uploadId: string): string {
  return `The tarball of upload ${uploadId} was pruned: Berth keeps the tarballs of each app's newest BERTH_KEEP_REVISIONS complete uploads and of deployments in flight; upload the source again`;
}
