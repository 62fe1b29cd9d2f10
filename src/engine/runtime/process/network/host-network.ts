// One Berth's instance network on this machine: its claimed address range, its nftables table, a
// passage through iptables' FORWARD chain (forward-passage.ts), forwarding on the uplink, and a
// network namespace per instance or build step (a veth pair to the host, a /30 of the range,
// egress through NAT, nothing of the host but allowed services).
// A namespace outlives nothing: release() removes it, and a restart removes what a killed run left.
// Forwarding on the uplink is the exception: turned on when off, never turned off (see close()).
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  claimMetric,
  hostVethName,
  namespaceVethName,
  netnsDir,
  netnsName,
  netnsSlot,
  nftTableName,
  vethPrefix,
} from '../../host/names.js';
import type { RuntimeLogger } from '../options.js';
import { candidateRanges, formatCidr, hostServicesAddress, parseCidr, SLOT_PREFIX, slotAddresses, slotCount, type Ipv4Range } from '../../host/network/address-plan.js';
import { attempt, NAMESPACE_SETUP_SCRIPT, readSysctl, run, writeSysctl, type NetworkTools } from './net-commands.js';
import { deleteTableScript, hostTableScript, namespaceTableScript, type HostService } from '../../host/network/nft-rules.js';
import { claimRange, releaseRange } from './range-claim.js';
import { openForwardPassage, type ForwardPassage } from './forward-passage.js';

export interface NamespaceLease {
  name: string;
  /** The namespace file to enter (nsenter --net=…). */
  path: string;
  /** The instance's address: what the edge dials. */
  address: string;
  gateway: string;
  /** The host side of its veth pair: its counters are the instance's traffic, seen from the host. */
  hostInterface: string;
  release(): Promise<void>;
}

export interface HostNetwork {
  readonly cidr: string;
  /** Where host services appear inside every namespace (an /etc/hosts entry per service). */
  readonly servicesAddress: string;
  readonly services: readonly HostService[];
  attach(): Promise<NamespaceLease>;
  /** Removes this Berth's namespaces that no live lease holds (a previous run's); returns how many. */
  cleanupOrphans(): Promise<number>;
  close(): Promise<void>;
}

export interface HostNetworkOptions {
  tag: string;
  /** The operator's range, or null to pick a free /16. */
  cidr: string | null;
  services: readonly HostService[];
  tools: NetworkTools;
  resolvConfPath: string;
  logger: RuntimeLogger;
}

/** IPv4 resolvers of the host, as /32 ranges. */
async function nameservers(resolvConfPath: string): Promise<string[]> {
  try {
    const text = await readFile(resolvConfPath, 'utf8');
    return [...text.matchAll(/^\s*nameserver\s+(\d+\.\d+\.\d+\.\d+)\s*$/gm)].map((m) => m[1] ?? '').filter(Boolean);
  } catch {
    return []; // no resolver configured: nothing to keep reachable
  }
}

async function uplinks(tools: NetworkTools): Promise<string[]> {
  const routes = JSON.parse(await run([tools.ip, '-j', '-4', 'route', 'show', 'default'])) as { dev?: string }[];
  return [...new Set(routes.map((r) => r.dev).filter((d): d is string => typeof d === 'string'))];
}

