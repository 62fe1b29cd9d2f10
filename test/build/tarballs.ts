// Tarballs for upload tests: honest ones from a directory, and hand-made hostile ones whose
// headers say exactly what an attacker would write (node-tar's packer would refuse to).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import * as tar from 'tar';

export async function tarballOf(files: Record<string, string>): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-tgz-'));
  try {
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
    }
    const out = path.join(dir, '..', `${path.basename(dir)}.tgz`);
    await tar.c({ gzip: true, cwd: dir, file: out, portable: true }, fs.readdirSync(dir));
    const data = fs.readFileSync(out);
    fs.rmSync(out);
    return data;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface RawEntry {
  path: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'FIFO';
  linkpath?: string;
  body?: string;
}

export function hostileTarball(entries: RawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? '');
    const header = new tar.Header({
      path: entry.path,
      type: entry.type ?? 'File',
      linkpath: entry.linkpath,
      size: entry.type === undefined || entry.type === 'File' ? body.length : 0,
      mode: entry.type === 'Directory' ? 0o755 : 0o644,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
    });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block);
    if (body.length > 0) blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return zlib.gzipSync(Buffer.concat(blocks));
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * A gzip bomb: `count` files of `entryMiB` MiB of zeros. Each member of the gzip stream is made
 * once and repeated (gzip allows concatenated members), so a 2 GiB bomb takes a moment to make.
 */
export function gzipBomb(count: number, entryMiB: number): Buffer {
  const zeros = zlib.gzipSync(Buffer.alloc(entryMiB * 1024 * 1024), { level: 9 });
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const header = new tar.Header({ path: `zeros-${i}.bin`, type: 'File', size: entryMiB * 1024 * 1024, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0 });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    parts.push(zlib.gzipSync(block), zeros);
  }
  parts.push(zlib.gzipSync(Buffer.alloc(1024)));
  return Buffer.concat(parts);
}
