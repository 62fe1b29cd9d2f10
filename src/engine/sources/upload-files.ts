// Upload bodies on disk: streamed, hashed on the way, never more than the allowed size.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DomainError } from '../../domain/errors.js';

export const uploadSuffix = '.tar.gz';

export function uploadFile(uploadsDir: string, uploadId: string): string {
  if (!/^[a-z0-9_]+$/.test(uploadId)) throw new DomainError('invalid', 'invalid upload id');
  return path.join(uploadsDir, `${uploadId}${uploadSuffix}`);
}

export async function writeUpload(
  uploadsDir: string,
  uploadId: string,
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<{ sizeBytes: number; sha256: string }> {
  await mkdir(uploadsDir, { recursive: true, mode: 0o700 });
  const target = uploadFile(uploadsDir, uploadId);
  const out = createWriteStream(target, { mode: 0o600 });
  const opened = new Promise<void>((resolve, reject) => out.once('open', () => resolve()).once('error', reject));
  await opened;
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.length;
      if (size > maxBytes) throw new DomainError('invalid', `upload is larger than the ${maxBytes} bytes allowed`);
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  } catch (error) {
    out.destroy();
    await rm(target, { force: true });
    throw error;
  }
  return { sizeBytes: size, sha256: hash.digest('hex') };
}
