// Finds live processes that belong to a directory tree by looking at /proc directly (a cwd in
// it, or a path in it on the command line, as in bubblewrap's bind arguments), independent of
// anything Berth recorded, to prove that no instance or build outlived a kill.
import fs from 'node:fs';

const within = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

export function processesOfDir(dir: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${name}/cwd`);
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (within(cwd, dir) || cmdline.some((arg) => within(arg, dir))) found.push(Number(name));
    } catch {
      // exited while scanning, or a kernel thread
    }
  }
  return found;
}