export async function openHostNetwork(options: HostNetworkOptions): Promise<HostNetwork> {
  const { tools, tag } = options;
  const metric = claimMetric(tag);
  const configured = options.cidr === null ? null : parseCidr(options.cidr);
  if (options.cidr !== null && configured === null) throw new Error(`BERTH_INSTANCE_CIDR ${options.cidr} is not an IPv4 range`);
  const resolvers = await nameservers(options.resolvConfPath);
  const range: Ipv4Range = await claimRange({
    tools,
    candidates: configured ? [configured] : candidateRanges(tag),
    configured: configured !== null,
    metric,
    avoid: resolvers.map((n) => parseCidr(`${n}/32`)).filter((r): r is Ipv4Range => r !== null),
  });
  const cidr = formatCidr(range);
  const servicesAddress = hostServicesAddress(range);
  const table = nftTableName(tag);
  const prefix = vethPrefix(tag);
  const devices = await uplinks(tools);
  const forwardUplinks = async (): Promise<void> => {
    for (const dev of devices) {
      if ((await readSysctl(dev, 'forwarding')) === '1') continue;
      await writeSysctl(dev, 'forwarding', '1');
      options.logger.info({ device: dev }, `turned on IPv4 forwarding on ${dev} for the instances' egress; it stays on when Berth stops`);
    }
  };
  let passage: ForwardPassage | null = null;
  try {
    const privateResolvers = resolvers.filter((n) => /^(10|127|169\.254|172\.(1[6-9]|2\d|3[01])|192\.168)\./.test(n));
    await run([tools.nft, '-f', '-'], hostTableScript({ table, vethPrefix: prefix, cidr, servicesAddress, services: options.services, nameservers: privateResolvers, edgeUid: process.getuid?.() ?? 0 }));
    passage = await openForwardPassage(tools, prefix, table, options.logger);
    await forwardUplinks();
  } catch (error) {
    await passage?.close();
    await attempt([tools.nft, '-f', '-'], deleteTableScript(table));
    await releaseRange(tools, range, metric);
    throw error;
  }

  const used = new Set<number>();
  let closed = false;
  const slots = slotCount(range);

  /** Deleting the host veth cuts the pair at once, even while a process still holds the namespace. */
  const remove = async (slot: number): Promise<void> => {
    await attempt([tools.ip, '-force', '-batch', '-'], `link del ${hostVethName(tag, slot)}\nnetns del ${netnsName(tag, slot)}\n`);
  };

  /**
   * Slots are handed out in turn, not lowest first: an address comes back only after the whole
   * range went round, so the edge's pooled connections and in-flight counts of a stopped instance
   * are never mistaken for its successor's.
   */
  let lastSlot = 0;
  const pickSlot = (): number => {
    for (let i = 1; i < slots; i++) {
      const slot = ((lastSlot + i - 1) % (slots - 1)) + 1;
      if (used.has(slot) || existsSync(join(netnsDir, netnsName(tag, slot)))) continue;
      used.add(slot);
      lastSlot = slot;
      return slot;
    }
    throw new Error(`every address of ${cidr} is in use`);
  };

  return {
    cidr,
    servicesAddress,
    services: options.services,
    async attach() {
      const slot = pickSlot();
      const name = netnsName(tag, slot);
      const veth = hostVethName(tag, slot);
      const { gateway, address } = slotAddresses(range, slot);
      try {
        await run(
          [tools.ip, '-batch', '-'],
          [
            `netns add ${name}`,
            `link add ${veth} type veth peer name ${namespaceVethName} netns ${name}`,
            `addr add ${gateway}/${SLOT_PREFIX} dev ${veth}`,
            `link set ${veth} up`,
            '',
          ].join('\n'),
        );
        await writeSysctl(veth, 'forwarding', '1');
        // Host services on loopback are reached by a DNAT to 127.0.0.1 of packets from this veth.
        if (options.services.some((s) => s.host.startsWith('127.'))) await writeSysctl(veth, 'route_localnet', '1');
        await forwardUplinks(); // an operator may have turned it off since
        const path = join(netnsDir, name);
        await run(
          [tools.nsenter, `--net=${path}`, '--', tools.sh, '-c', NAMESPACE_SETUP_SCRIPT, 'sh', namespaceVethName, namespaceTableScript(address)],
          [
            `addr add ${address}/${SLOT_PREFIX} dev ${namespaceVethName}`,
            'link set lo up',
            `link set ${namespaceVethName} up`,
            `route add default via ${gateway}`,
            '',
          ].join('\n'),
        );
        let released = false;
        return {
          name,
          path,
          address,
          gateway,
          hostInterface: veth,
          async release() {
            if (released) return;
            released = true;
            await remove(slot);
            used.delete(slot);
          },
        };
      } catch (error) {
        await remove(slot);
        used.delete(slot);
        throw error;
      }
    },
    async cleanupOrphans() {
      let removed = 0;
      let names: string[] = [];
      try {
        names = await readdir(netnsDir);
      } catch {
        return 0; // no namespaces at all yet
      }
      for (const entry of names) {
        const slot = netnsSlot(tag, entry);
        if (slot === null || used.has(slot)) continue;
        await remove(slot);
        removed += 1;
      }
      return removed;
    },
    async close() {
      if (closed) return;
      closed = true;
      await passage?.close();
      await attempt([tools.nft, '-f', '-'], deleteTableScript(table));
      await releaseRange(tools, range, metric);
      // Uplink forwarding stays on. It is one setting of the whole machine that others rely on
      // without saying so: another Berth starting this very moment (it reads '1' and goes on),
      // dockerd (which turns it on once, when it starts), libvirt, podman. No check of who still
      // needs it can be atomic with the write that turns it off, and it guards nothing of
      // Berth's: instances are confined by the nftables table, not by the sysctl.
    },
  };
}
