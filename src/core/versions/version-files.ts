// The file tree of an app version (spec 003): list a directory, read, create, update and delete
// files. Paths are checked as tar entries are and bounded; a file, the file count and the whole
// tree have limits, each refused with a message naming it; each write is one transaction, then
// reaches the version's running preview.
import { DomainError, notFound, refuse } from '../../domain/errors.js';
import { cleanDirPath, cleanFilePath } from '../../domain/tree-path.js';
import { say, wire } from '../../domain/wording.js';
import type { Deps } from '../deps.js';
import { findVersion } from './find-version.js';
import type { VersionRef } from './find-version.js';

export interface TreeEntry {
  name: string;
  path: string;
  isDirectory: boolean;
  /** Bytes of a file; of a directory, of every file under it. */
  size: number;
  /** A file written with mode 0755 (else 0644); false for a directory. */
  executable: boolean;
}

function filePath(raw: string): string {
  const clean = cleanFilePath(raw);
  if ('problem' in clean) return refuse([say`${wire('path')} "${raw}" ${clean.problem}`]) as never;
  return clean.path;
}

/** The entries directly inside `dir` (root: `''` or absent), directories first, then by name. */
export async function listVersionFiles(deps: Pick<Deps, 'store'>, input: VersionRef & { dir?: string }): Promise<TreeEntry[]> {
  const { version } = await findVersion(deps, input, 'apps:read');
  const clean = cleanDirPath(input.dir);
  if ('problem' in clean) return refuse([say`${wire('path')} "${input.dir ?? ''}" ${clean.problem}`]) as never;
  const files = await deps.store.versionFiles.list(version.id, clean.path);
  if (clean.path !== '' && files.length === 0) return notFound('Directory');
  const base = clean.path === '' ? '' : `${clean.path}/`;
  const entries = new Map<string, TreeEntry>();
  for (const file of files) {
    const [name = '', ...rest] = file.path.slice(base.length).split('/');
    const entry = entries.get(name) ?? { name, path: `${base}${name}`, isDirectory: rest.length > 0, size: 0, executable: rest.length === 0 && file.executable };
    entry.size += file.size;
    entries.set(name, entry);
  }
  return [...entries.values()].sort((a, b) => Number(b.isDirectory) - Number(a.isDirectory) || a.name.localeCompare(b.name));
}

export async function readVersionFile(deps: Pick<Deps, 'store'>, input: VersionRef & { path: string }): Promise<{ path: string; content: Buffer; executable: boolean }> {
  const { version } = await findVersion(deps, input, 'apps:read');
  const file = await deps.store.versionFiles.read(version.id, filePath(input.path));
  return file ?? notFound('File');
}

/** The version's running preview, if any, gets the change in its tree at once (its dev server reloads). */
async function writeThrough(deps: Pick<Deps, 'store' | 'previews'>, versionId: string, apply: (sessionId: string) => Promise<void>): Promise<void> {
  const session = await deps.store.previewSessions.liveOfVersion(versionId);
  if (session) await apply(session.id);
}

export async function writeVersionFile(deps: Pick<Deps, 'store' | 'clock' | 'settings' | 'previews'>, input: VersionRef & { path: string; content: Buffer; mode: 'create' | 'update'; executable?: boolean }): Promise<void> {
  const { version } = await findVersion(deps, input, 'apps:write');
  const path = filePath(input.path);
  const limits = deps.settings.builds.versionFiles;
  if (input.content.length > limits.maxFileBytes) {
    throw new DomainError('invalid', say`${wire('content')} is larger than the ${limits.maxFileBytes} bytes a file may hold (BERTH_VERSION_MAX_FILE_KB)`);
  }
  await deps.store.versionFiles.write({ versionId: version.id, path, content: input.content, at: deps.clock.now(), mode: input.mode, executable: input.executable ?? null, limits });
  await writeThrough(deps, version.id, async (sessionId) => {
    // The stored bit (kept by an update that did not name it) is the one the preview's tree gets.
    const executable = input.executable ?? (await deps.store.versionFiles.read(version.id, path))?.executable ?? false;
    await deps.previews.writeFile(sessionId, { path, content: input.content, executable });
  });
}

export async function deleteVersionFile(deps: Pick<Deps, 'store' | 'previews'>, input: VersionRef & { path: string }): Promise<void> {
  const { version } = await findVersion(deps, input, 'apps:write');
  const path = filePath(input.path);
  if (!(await deps.store.versionFiles.delete(version.id, path))) notFound('File');
  await writeThrough(deps, version.id, (sessionId) => deps.previews.deleteFile(sessionId, path));
}
