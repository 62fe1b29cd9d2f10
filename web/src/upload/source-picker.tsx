// Where an upload comes from: a project folder or a .tar.gz, dropped on the zone or chosen with
// the two file buttons (which keyboard users reach with Tab).
import { useState } from 'react';
import type { DragEvent } from 'react';
import { filesFromEntry, filesFromPicker } from './project-files';
import type { ProjectFile } from './project-files';

export type PickedSource = { kind: 'folder'; name: string; files: ProjectFile[] } | { kind: 'tarball'; file: File };

const isTarball = (name: string) => /\.(tar\.gz|tgz)$/i.test(name);

export function SourcePicker({ value, onChange, onError }: { value: PickedSource | null; onChange: (source: PickedSource | null) => void; onError: (error: unknown) => void }) {
  const [over, setOver] = useState(false);
  const [reading, setReading] = useState(false);
  const take = async (read: () => Promise<PickedSource | null>) => {
    setReading(true);
    try {
      onChange(await read());
    } catch (error) {
      onError(error);
    } finally {
      setReading(false);
    }
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const item = event.dataTransfer.items[0];
    const entry = item?.webkitGetAsEntry();
    const file = item?.getAsFile();
    void take(async () => {
      if (entry?.isDirectory) return { kind: 'folder', name: entry.name, files: await filesFromEntry(entry as FileSystemDirectoryEntry) };
      if (file && isTarball(file.name)) return { kind: 'tarball', file };
      throw new Error('Drop a project folder or a .tar.gz file');
    });
  };
  return (
    <div
      className={`drop${over ? ' over' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid="drop-zone"
    >
      <p>Drop a project folder or a .tar.gz here, or choose one:</p>
      <div className="row" style={{ justifyContent: 'center' }}>
        <div>
          <label htmlFor="pick-folder">Project folder</label>
          <input
            id="pick-folder"
            type="file"
            // @ts-expect-error webkitdirectory is not in React's types but every browser knows it
            webkitdirectory=""
            onChange={(event) => {
              const list = event.target.files;
              if (!list || list.length === 0) return;
              const name = (list[0]?.webkitRelativePath ?? '').split('/')[0] ?? 'folder';
              void take(async () => ({ kind: 'folder', name, files: await filesFromPicker(list) }));
            }}
          />
        </div>
        <div>
          <label htmlFor="pick-tarball">.tar.gz file</label>
          <input
            id="pick-tarball"
            type="file"
            accept=".gz,.tgz,application/gzip"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void take(async () => ({ kind: 'tarball', file }));
            }}
          />
        </div>
      </div>
      <p role="status" aria-live="polite">
        {reading ? 'Reading the folder…' : value ? describe(value) : 'Nothing chosen yet.'}
      </p>
    </div>
  );
}

function describe(source: PickedSource): string {
  if (source.kind === 'tarball') return `${source.file.name} (${formatBytes(source.file.size)})`;
  const bytes = source.files.reduce((sum, f) => sum + f.file.size, 0);
  return `Folder ${source.name}: ${source.files.length} files, ${formatBytes(bytes)} (after .gitignore and .berthignore)`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
