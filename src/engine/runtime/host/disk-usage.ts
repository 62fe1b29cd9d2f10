// Disk an instance wrote: the allocated size of the files in its app dir that are not hard links
// into the frozen artifact (those have more than one link), i.e. what the app added. One find(1)
// walk per directory, shared by the instances of a revision (one dir) and cached for a few seconds,
// since a tree of node_modules takes tens of milliseconds to walk.
import { runCommand } from '../../spawn.js';

const cacheMs = 5_000;

export function createDiskMeter(): (dir: string) => Promise<number | null> {
  const recent = new Map<string, { at: number; bytes: Promise<number | null> }>();
  return (dir) => {
    const now = Date.now();
    const known = recent.get(dir);
    if (known && now - known.at < cacheMs) return known.bytes;
    for (const [key, value] of recent) if (now - value.at >= cacheMs) recent.delete(key);
    const bytes = measure(dir);
    recent.set(dir, { at: now, bytes });
    return bytes;
  };
}

async function measure(dir: string): Promise<number | null> {
  // %b: 512-byte blocks allocated (sparse files count what they hold).
  const result = await runCommand(['/usr/bin/find', '-P', dir, '-xdev', '-type', 'f', '-links', '1', '-printf', '%b\\n'], {
    env: { PATH: '/usr/bin:/bin', LANG: 'C' },
    timeoutMs: 30_000,
    maxOutputBytes: 64 * 1024 * 1024,
  });
  // find reports unreadable entries (exit 1) but still counts the rest; no output at all means no dir.
  if (result.exitCode !== 0 && result.stdout === '') return null;
  let blocks = 0;
  for (const line of result.stdout.split('\n')) if (line !== '') blocks += Number(line);
  return blocks * 512;
}
