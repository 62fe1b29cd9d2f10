// Packs a project folder into a .tar.gz the way `git` would see it: .gitignore files (at every
// level) and a .berthignore at the root exclude paths, and .git never goes. Entries are relative
// to the folder, so Berth builds from inside it.
import fs from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import { create } from 'tar';

interface Rules {
  /** The folder, relative to the root ('' or 'sub/dir/'), whose .gitignore these are. */
  base: string;
  matcher: Ignore;
}

function readRules(dir: string, base: string, names: string[]): Rules | null {
  const texts = names.map((name) => path.join(dir, name)).filter((file) => fs.existsSync(file)).map((file) => fs.readFileSync(file, 'utf8'));
  if (texts.length === 0) return null;
  // One add per file: an array given to add() is read as one pattern per element, not per line.
  const matcher = ignore();
  for (const text of texts) matcher.add(text);
  return { base, matcher };
}

/** The files to send, relative to `root`, with `/` separators, sorted. */
export function listProjectFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, relative: string, rules: Rules[]) => {
    const own = readRules(dir, relative, relative === '' ? ['.gitignore', '.berthignore'] : ['.gitignore']);
    const active = own ? [...rules, own] : rules;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = relative + entry.name;
      if (entry.name === '.git') continue;
      const isDir = entry.isDirectory();
      if (active.some((r) => r.matcher.ignores(rel.slice(r.base.length) + (isDir ? '/' : '')))) continue;
      if (isDir) walk(path.join(dir, entry.name), `${rel}/`, active);
      else if (entry.isFile() || entry.isSymbolicLink()) files.push(rel);
    }
  };
  walk(root, '', []);
  return files;
}

export async function packFolder(root: string, target: string): Promise<{ files: number; sizeBytes: number }> {
  const files = listProjectFiles(root);
  if (files.length === 0) throw new Error(`${root} has no files to deploy (after .gitignore and .berthignore)`);
  await create({ gzip: true, cwd: root, file: target, portable: true, noDirRecurse: true }, files);
  return { files: files.length, sizeBytes: fs.statSync(target).size };
}
