// Which git URLs Berth may fetch: https only, never a local path or file://, and never a host
// that resolves to loopback, private or link-local addresses (the platform's own network),
// unless the operator allows private networks (tests, on-premises git servers). IPv6 forms that
// carry an IPv4 address (compatible, mapped, NAT64, 6to4) are judged by that IPv4 address.
import dns from 'node:dns/promises';
import net from 'node:net';
import { DomainError } from '../../domain/errors.js';

const blockedV4 = new net.BlockList();
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
  blockedV4.addSubnet(address, prefix, 'ipv4');
}

/** IPv6 ranges refused outright; forms embedding an IPv4 address are then judged by it. */
const blockedV6 = new net.BlockList();
for (const [address, prefix] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo: carries an obfuscated IPv4 address
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8],
] as const) {
  blockedV6.addSubnet(address, prefix, 'ipv6');
}

/** The 16 bytes of an IPv6 address (with an optional trailing dotted quad), or null. */
export function ipv6Bytes(address: string): number[] | null {
  if (net.isIPv6(address) === false) return null;
  let text = address.toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return null;
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/** The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64 well-known prefix, 6to4), or null. */
export function embeddedIpv4(address: string): string | null {
  const b = ipv6Bytes(address);
  if (!b) return null;
  const v4 = (at: number) => b.slice(at, at + 4).join('.');
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12); // ::ffff:a.b.c.d
  if (zeros(0, 12) && !zeros(12, 16)) return v4(12); // ::a.b.c.d
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return v4(12); // 64:ff9b::a.b.c.d
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2); // 2002:aabb:ccdd::
  return null;
}

export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blockedV4.check(address, 'ipv4');
  if (family !== 6) return true;
  if (blockedV6.check(address, 'ipv6')) return true;
  const v4 = embeddedIpv4(address);
  return v4 !== null && isPrivateAddress(v4);
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
  const literal = net.isIP(host) !== 0;
  let addresses: string[];
  try {
    addresses = literal ? [host] : await (options.lookup ?? systemLookup)(host);
  } catch {
    return refuse(`the host ${host} does not resolve`);
  }
  if (addresses.length === 0) return refuse(`the host ${host} does not resolve`);
  if (addresses.some(isPrivateAddress)) {
    return refuse(`the host ${host} resolves to a loopback, private or link-local address (set BERTH_ALLOW_PRIVATE_NETWORKS=1 to allow)`);
  }
  // An address literal needs no pinning: there is no name for a second look-up to answer differently.
  return { url, pinnedAddress: literal ? null : (addresses[0] ?? null) };
}
