// Is an upload a gzip-compressed tar at all? Read before anything is stored for it, so a file
// that is not one is refused at once (400) instead of failing a build later. Only the first tar
// header is decompressed and checked (its checksum); entries are checked when it is extracted.
import { createReadStream } from 'node:fs';
import zlib from 'node:zlib';
import * as tar from 'tar';

const gzipMagic = [0x1f, 0x8b];

/** Why the file is not a .tar.gz, or null when it starts like one. */
export async function tarballProblem(file: string): Promise<string | null> {
  const head = await firstBytes(createReadStream(file, { end: 1 }), 2);
  if (head.length < 2 || head[0] !== gzipMagic[0] || head[1] !== gzipMagic[1]) return 'is not gzip-compressed (send a .tar.gz)';
  let block: Buffer;
  try {
    block = await firstBytes(createReadStream(file).pipe(zlib.createGunzip()), 512);
  } catch {
    return 'is not valid gzip data';
  }
  if (block.length < 512) return 'is not a tar archive (too short)';
  if (block.every((byte) => byte === 0)) return 'is an empty tar archive';
  const header = new tar.Header(block);
  return header.cksumValid && header.path ? null : 'is not a tar archive';
}

function firstBytes(stream: NodeJS.ReadableStream & { destroy(): void }, count: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const done = () => {
      stream.destroy();
      resolve(Buffer.concat(chunks).subarray(0, count));
    };
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= count) done();
    });
    stream.on('end', done);
    stream.on('error', (error) => (length >= count ? done() : reject(error)));
  });
}
