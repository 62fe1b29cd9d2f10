// Which TCP ports an instance really listens on, from /proc: in a network namespace of its own
// every listening socket there is the instance's; on the shared host network only sockets whose
// inode one of the instance's processes holds. Only sockets the edge can reach count (bound to
// every address or to loopback).
import { readFile, readdir, readlink } from 'node:fs/promises';

export interface ListeningSocket {
  address: string;
  port: number;
  inode: number;
}

const LISTEN = '0A';

function hexToIpv4(hex: string): string {
  // /proc prints the address as the host-order 32-bit word: little-endian here.
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
}

function hexToIpv6(hex: string): string {
  const words: string[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    const bytes = [6, 4, 2, 0].map((i) => word.slice(i, i + 2)).join('');
    words.push(bytes.slice(0, 4), bytes.slice(4, 8));
  }
  return words.map((g) => g.replace(/^0+(?=.)/, '').toLowerCase()).join(':');
}

/** LISTEN sockets in the text of /proc/PID/net/tcp or tcp6. */
export function parseProcNetTcp(text: string): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [local, state, inode] = [fields[1], fields[3], fields[9]];
    if (!local || state !== LISTEN || !inode) continue;
    const [hex = '', portHex = ''] = local.split(':');
    out.push({ address: hex.length === 8 ? hexToIpv4(hex) : hexToIpv6(hex), port: parseInt(portHex, 16), inode: Number(inode) });
  }
  return out;
}

/** Bound to every address or to loopback: what a connection to the instance (or to 127.0.0.1) reaches. */
export function reachable(socket: ListeningSocket): boolean {
  const a = socket.address;
  return a === '0.0.0.0' || a.startsWith('127.') || a === '0:0:0:0:0:0:0:0' || /^0:0:0:0:0:ffff:7f/.test(a);
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return ''; // the process is gone, or has no IPv6
  }
}

/** Listening sockets of the network namespace `pid` is in. */
export async function listeningSockets(pid: number): Promise<ListeningSocket[]> {
  const [v4, v6] = await Promise.all([readText(`/proc/${pid}/net/tcp`), readText(`/proc/${pid}/net/tcp6`)]);
  return [...parseProcNetTcp(v4), ...parseProcNetTcp(v6)];
}

/** Socket inodes the processes hold open. */
export async function socketInodes(pids: readonly number[]): Promise<Set<number>> {
  const inodes = new Set<number>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      continue; // exited meanwhile
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`));
        if (match?.[1]) inodes.add(Number(match[1]));
      } catch {
        // closed meanwhile
      }
    }
  }
  return inodes;
}

/** The port to route to: the one the app was told (PORT), else the first preferred one it listens on, else the lowest. */
export function choosePort(listening: readonly number[], told: number, preferred: readonly number[]): number | null {
  if (listening.length === 0) return null;
  if (listening.includes(told)) return told;
  return preferred.find((p) => listening.includes(p)) ?? Math.min(...listening);
}
