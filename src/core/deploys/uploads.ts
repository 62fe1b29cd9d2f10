// Uploads (client-contract.md): init hands out a PUT URL token that authorizes exactly one
// upload until it expires; the PUT streams the tarball to disk within the declared size; complete
// checks the size and sha256 before a deploy may use it. Tarballs are pruned by retention
// (kept-uploads.ts): an incomplete one once it expired, a complete one beyond BERTH_KEEP_REVISIONS.
import crypto from 'node:crypto';
import type { Upload } from '../../domain/build.js';
import { DomainError } from '../../domain/errors.js';
import { uploadObjectKey, uploadPutPath } from '../../domain/names.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';

const sha256Pattern = /^[a-f0-9]{64}$/;
const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export interface InitUploadResult {
  upload: Upload;
  /** The presigned PUT: its token authorizes this one upload until it expires. */
  putUrl: string;
  putHeaders: Record<string, string>;
  objectKey: string;
  maxSizeBytes: number;
}

/** Where Berth is reached: the operator's public URL, else the scheme and host the client used. */
export function publicBase(deps: Pick<Deps, 'settings'>, requestOrigin: string): string {
  return deps.settings.builds.publicUrl ?? requestOrigin;
}

export async function initUpload(
  deps: Deps,
  input: AppRef & { sizeBytes: number; sha256?: string; /** `scheme://host` the client called. */ requestOrigin: string },
): Promise<InitUploadResult> {
  const app = await findApp(deps, input, 'deploy:write');
  const max = deps.settings.builds.maxUploadBytes;
  const problems: string[] = [];
  if (!Number.isInteger(input.sizeBytes) || input.sizeBytes < 1 || input.sizeBytes > max) problems.push(`sizeBytes must be between 1 and ${max}`);
  if (input.sha256 !== undefined && !sha256Pattern.test(input.sha256.toLowerCase())) problems.push('sha256 must be 64 hexadecimal characters');
  if (problems.length > 0) throw new DomainError('invalid', problems[0] ?? 'invalid', problems);
  const token = crypto.randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const upload: Upload = {
    id: deps.ids('upload'),
    appId: app.id,
    workspaceId: app.workspaceId,
    tokenHash: hashToken(token),
    declaredSize: input.sizeBytes,
    declaredSha256: input.sha256?.toLowerCase() ?? null,
    status: 'pending',
    sizeBytes: null,
    sha256: null,
    expiresAt: new Date(now.getTime() + deps.settings.builds.uploadUrlTtlMs),
    createdAt: now,
  };
  await deps.store.uploads.create(upload);
  await recordAudit(deps, { actor: input.actor, workspaceId: app.workspaceId, appId: app.id, action: 'upload.init', targetType: 'upload', targetId: upload.id, detail: { sizeBytes: input.sizeBytes } });
  return {
    upload,
    putUrl: `${publicBase(deps, input.requestOrigin)}${uploadPutPath(upload.id)}?token=${encodeURIComponent(token)}`,
    putHeaders: { 'Content-Type': 'application/gzip' },
    objectKey: uploadObjectKey(app.id, upload.id),
    maxSizeBytes: max,
  };
}

/** The signed PUT: no API key, the token in the URL is the authorization. */
export async function receiveUpload(
  deps: Pick<Deps, 'store' | 'clock' | 'builder' | 'settings' | 'pins'>,
  input: { uploadId: string; token: string; body: AsyncIterable<Uint8Array> },
): Promise<{ sizeBytes: number }> {
  const upload = await deps.store.uploads.byId(input.uploadId);
  const given = Buffer.from(hashToken(input.token));
  if (!upload || !crypto.timingSafeEqual(given, Buffer.from(upload.tokenHash))) {
    throw new DomainError('forbidden', 'This URL does not authorize an upload');
  }
  if (upload.expiresAt.getTime() <= deps.clock.now().getTime()) throw new DomainError('forbidden', 'This upload URL has expired: call init again');
  if (upload.status !== 'pending') throw new DomainError('conflict', 'This upload has already been received');
  // Pinned while it is written: a prune meanwhile spares it even if the URL expires during the PUT.
  const release = deps.pins.hold([upload.id]);
  try {
    const written = await deps.builder.receiveUpload(upload.id, input.body, Math.min(upload.declaredSize, deps.settings.builds.maxUploadBytes));
    await deps.store.uploads.update(upload.id, { status: 'uploaded', sizeBytes: written.sizeBytes, sha256: written.sha256 });
    return { sizeBytes: written.sizeBytes };
  } finally {
    release();
  }
}

export async function completeUpload(deps: Deps, input: AppRef & { uploadId: string; sha256?: string }): Promise<Upload> {
  const app = await findApp(deps, input, 'deploy:write');
  const upload = await deps.store.uploads.byId(input.uploadId);
  if (!upload || upload.appId !== app.id) throw new DomainError('not_found', 'Upload not found');
  if (upload.status === 'pending') throw new DomainError('conflict', 'Nothing was uploaded yet: PUT the tarball to the presigned URL first');
  const expected = input.sha256?.toLowerCase() ?? upload.declaredSha256;
  const problems: string[] = [];
  if (upload.sizeBytes !== upload.declaredSize) problems.push(`size mismatch: declared ${upload.declaredSize} bytes, received ${upload.sizeBytes ?? 0}`);
  if (!expected) problems.push('sha256 is required (at init or complete)');
  else if (expected !== upload.sha256) problems.push('sha256 mismatch: the received bytes have a different sha256');
  if (problems.length > 0) throw new DomainError('invalid', problems[0] ?? 'invalid', problems);
  if (upload.status !== 'complete') await markComplete(deps, upload.id);
  return { ...upload, status: 'complete' };
}

/**
 * An incomplete upload's tarball is pruned once its URL has expired, so completing it checks that
 * the tarball is still there, pinned until the record says complete (a prune after keeps it then).
 */
async function markComplete(deps: Deps, uploadId: string): Promise<void> {
  const release = deps.pins.hold([uploadId]);
  try {
    if (!(await deps.builder.hasUpload(uploadId))) throw new DomainError('conflict', 'This upload expired and its tarball was removed: call init again');
    await deps.store.uploads.update(uploadId, { status: 'complete' });
  } finally {
    release();
  }
}
