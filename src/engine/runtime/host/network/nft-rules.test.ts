import { describe, expect, it } from 'vitest';
import { hostTableScript, namespaceTableScript } from './nft-rules.js';

const input = {
  table: 'berth_abc123',
  vethPrefix: 'babc123',
  cidr: '10.88.0.0/16',
  servicesAddress: '10.88.0.1',
  services: [{ name: 'postgres', host: '127.0.0.1', port: 5432 }],
  nameservers: ['10.255.255.53'],
  edgeUid: 0,
};

describe('nftables rules', () => {
  it('replace the host table atomically: egress NAT, replies only into instances, host services by allow-list', () => {
    expect(hostTableScript(input)).toMatchInlineSnapshot(`
      "table ip berth_abc123 {}
      delete table ip berth_abc123
      table ip berth_abc123 {
        chain prerouting {
          type nat hook prerouting priority dstnat; policy accept;
          iifname "babc123*" ip daddr 10.88.0.1 tcp dport 5432 dnat to 127.0.0.1:5432
        }
        chain postrouting {
          type nat hook postrouting priority srcnat; policy accept;
          ip saddr 10.88.0.0/16 ip daddr != 10.88.0.0/16 masquerade
        }
        chain input {
          type filter hook input priority filter; policy accept;
          ct state established,related accept
          iifname "babc123*" ct status dnat ct original ip daddr 10.88.0.1 accept
          iifname "babc123*" drop
        }
        chain output {
          type filter hook output priority filter; policy accept;
          ct state established,related accept
          oifname "babc123*" meta skuid != 0 drop
        }
        chain forward {
          type filter hook forward priority filter; policy accept;
          ct state established,related accept
          oifname "babc123*" drop
          iifname "babc123*" ct status dnat ct original ip daddr 10.88.0.1 accept
          iifname "babc123*" ip daddr 10.255.255.53 meta l4proto { tcp, udp } th dport 53 accept
          iifname "babc123*" ip daddr { 0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16, 224.0.0.0/4, 240.0.0.0/4 } drop
        }
      }
      "
    `);
  });

  it('refuse values that are not what Berth derives or validated', () => {
    expect(() => hostTableScript({ ...input, table: 'x; flush ruleset' })).toThrow(/refusing/);
    expect(() => hostTableScript({ ...input, services: [{ name: 'x', host: '127.0.0.1 accept', port: 1 }] })).toThrow(/refusing/);
    expect(() => hostTableScript({ ...input, vethPrefix: 'b*' })).toThrow(/refusing/);
    expect(() => namespaceTableScript('10.88.0.6/30')).toThrow(/refusing/);
  });

  it('send TCP to the instance address on to 127.0.0.1 inside the namespace', () => {
    expect(namespaceTableScript('10.88.0.6')).toContain('iifname "eth0" ip daddr 10.88.0.6 meta l4proto tcp dnat to 127.0.0.1');
  });
});
