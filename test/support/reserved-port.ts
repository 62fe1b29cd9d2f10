// Ports a test picks now and binds later, or binds again across a restart (a child's flag,
// pebble's http-01 port, Berth killed and started again on its edge port). A port from listen(0)
// is free only at that moment: any process's next listen(0) or outgoing connection may take it.
// These come from outside the kernel's ephemeral range, where neither ever lands, and are
// reserved machine-wide by a lock file, so two test files running side by side never pick the
// same one. Each is free when picked, and kept until released or until this process exits.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const lockDir = path.join(os.tmpdir(), 'berth-test-ports');
/** Below this, ports belong to well-known services. */
const lowest = 10_000;
/** A lock older than this whose process is gone is a crashed run's: anyone may remove it. */
const staleAfterMs = 6 * 3_600_000;
const held = new Set<number>();

/** The kernel's ephemeral range (listen(0), outgoing connections), from /proc. */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && high) return [low, high];
  } catch {
    // not Linux: assume its default range
  }
  return [32_768, 60_999];
}

/** Ports outside the ephemeral range; all of lowest..65535 when the range leaves too few outside. */
function candidates(): number[] {
  const [low, high] = ephemeralRange();
  const all: number[] = [];
  for (let port = lowest; port <= 65_535; port++) if (port < low || port > high) all.push(port);
  if (all.length >= 1_000) return all;
  return Array.from({ length: 65_536 - lowest }, (_, i) => lowest + i);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // someone else's process: alive
  }
}

/** Creates the lock of `port` for this process, or says another live process holds it. */
function lock(port: number): boolean {
  const file = path.join(lockDir, String(port));
  try {
    fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  try {
    const owner = Number(fs.readFileSync(file, 'utf8'));
    if (Date.now() - fs.statSync(file).mtimeMs > staleAfterMs && !alive(owner)) fs.rmSync(file, { force: true });
  } catch {
    // removed meanwhile by its owner, or not ours to remove: either way try another port
  }
  return false;
}

function unlock(port: number): void {
  const file = path.join(lockDir, String(port));
  try {
    if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.rmSync(file, { force: true });
  } catch {
    // already gone
  }
  held.delete(port);
}

/** Binds and closes `port` on `host`: true when nothing listens there now. */
function bindable(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      // A machine without IPv6 has nothing listening there either.
      resolve(host === '::' && (error.code === 'EAFNOSUPPORT' || error.code === 'EADDRNOTAVAIL'));
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

let exitHook = false;

/** A port nothing listens on, that no other test process will pick, held until releasePort or exit. */
export async function reservePort(): Promise<number> {
  // Shared by every user's test runs, like /tmp itself (the mode given to mkdir is cut by the umask).
  if (fs.mkdirSync(lockDir, { recursive: true }) !== undefined) fs.chmodSync(lockDir, 0o1777);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => [...held].forEach(unlock));
  }
  const pool = candidates();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = pool[Math.floor(Math.random() * pool.length)] ?? lowest;
    if (held.has(port) || !lock(port)) continue;
    held.add(port);
    // Something of the machine's own (a database, a dev server) may sit there: not ours to take.
    if ((await bindable(port, '0.0.0.0')) && (await bindable(port, '::'))) return port;
    unlock(port);
  }
  throw new Error(`no free port to reserve outside the ephemeral range (locks in ${lockDir})`);
}

export function releasePort(port: number): void {
  if (held.has(port)) unlock(port);
}
