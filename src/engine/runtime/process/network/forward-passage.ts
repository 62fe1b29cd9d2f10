// Another firewall's forward chain can drop what Berth's own table lets through: a packet passes
// every base chain on the forward hook, and a drop in any of them is final. dockerd (with its
// default --iptables) and ufw set iptables' FORWARD policy to DROP, which cut every instance and
// build step off the network (an `npm ci` then hangs until its step times out). So while a host
// network is open, iptables' FORWARD chain (through the host's own `iptables`, whichever backend
// it uses, so dockerd and ufw can still read the chain) holds two ACCEPT rules for this Berth's
// interfaces, tagged with its table's name: out of them, and replies back in. Berth's table still
// does the confining. A forward chain of any other nftables table that drops by policy is only
// named in a warning: it is its owner's to open.
import { existsSync } from 'node:fs';
import type { RuntimeLogger } from '../options.js';
import { attempt, run, type NetworkTools } from './net-commands.js';

const CHAIN = 'FORWARD';

function passageRules(vethPrefix: string, table: string): string[][] {
  const tag = ['-m', 'comment', '--comment', `berth ${table}`];
  return [
    ['-i', `${vethPrefix}+`, ...tag, '-j', 'ACCEPT'],
    ['-o', `${vethPrefix}+`, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', ...tag, '-j', 'ACCEPT'],
  ];
}

/** Deletes every copy of the rules (a killed run's included); returns how many went. */
async function removeRules(iptables: string, rules: string[][]): Promise<number> {
  let removed = 0;
  for (const rule of rules) {
    // Bounded: a copy per earlier run at most, and each delete removes one.
    for (let i = 0; i < 16 && (await attempt([iptables, '-w', '5', '-D', CHAIN, ...rule])); i++) removed += 1;
  }
  return removed;
}

export interface ForwardPassage {
  close(): Promise<void>;
}

/** Opens the passage (replacing a killed run's); without iptables on the host there is no chain to open. */
export async function openForwardPassage(tools: NetworkTools, vethPrefix: string, table: string, logger: RuntimeLogger): Promise<ForwardPassage> {
  const rules = passageRules(vethPrefix, table);
  const iptables = tools.iptables !== undefined && existsSync(tools.iptables) ? tools.iptables : null;
  if (iptables !== null) {
    await removeRules(iptables, rules);
    try {
      // Inserted in reverse, so they end up in the listed order at the top of the chain.
      for (const rule of [...rules].reverse()) await run([iptables, '-w', '5', '-I', CHAIN, '1', ...rule]);
    } catch (error) {
      await removeRules(iptables, rules);
      logger.warn({ err: error }, `could not let the instances' traffic through iptables' ${CHAIN} chain; if its policy is DROP (dockerd, ufw), instances and build steps have no network`);
    }
  }
  await warnOfOtherDropChains(tools, logger);
  return {
    async close() {
      if (iptables !== null) await removeRules(iptables, rules);
    },
  };
}

interface NftChain {
  family?: string;
  table?: string;
  name?: string;
  hook?: string;
  policy?: string;
}

async function warnOfOtherDropChains(tools: NetworkTools, logger: RuntimeLogger): Promise<void> {
  let listing: { nftables?: { chain?: NftChain }[] };
  try {
    listing = JSON.parse(await run([tools.nft, '-j', 'list', 'chains'])) as typeof listing;
  } catch {
    return; // an nft too old for JSON: nothing to read, nothing to say
  }
  for (const { chain } of listing.nftables ?? []) {
    if (chain?.hook !== 'forward' || chain.policy !== 'drop') continue;
    if (chain.family === 'ip' && chain.table === 'filter' && chain.name === CHAIN) continue; // iptables': opened above
    logger.warn(
      { table: `${chain.family} ${chain.table}`, chain: chain.name },
      `nftables chain ${chain.family} ${chain.table} ${chain.name} drops forwarded traffic by policy: instances and build steps have no network unless it accepts what Berth's interfaces send (iifname "…*") and their replies`,
    );
  }
}
