// The nftables rulesets, as pure text from validated values: one table per Berth on the host
// (NAT egress for its range only, nothing into instances but replies, host services by DNAT on
// an allow-list, nothing else of the host or the private networks, and no local process but
// Berth's own uid opening a connection to an instance around the edge), and one table inside each
// namespace (connections to the instance's address reach apps that listen on 127.0.0.1 only).
import { namespaceNftTable, namespaceVethName } from '../names.js';
import { privateRanges } from './address-plan.js';

/** A host service instances may reach: `name` resolves to the services address, on `port`. */
export interface HostService {
  name: string;
  /** IPv4 address the service listens on (loopback allowed). */
  host: string;
  port: number;
}

export interface HostTableInput {
  table: string;
  vethPrefix: string;
  cidr: string;
  servicesAddress: string;
  services: readonly HostService[];
  /** Resolvers from the host's resolv.conf that sit in a private range (DNS must still work). */
  nameservers: readonly string[];
  /** Berth's uid: the only local user whose connections reach instances (the edge, the probes). */
  edgeUid: number;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const NAME = /^[a-z0-9_]{1,63}$/;
const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`refusing to write an nftables rule with ${what}`);
}

function checkInput(input: HostTableInput): void {
  check(NAME.test(input.table), `table ${JSON.stringify(input.table)}`);
  check(/^[a-z0-9]{1,14}$/.test(input.vethPrefix), `interface prefix ${JSON.stringify(input.vethPrefix)}`);
  check(CIDR.test(input.cidr), `range ${JSON.stringify(input.cidr)}`);
  check(IPV4.test(input.servicesAddress), `address ${JSON.stringify(input.servicesAddress)}`);
  for (const s of input.services) check(IPV4.test(s.host) && Number.isInteger(s.port) && s.port > 0 && s.port < 65536, `service ${JSON.stringify(s)}`);
  for (const n of input.nameservers) check(IPV4.test(n), `nameserver ${JSON.stringify(n)}`);
  check(Number.isInteger(input.edgeUid) && input.edgeUid >= 0, `uid ${input.edgeUid}`);
}

/** Replaces the Berth's host table in one transaction (create if missing, delete, define). */
export function hostTableScript(input: HostTableInput): string {
  checkInput(input);
  const from = `iifname "${input.vethPrefix}*"`;
  const to = `oifname "${input.vethPrefix}*"`;
  const service = `ct status dnat ct original ip daddr ${input.servicesAddress}`;
  const dnat = input.services.map((s) => `    ${from} ip daddr ${input.servicesAddress} tcp dport ${s.port} dnat to ${s.host}:${s.port}`);
  const dns = input.nameservers.map((n) => `    ${from} ip daddr ${n} meta l4proto { tcp, udp } th dport 53 accept`);
  return [
    `table ip ${input.table} {}`,
    `delete table ip ${input.table}`,
    `table ip ${input.table} {`,
    '  chain prerouting {',
    '    type nat hook prerouting priority dstnat; policy accept;',
    ...dnat,
    '  }',
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    `    ip saddr ${input.cidr} ip daddr != ${input.cidr} masquerade`,
    '  }',
    // Established traffic is accepted first, whatever its interface (the policy accepts it
    // anyway): one cheap test per packet of the edge's keep-alive connections.
    '  chain input {',
    '    type filter hook input priority filter; policy accept;',
    '    ct state established,related accept',
    `    ${from} ${service} accept`,
    `    ${from} drop`,
    '  }',
    '  chain output {',
    '    type filter hook output priority filter; policy accept;',
    '    ct state established,related accept',
    `    ${to} meta skuid != ${input.edgeUid} drop`,
    '  }',
    '  chain forward {',
    '    type filter hook forward priority filter; policy accept;',
    '    ct state established,related accept',
    `    ${to} drop`,
    `    ${from} ${service} accept`,
    ...dns,
    `    ${from} ip daddr { ${privateRanges.join(', ')} } drop`,
    '  }',
    '}',
    '',
  ].join('\n');
}

export function deleteTableScript(table: string): string {
  check(NAME.test(table), `table ${JSON.stringify(table)}`);
  return `table ip ${table} {}\ndelete table ip ${table}\n`;
}

/** Inside a namespace: TCP to the instance's address goes to 127.0.0.1 (same port), where any app can listen. */
export function namespaceTableScript(address: string): string {
  check(IPV4.test(address), `address ${JSON.stringify(address)}`);
  return [
    `table ip ${namespaceNftTable} {`,
    '  chain prerouting {',
    '    type nat hook prerouting priority dstnat; policy accept;',
    `    iifname "${namespaceVethName}" ip daddr ${address} meta l4proto tcp dnat to 127.0.0.1`,
    '  }',
    '}',
    '',
  ].join('\n');
}
