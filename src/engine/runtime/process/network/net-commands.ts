// The few programs the network setup runs (ip, nft, nsenter), each as an argv with a timeout,
// failing with the program's own words; and the per-interface sysctls, written as files.
import { readFile, writeFile } from 'node:fs/promises';
import { runCommand } from '../../../spawn.js';

export interface NetworkTools {
  ip: string;
  nft: string;
  nsenter: string;
  sh: string;
  /** The host's iptables (nft or legacy backend); absent: no FORWARD chain to open (forward-passage.ts). */
  iptables?: string;
}

const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' };

export async function run(argv: readonly string[], input?: string): Promise<string> {
  const result = await runCommand(argv, { env, timeoutMs: 15_000, maxOutputBytes: 4 * 1024 * 1024, ...(input === undefined ? {} : { input }) });
  if (result.exitCode !== 0) {
    const said = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-3).join(' ');
    throw new Error(`${argv.slice(0, 3).join(' ')} failed: ${said || `exit ${result.exitCode ?? result.signal ?? '?'}`}`);
  }
  return result.stdout;
}

/** Like run, but a failure is only reported (cleanup of what may already be gone). */
export async function attempt(argv: readonly string[], input?: string): Promise<boolean> {
  try {
    await run(argv, input);
    return true;
  } catch {
    return false; // already removed, or never made: either way nothing is left to undo
  }
}

const sysctlPath = (iface: string, key: string) => `/proc/sys/net/ipv4/conf/${iface}/${key}`;

export async function readSysctl(iface: string, key: string): Promise<string | null> {
  try {
    return (await readFile(sysctlPath(iface, key), 'utf8')).trim();
  } catch {
    return null; // no such interface (any more)
  }
}

export async function writeSysctl(iface: string, key: string, value: '0' | '1'): Promise<void> {
  await writeFile(sysctlPath(iface, key), value);
}

/**
 * Inside a namespace: the `ip` commands from stdin (address, links, default route), then
 * route_localnet on interface $1, then the nftables ruleset given as $2.
 */
export const NAMESPACE_SETUP_SCRIPT = 'ip -batch - && echo 1 > "/proc/sys/net/ipv4/conf/$1/route_localnet" && exec nft "$2"';
