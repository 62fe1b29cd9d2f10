// A backup of a running redis-server's append-only data: its manifest and the files the manifest
// names (the RDB base and the increments), not the history files a rewrite leaves for deletion.
// A rewrite that ends during the copy deletes files the copied manifest names: the copy starts over.
import { copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const MANIFEST = 'appendonly.aof.manifest';
const ATTEMPTS = 5;

/** The files a manifest names for loading (type b: base, i: increment); h (history) is left out. */
export function aofFilesOf(manifest: string): string[] {
  const files: string[] = [];
  for (const line of manifest.split('\n')) {
    const parsed = /^file (\S+) seq \d+ type ([bi])$/.exec(line.trim());
    if (parsed?.[1]) files.push(parsed[1]);
  }
  return files;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** Copies the append-only directory `from` into `to` (created), consistently with one manifest. */
export async function copyAppendOnlyDir(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    await rm(to, { recursive: true, force: true });
    await mkdir(to, { recursive: true, mode: 0o700 });
    const manifest = await readFile(join(from, MANIFEST), 'utf8');
    const files = aofFilesOf(manifest);
    // A manifest this cannot read (quoted names): the whole directory, as redis-server left it.
    if (files.length === 0) return cp(from, to, { recursive: true });
    try {
      // fsync'd every second; Redis loads a truncated last write (aof-load-truncated) on restore.
      for (const file of files) await copyFile(join(from, file), join(to, file));
      await writeFile(join(to, MANIFEST), manifest);
      return;
    } catch (error) {
      if (!isMissing(error) || attempt === ATTEMPTS) throw error;
    }
  }
}
