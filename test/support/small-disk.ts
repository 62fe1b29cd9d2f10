// A small filesystem of its own (a tmpfs) for tests of a full disk, and a way to fill it. Needs
// root to mount; `mountSmallDisk` returns null where it cannot.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SmallDisk {
  dir: string;
  /** Fills the disk until `leaveBytes` (about) are left for unprivileged writers; returns the filler's path. */
  fill(leaveBytes: number): string;
  freeBytes(): number;
  unmount(): void;
}

export function mountSmallDisk(sizeMi: number): SmallDisk | null {
  if (process.getuid?.() !== 0) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-disk-'));
  try {
    execFileSync('/bin/mount', ['-t', 'tmpfs', '-o', `size=${sizeMi}m,mode=0755`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    fs.rmdirSync(dir);
    return null;
  }
  let fillers = 0;
  const freeBytes = () => {
    const stats = fs.statfsSync(dir);
    return stats.bavail * stats.bsize;
  };
  return {
    dir,
    freeBytes,
    fill(leaveBytes) {
      const filler = path.join(dir, `filler-${fillers++}`);
      const fd = fs.openSync(filler, 'w');
      try {
        for (const chunk of [1 << 20, 64 << 10, 4 << 10, 512]) {
          const buffer = Buffer.alloc(chunk, 1);
          while (freeBytes() - chunk >= leaveBytes) fs.writeSync(fd, buffer);
        }
        if (leaveBytes === 0) for (;;) fs.writeSync(fd, Buffer.alloc(1, 1)); // until ENOSPC
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        fs.closeSync(fd);
      }
      return filler;
    },
    unmount() {
      execFileSync('/bin/umount', ['-l', dir], { stdio: 'ignore' });
      fs.rmdirSync(dir);
    },
  };
}
