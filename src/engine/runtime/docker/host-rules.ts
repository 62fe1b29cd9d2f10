// Keeps instances off the host: nothing that arrives from one of this Berth's app bridges reaches
// a host service (on any address, the bridge's own included), but replies to connections the
// host opened (the edge, the probes); nor another app's bridge (an engine without its own
// iptables isolation routes between them). One nftables table per Berth, gone when it closes.
import type { Logger } from '../../../core/ports/logger.js';
import { runCommand } from '../../spawn.js';

const PATH_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };

/** The table of the Berth whose names carry `tag` (its cgroup name). */
export function dockerRulesTable(tag: string): string {
  return `berth_docker_${tag.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`.slice(0, 63);
}

export function hostRulesScript(table: string, bridgePrefix: string): string {
  if (!/^[a-z0-9_]{1,63}$/.test(table) || !/^[a-z0-9]{1,12}$/.test(bridgePrefix)) throw new Error('refusing an unsafe nftables name');
  return [
    `table inet ${table} {}`,
    `delete table inet ${table}`,
    `table inet ${table} {`,
    '  chain input {',
    '    type filter hook input priority 0; policy accept;',
    `    iifname "${bridgePrefix}*" ct state established,related accept`,
    `    iifname "${bridgePrefix}*" drop`,
    '  }',
    '  chain forward {',
    '    type filter hook forward priority 0; policy accept;',
    // Bridged traffic within one app's bridge may pass here too (br_netfilter): its destination
    // is on the bridge it came from, so only traffic routed to another bridge is dropped.
    `    iifname "${bridgePrefix}*" oifname "${bridgePrefix}*" fib daddr . iif oif missing drop`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Installs the table; false (said once in the log) when nft is missing or the engine is not on this host. */
export async function installHostRules(table: string, bridgePrefix: string, logger: Logger): Promise<boolean> {
  try {
    const result = await runCommand(['nft', '-f', '-'], { env: PATH_ENV, input: hostRulesScript(table, bridgePrefix), timeoutMs: 10_000 });
    if (result.exitCode === 0) return true;
    logger.warn({ stderr: result.stderr.trim() }, 'could not keep containers off host services (nft failed)');
  } catch {
    logger.warn({}, 'could not keep containers off host services: nft is not installed');
  }
  return false;
}

export async function removeHostRules(table: string): Promise<void> {
  await runCommand(['nft', '-f', '-'], { env: PATH_ENV, input: `table inet ${table} {}\ndelete table inet ${table}\n`, timeoutMs: 10_000 }).catch(() => undefined);
}

/**
 * Inside an instance's network namespace: TCP to its address goes to 127.0.0.1 (same port), so
 * apps that listen on loopback only are served too, as on the process driver.
 */
export async function forwardToLoopback(pid: number, script: string): Promise<boolean> {
  const result = await runCommand(
    ['nsenter', '-t', String(pid), '-n', 'sh', '-c', 'echo 1 > /proc/sys/net/ipv4/conf/eth0/route_localnet && exec nft -f -'],
    { env: PATH_ENV, input: script, timeoutMs: 10_000 },
  ).catch(() => null);
  return result?.exitCode === 0;
}
