import { describe, expect, it } from 'vitest';
import { candidateRanges, formatCidr, hostServicesAddress, overlaps, parseCidr, slotAddresses, slotCount } from './address-plan.js';

describe('address plan', () => {
  it('parses IPv4 CIDRs and refuses anything else', () => {
    expect(parseCidr('10.88.0.0/16')).toEqual({ base: 0x0a580000, prefix: 16 });
    for (const bad of ['10.88.0.1/16', '10.88.0.0', '10.300.0.0/16', '10.88.0.0/33', 'fd00::/64', 'off']) expect(parseCidr(bad)).toBeNull();
  });

  it('gives each slot a /30 (gateway, then the instance) and keeps slot 0 for host services', () => {
    const range = parseCidr('10.88.0.0/16');
    if (!range) throw new Error('unparsed');
    expect(slotCount(range)).toBe(16384);
    expect(slotAddresses(range, 1)).toEqual({ gateway: '10.88.0.5', address: '10.88.0.6' });
    expect(slotAddresses(range, 16383)).toEqual({ gateway: '10.88.255.253', address: '10.88.255.254' });
    expect(hostServicesAddress(range)).toBe('10.88.0.1');
    expect(() => slotAddresses(range, 0)).toThrow();
    expect(() => slotAddresses(range, 16384)).toThrow();
  });

  it('tells overlapping ranges apart', () => {
    const r = (text: string) => parseCidr(text) ?? { base: 0, prefix: 0 };
    expect(overlaps(r('10.88.0.0/16'), r('10.88.12.0/24'))).toBe(true);
    expect(overlaps(r('10.0.0.0/8'), r('10.88.0.0/16'))).toBe(true);
    expect(overlaps(r('10.88.0.0/16'), r('10.89.0.0/16'))).toBe(false);
    expect(overlaps(r('0.0.0.0/0'), r('10.89.0.0/16'))).toBe(true);
  });

  it('orders the default candidates by tag, all of them /16s inside 10.64.0.0–10.253.255.255', () => {
    const a = candidateRanges('abc123').map(formatCidr);
    const b = candidateRanges('zzz999').map(formatCidr);
    expect(a).toHaveLength(190);
    expect(new Set(a).size).toBe(190);
    expect([...a].sort()).toEqual([...b].sort());
    expect(a[0]).not.toBe(b[0]);
    expect(a.every((c) => /^10\.(6[4-9]|[7-9]\d|1\d\d|2[0-4]\d|25[0-3])\.0\.0\/16$/.test(c))).toBe(true);
  });
});
