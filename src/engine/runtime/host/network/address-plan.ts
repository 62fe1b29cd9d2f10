// The instance address range as numbers: parsing a CIDR, the /30 of each namespace slot (host
// side, instance side), the one address where host services appear, overlap tests, and the
// candidate ranges a Berth tries when none is configured (spread by its tag, so two Berths on
// one machine start from different ranges).

export interface Ipv4Range {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

export interface SlotAddresses {
  /** Host side of the veth pair: the namespace's default gateway. */
  gateway: string;
  /** The instance's address: what the edge dials. */
  address: string;
}

/** Each namespace gets a /30: network, gateway, instance, broadcast. */
export const SLOT_PREFIX = 30;

export function ipToNumber(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function numberToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const mask = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** `10.88.0.0/16` → range; null when it is not an IPv4 CIDR whose host bits are zero. */
export function parseCidr(text: string): Ipv4Range | null {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(text.trim());
  if (!match?.[1] || !match[2]) return null;
  const base = ipToNumber(match[1]);
  const prefix = Number(match[2]);
  if (base === null || prefix > 32) return null;
  if (((base & ~mask(prefix)) >>> 0) !== 0) return null;
  return { base, prefix };
}

export function formatCidr(range: Ipv4Range): string {
  return `${numberToIp(range.base)}/${range.prefix}`;
}

export function contains(range: Ipv4Range, ip: number): boolean {
  return ((ip & mask(range.prefix)) >>> 0) === range.base;
}

export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  return ((a.base & mask(prefix)) >>> 0) === ((b.base & mask(prefix)) >>> 0);
}

/** Slots 1…count-1 hold namespaces; slot 0 holds the host-services address. */
export function slotCount(range: Ipv4Range): number {
  return 2 ** (SLOT_PREFIX - range.prefix);
}

export function slotAddresses(range: Ipv4Range, slot: number): SlotAddresses {
  if (!Number.isInteger(slot) || slot < 1 || slot >= slotCount(range)) throw new Error(`slot ${slot} is outside ${formatCidr(range)}`);
  const network = range.base + slot * 4;
  return { gateway: numberToIp(network + 1), address: numberToIp(network + 2) };
}

/** Where every namespace reaches the host services it is allowed (never on an interface). */
export function hostServicesAddress(range: Ipv4Range): string {
  return numberToIp(range.base + 1);
}

/** Private ranges an instance may never reach except through an allowed host service. */
export const privateRanges = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/4', '240.0.0.0/4'];

/** Default ranges to try, in this Berth's order: the /16s of 10.64.0.0–10.253.0.0, starting at its tag. */
export function candidateRanges(tag: string): Ipv4Range[] {
  const first = 64;
  const count = 190;
  const start = parseInt(tag, 36) % count;
  return Array.from({ length: count }, (_, i) => ({ base: ((10 << 24) | ((first + ((start + i) % count)) << 16)) >>> 0, prefix: 16 }));
}
