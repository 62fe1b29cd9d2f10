// DNS look-ups through the system resolver, for custom-domain verification.
import dns from 'node:dns/promises';
import type { DnsResolver } from '../core/ports/dns.js';

export const systemDns: DnsResolver = {
  cname: async (hostname) => {
    try {
      return (await dns.resolveCname(hostname)).map((name) => name.toLowerCase().replace(/\.$/, ''));
    } catch {
      return []; // NXDOMAIN, no record, or no resolver: all mean "not pointed at us yet"
    }
  },
  txt: async (hostname) => {
    try {
      return (await dns.resolveTxt(hostname)).map((chunks) => chunks.join(''));
    } catch {
      return []; // as above
    }
  },
};
