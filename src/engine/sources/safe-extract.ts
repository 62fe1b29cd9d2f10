// Unpacks an uploaded .tar.gz into a build tree in one streaming pass, never writing outside it:
// each entry is checked as it arrives, before anything of it is written (no absolute paths, no
// `..`, no links pointing out, no devices or fifos, nothing through a link), and the bytes that
// come out of gzip are counted as they stream, so a gzip bomb is refused once it passes the limit
// while memory stays bounded (backpressure from the disk all the way back to the file).
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as tar from 'tar';
import { treePathProblem } from '../../domain/tree-path.js';
import { SourceError } from './git-fetch.js';

export interface ExtractLimits {
  maxBytes: number;
  maxFiles: number;
}

const allowedTypes = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);
const CHUNK_BYTES = 64 * 1024;

function entryProblem(entryPath: string, type: string, linkpath: string | undefined, links: Set<string>): string | null {
  const problem = treePathProblem(entryPath);
  if (problem) return problem;
  const clean = entryPath.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  const parts = clean.split('/');
  for (let i = 1; i < parts.length; i++) if (links.has(parts.slice(0, i).join('/'))) return 'is written through a link';
  if (!allowedTypes.has(type)) return `is a ${type}, which uploads may not contain`;
  if (type === 'SymbolicLink' || type === 'Link') {
    const target = linkpath ?? '';
    if (target === '' || path.posix.isAbsolute(target)) return `links to an absolute path (${target || 'empty'})`;
    const base = type === 'SymbolicLink' ? path.posix.dirname(clean) : '.';
    const resolved = path.posix.normalize(path.posix.join(base, target));
    if (resolved === '..' || resolved.startsWith('../')) return `links outside the tree (${target})`;
    links.add(clean);
  }
  return null;
}

const tooBig = (maxBytes: number) =>
  `it holds more than ${Math.round((maxBytes / (1024 * 1024)) * 100) / 100} MiB once extracted (the limit, BERTH_MAX_EXTRACTED_MB)`;

/** gzip or zstd magic at the start of the tar stream: node-tar would decompress it again, uncounted. */
function compressedAgain(first: Buffer): boolean {
  return (first[0] === 0x1f && first[1] === 0x8b) || (first[0] === 0x28 && first[1] === 0xb5 && first[2] === 0x2f && first[3] === 0xfd);
}

export async function safeExtract(file: string, dir: string, limits: ExtractLimits): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let declared = 0;
  let inflated = 0;
  /** Why the archive is refused (unsafe, too big); wins over any error that follows from stopping. */
  let problem: string | null = null;
  let invalid: string | null = null;
  const links = new Set<string>();
  const refuse = (why: string) => (problem ??= why);
  const unpack = new tar.Unpack({
    cwd: dir,
    strict: true,
    preservePaths: false,
    preserveOwner: false,
    noMtime: true,
    zstd: false,
    brotli: false,
    filter: (_path, entry) => {
      if (problem !== null || !('type' in entry)) return false;
      const why = entryProblem(entry.path, entry.type, entry.linkpath, links);
      files += 1;
      declared += entry.size ?? 0;
      if (why) refuse(`entry ${JSON.stringify(entry.path)} ${why}`);
      else if (files > limits.maxFiles) refuse(`more than ${limits.maxFiles} entries`);
      else if (declared > limits.maxBytes) refuse(tooBig(limits.maxBytes));
      return problem === null;
    },
    onwarn: (_code, message) => refuse(String(message)),
  });
  const done = new Promise<void>((resolve) => {
    unpack.on('close', resolve);
    unpack.on('error', (error: Error) => {
      invalid ??= error.message;
      resolve();
    });
  });
  const gunzip = zlib.createGunzip({ chunkSize: CHUNK_BYTES });
  // `pipe` does not pass a read error on: without this a tarball gone meanwhile would hang the build.
  const read = createReadStream(file, { highWaterMark: CHUNK_BYTES }).on('error', () => gunzip.destroy(new Error('the tarball could not be read')));
  read.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      if (inflated === 0 && compressedAgain(chunk)) refuse('the archive is compressed twice');
      inflated += chunk.length;
      if (inflated > limits.maxBytes) refuse(tooBig(limits.maxBytes));
      if (problem !== null || invalid !== null) break;
      if (!unpack.write(chunk)) await Promise.race([once(unpack, 'drain'), done]);
    }
  } catch (error) {
    invalid ??= (error as Error).message;
  } finally {
    gunzip.destroy();
    read.destroy();
  }
  // Ending a stream cut short makes node-tar complain about truncation: the problem found first stands.
  unpack.end();
  await done;
  if (problem !== null) throw new SourceError(`unsafe tarball: ${String(problem)}`);
  if (invalid !== null) throw new SourceError(`the upload is not a valid .tar.gz archive (${String(invalid)})`);
  if (files === 0) throw new SourceError('the upload is an empty archive');
  return { files, bytes: declared };
}
