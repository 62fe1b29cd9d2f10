// Which git URLs Berth may fetch: https only, never a local path or file://, and never a host
// that resolves to loopback, private or link-local addresses (the platform's own network),
// unless the operator allows private networks (tests, on-premises git servers).
import dns from 'node:dns/promises';
import net from 'node:net';
import { DomainError } from '../../domain/errors.js';

const blocked = new net.BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  blocked.addSubnet(address, prefix, 'ipv4');
}
for (const [address, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(address, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4');
  return blocked.check(address, 'ipv6');
}

export interface CheckedUrl {
  url: URL;
  /** The address git must connect to (pinned, so a second DNS answer cannot differ), or null. */
  pinnedAddress: string | null;
}

export type Lookup = (hostname: string) => Promise<string[]>;

const systemLookup: Lookup = async (hostname) => (await dns.lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

export async function checkGitUrl(raw: string, options: { allowPrivateNetworks: boolean; lookup?: Lookup }): Promise<CheckedUrl> {
  const refuse = (why: string): never => {
    throw new DomainError('invalid', `Cannot fetch ${JSON.stringify(raw)}: ${why}`);
  };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('not a URL (local paths are never fetched)');
  }
  const schemes = options.allowPrivateNetworks ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) return refuse(`only ${schemes.map((s) => `${s}//`).join(' and ')} URLs are allowed`);
  if (url.username || url.password) return refuse('URLs must not embed credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === '') return refuse('the URL has no host');
  if (options.allowPrivateNetworks) return { url, pinnedAddress: null };
  let addresses: string[];
  try {
    addresses = net.isIP(host) ? [host] : await (options.lookup ?? systemLookup)(host);
  } catch {
    return refuse(`the host ${host} does not resolve`);
  }
  if (addresses.length === 0) return refuse(`the host ${host} does not resolve`);
  if (addresses.some(isPrivateAddress)) {
    return refuse(`the host ${host} resolves to a loopback, private or link-local address (set BERTH_ALLOW_PRIVATE_NETWORKS=1 to allow)`);
  }
  return { url, pinnedAddress: addresses[0] ?? null };
}
