// Unpacks an uploaded .tar.gz into a build tree without ever writing outside it: every entry is
// checked first (no absolute paths, no `..`, no links pointing out, no devices or fifos, nothing
// through a link, bounded bytes and entries), and only a fully clean archive is extracted.
import path from 'node:path';
import * as tar from 'tar';
import { SourceError } from './git-fetch.js';

export interface ExtractLimits {
  maxBytes: number;
  maxFiles: number;
}

const allowedTypes = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

function entryProblem(entryPath: string, type: string, linkpath: string | undefined, links: Set<string>): string | null {
  if (entryPath.includes('\0')) return 'contains a NUL character';
  if (path.posix.isAbsolute(entryPath) || /^[a-zA-Z]:/.test(entryPath)) return 'is an absolute path';
  const clean = entryPath.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  const parts = clean.split('/');
  if (parts.includes('..')) return 'climbs out of the tree with ".."';
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

export async function safeExtract(file: string, dir: string, limits: ExtractLimits): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  let problem: string | null = null;
  const links = new Set<string>();
  try {
    await tar.t({
      file,
      strict: true,
      onReadEntry: (entry) => {
        if (problem) return;
        const why = entryProblem(entry.path, entry.type, entry.linkpath, links);
        if (why) problem = `entry ${JSON.stringify(entry.path)} ${why}`;
        files += 1;
        bytes += entry.size ?? 0;
        if (files > limits.maxFiles) problem = `more than ${limits.maxFiles} entries`;
        if (bytes > limits.maxBytes) problem = `more than ${limits.maxBytes} bytes once extracted`;
      },
    });
  } catch (error) {
    throw new SourceError(`the upload is not a valid .tar.gz archive (${(error as Error).message})`);
  }
  if (problem) throw new SourceError(`unsafe tarball: ${String(problem)}`);
  if (files === 0) throw new SourceError('the upload is an empty archive');
  const warnings: string[] = [];
  await tar.x({
    file,
    cwd: dir,
    strict: true,
    preservePaths: false,
    preserveOwner: false,
    noMtime: true,
    filter: (_p, entry) => 'type' in entry && allowedTypes.has(String(entry.type)),
    onwarn: (_code, message) => warnings.push(String(message)),
  });
  if (warnings.length > 0) throw new SourceError(`unsafe tarball: ${warnings[0]}`);
  return { files, bytes };
}
