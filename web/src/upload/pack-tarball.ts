// Packs project files into a .tar.gz in the browser (modern-tar writes long paths as PAX
// headers; the browser's own CompressionStream gzips), streaming, so a large folder is never
// held twice in memory.
import { createTarPacker } from 'modern-tar';

export interface PackableFile {
  path: string;
  file: Blob & { lastModified?: number };
}

export async function packTarball(files: PackableFile[], onProgress?: (done: number, total: number) => void): Promise<Blob> {
  const { readable, controller } = createTarPacker();
  const gzipped = new Response(readable.pipeThrough(new CompressionStream('gzip'))).blob();
  try {
    let done = 0;
    for (const { path, file } of files) {
      const mtime = file.lastModified ? new Date(file.lastModified) : new Date();
      await file.stream().pipeTo(controller.add({ name: path, size: file.size, mode: 0o644, mtime, type: 'file' }));
      done += 1;
      onProgress?.(done, files.length);
    }
    controller.finalize();
  } catch (error) {
    controller.error(error);
    throw error;
  }
  return gzipped;
}
