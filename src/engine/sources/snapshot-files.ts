// An app version's snapshot (spec 003) as a tree on disk. The files API checked every path when
// it was written; each is checked again here, so none can land outside the tree whatever the store holds.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function writeSnapshot(dir: string, files: readonly { path: string; content: Buffer; executable?: boolean }[]): Promise<{ files: number; bytes: number }> {
  const root = path.resolve(dir);
  let bytes = 0;
  for (const file of files) {
    const full = path.resolve(root, file.path);
    if (!full.startsWith(`${root}/`) || file.path.includes('\0')) throw new Error(`snapshot path outside the tree: ${JSON.stringify(file.path)}`);
    await mkdir(path.dirname(full), { recursive: true, mode: 0o755 });
    // wx: a path given twice, or one that is a directory of another, is refused, never overwritten.
    await writeFile(full, file.content, { mode: file.executable === true ? 0o755 : 0o644, flag: 'wx' });
    bytes += file.content.length;
  }
  return { files: files.length, bytes };
}
