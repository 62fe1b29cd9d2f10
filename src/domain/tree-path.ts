// Paths inside a file tree, checked the same way wherever a user names one (tar entries of an
// upload, files of an app version): nothing that could reach outside the tree's root.

/** Why `entryPath` may not name a place in a tree, or null when it may (links are checked apart). */
export function treePathProblem(entryPath: string): string | null {
  if (entryPath.includes('\0')) return 'contains a NUL character';
  if (entryPath.startsWith('/') || /^[a-zA-Z]:/.test(entryPath)) return 'is an absolute path';
  if (entryPath.replace(/^(\.\/)+/, '').replace(/\/+$/, '').split('/').includes('..')) return 'climbs out of the tree with ".."';
  return null;
}

export const treePathLimits = { maxLength: 1024, maxSegment: 255 } as const;

/**
 * A file path of an app version as stored: relative, `/`-separated, no `.`, `..` or empty
 * segments (a leading `./` is dropped). Returns the clean path or why it is refused.
 */
export function cleanFilePath(raw: string): { path: string } | { problem: string } {
  const problem = treePathProblem(raw);
  if (problem) return { problem };
  if (raw.includes('\\')) return { problem: 'contains a backslash (use /)' };
  const path = raw.replace(/^(\.\/)+/, '');
  if (path === '' || path.endsWith('/')) return { problem: 'names no file' };
  if (path.length > treePathLimits.maxLength) return { problem: `is longer than ${treePathLimits.maxLength} characters` };
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.')) return { problem: 'has an empty or "." segment' };
  if (segments.some((s) => s.length > treePathLimits.maxSegment)) return { problem: `has a segment longer than ${treePathLimits.maxSegment} characters` };
  return { path };
}

/** A directory path (`''` is the root), cleaned like a file path. */
export function cleanDirPath(raw: string | undefined): { path: string } | { problem: string } {
  const trimmed = (raw ?? '').replace(/^(\.\/)+/, '').replace(/^\.$/, '').replace(/\/+$/, '');
  return trimmed === '' ? { path: '' } : cleanFilePath(trimmed);
}
