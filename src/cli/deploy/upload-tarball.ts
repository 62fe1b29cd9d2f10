// The upload flow of client-contract.md from a file: init with size and sha256, PUT the bytes to
// the presigned URL (no key; streamed, with progress), complete. Answers the upload id to deploy.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { apiErrorMessage, unwrap } from '../api-client.js';
import type { Connection } from '../api-client.js';
import { CliError, exitCodeForStatus, exitCodes } from '../exit-codes.js';
import { byteProgress } from './progress.js';

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

export async function uploadTarball(connection: Connection, appId: string, file: string): Promise<{ uploadId: string; sizeBytes: number }> {
  const { api, workspaceId: wsId } = connection;
  const sizeBytes = fs.statSync(file).size;
  const sha256 = await sha256Of(file);
  const init = await unwrap(api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/uploads/init', { params: { path: { wsId, appId } }, body: { sizeBytes, sha256 } }));
  const progress = byteProgress('Uploading', sizeBytes);
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      progress.update(sent);
      done(null, chunk);
    },
  });
  let response: Response;
  try {
    response = await fetch(init.presignedPutUrl, {
      method: 'PUT',
      headers: { ...init.headers, 'content-length': String(sizeBytes) },
      body: Readable.toWeb(fs.createReadStream(file).pipe(counter)) as ReadableStream<Uint8Array>,
      duplex: 'half',
    } as RequestInit);
  } catch (error) {
    throw new CliError(`the upload could not reach Berth: ${error instanceof Error ? error.message : String(error)}`, exitCodes.unavailable);
  } finally {
    progress.stop();
  }
  if (!response.ok) throw new CliError(`upload refused: ${apiErrorMessage(response.status, await response.json().catch(() => null))}`, exitCodeForStatus(response.status));
  await unwrap(api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/uploads/{uploadId}/complete', { params: { path: { wsId, appId, uploadId: init.uploadId } }, body: { sha256 } }));
  return { uploadId: init.uploadId, sizeBytes };
}
