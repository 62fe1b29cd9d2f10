// A tarball sent in the request itself (spec 002's multipart /build), built and deployed: streamed
// to disk within the same size limit as a presigned upload, hashed on the way, refused at once
// (400, nothing kept) when it is not a .tar.gz, then stored as a completed upload of the app and
// built like one (its entries are checked when it is extracted, as for every upload).
import crypto from 'node:crypto';
import type { App } from '../../domain/app.js';
import type { Upload } from '../../domain/build.js';
import type { Deployment } from '../../domain/deployment.js';
import { DomainError } from '../../domain/errors.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';
import { queueBuild } from './trigger-deploy.js';

export async function buildUpload(deps: Deps, input: AppRef & { body: AsyncIterable<Uint8Array> }): Promise<{ upload: Upload; deployment: Deployment }> {
  const app = await findApp(deps, input, 'deploy:write');
  const uploadId = deps.ids('upload');
  // Pinned until its deployment is stored: a prune meanwhile spares a tarball no record keeps yet.
  const release = deps.pins.hold([uploadId]);
  try {
    const upload = await receivedUpload(deps, app, uploadId, input.body);
    await recordAudit(deps, { actor: input.actor, workspaceId: app.workspaceId, appId: app.id, action: 'upload.receive', targetType: 'upload', targetId: upload.id, detail: { sizeBytes: upload.sizeBytes, sha256: upload.sha256 } });
    const deployment = await queueBuild(deps, { app, source: { type: 'UPLOAD', uploadId }, triggerType: 'MANUAL', actor: input.actor });
    return { upload, deployment };
  } finally {
    release();
  }
}

/** Streams the tarball to disk, refuses what is not a .tar.gz (keeping nothing), and stores it as a completed upload. */
async function receivedUpload(deps: Deps, app: App, uploadId: string, body: AsyncIterable<Uint8Array>): Promise<Upload> {
  const received = await deps.builder.receiveUpload(uploadId, body, deps.settings.builds.maxUploadBytes);
  const problem = received.sizeBytes === 0 ? 'is empty' : await deps.builder.uploadProblem(uploadId);
  if (problem) {
    await deps.builder.discardUpload(uploadId);
    throw new DomainError('invalid', `The tarball ${problem}`);
  }
  const now = deps.clock.now();
  const upload: Upload = {
    id: uploadId,
    appId: app.id,
    workspaceId: app.workspaceId,
    // Received in the request: no URL was handed out, so no token can ever match this one.
    tokenHash: crypto.randomBytes(32).toString('hex'),
    declaredSize: received.sizeBytes,
    declaredSha256: received.sha256,
    status: 'complete',
    sizeBytes: received.sizeBytes,
    sha256: received.sha256,
    expiresAt: now,
    createdAt: now,
  };
  await deps.store.uploads.create(upload);
  return upload;
}
