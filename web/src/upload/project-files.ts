// The files of a project folder the user dropped or picked, minus what .gitignore and .berthignore
// (at the folder's root) exclude and minus .git: what `berth deploy` sends for the same folder.
import ignore from 'ignore';

export interface ProjectFile {
  /** Path inside the project, with `/` separators and no leading folder name. */
  path: string;
  file: File;
}

/** Always left out, whatever the ignore files say. */
const alwaysIgnored = ['.git/'];

export function ignoreFilter(ignoreFileTexts: string[]): (relativePath: string, isDirectory: boolean) => boolean {
  const matcher = ignore().add(alwaysIgnored);
  for (const text of ignoreFileTexts) matcher.add(text);
  return (relativePath, isDirectory) => matcher.ignores(isDirectory ? `${relativePath}/` : relativePath);
}

/** From `<input type="file" webkitdirectory>`: paths start with the folder's name, which is dropped. */
export async function filesFromPicker(list: FileList | File[]): Promise<ProjectFile[]> {
  const all = Array.from(list).map((file) => ({ path: (file.webkitRelativePath || file.name).split('/').slice(1).join('/'), file }));
  const rootText = (name: string) => all.find((f) => f.path === name)?.file.text() ?? Promise.resolve('');
  const ignored = ignoreFilter(await Promise.all([rootText('.gitignore'), rootText('.berthignore')]));
  return all.filter((f) => f.path !== '' && !ignored(f.path, false));
}

/** From a drag and drop: walks the dropped folder, skipping ignored folders without reading them. */
export async function filesFromEntry(root: FileSystemDirectoryEntry): Promise<ProjectFile[]> {
  const texts = await Promise.all(['.gitignore', '.berthignore'].map((name) => readRootFile(root, name)));
  const ignored = ignoreFilter(texts);
  const found: ProjectFile[] = [];
  const walk = async (dir: FileSystemDirectoryEntry, prefix: string): Promise<void> => {
    for (const entry of await readAllEntries(dir)) {
      const relativePath = prefix + entry.name;
      if (ignored(relativePath, entry.isDirectory)) continue;
      if (entry.isDirectory) await walk(entry as FileSystemDirectoryEntry, `${relativePath}/`);
      else if (entry.isFile) found.push({ path: relativePath, file: await fileOf(entry as FileSystemFileEntry) });
    }
  };
  await walk(root, '');
  return found;
}

function readAllEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const entries: FileSystemEntry[] = [];
  // readEntries answers in batches (100 in Chromium) until it answers an empty one.
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(entries);
        entries.push(...batch);
        next();
      }, reject);
    next();
  });
}

const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));

function readRootFile(root: FileSystemDirectoryEntry, name: string): Promise<string> {
  return new Promise((resolve) =>
    root.getFile(name, {}, (entry) => (entry as FileSystemFileEntry).file((file) => void file.text().then(resolve), () => resolve('')), () => resolve('')),
  );
}
