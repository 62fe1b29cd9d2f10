// Where a host program is when no one said: the first directory of a search list (PATH's, then the
// usual places, as config.ts composes it) holding an executable file of that name.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** True when `file` is a regular file (symlinks followed) that this process may execute. */
export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false; // missing, unreadable or not executable: not a program we can run
  }
}

/** The first `dir/name` that is an executable file; relative directories (`.` in PATH) are skipped. */
export function findExecutable(name: string, dirs: readonly string[]): string | null {
  for (const dir of dirs) {
    if (!path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}
