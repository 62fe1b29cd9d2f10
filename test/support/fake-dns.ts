// A DNS that answers what the test put in it, and nothing for any other name: custom-domain
// verification is the one boundary a test cannot run for real.
import type { DnsResolver } from '../../src/core/ports/dns.js';

export function fakeDns(): DnsResolver & { cnames: Map<string, string[]>; txts: Map<string, string[]> } {
  const cnames = new Map<string, string[]>();
  const txts = new Map<string, string[]>();
  return { cnames, txts, cname: async (host) => cnames.get(host) ?? [], txt: async (host) => txts.get(host) ?? [] };
}
