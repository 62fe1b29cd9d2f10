// dockerd (with its default --iptables) and ufw set iptables' FORWARD policy to DROP, and a drop
// in any forward chain is final: instances and build steps had no network at all on such a host
// (a build's `npm ci` hung until its step timed out). Berth now lets its own interfaces through
// that chain while its network is open, and takes the rules away when it closes. Checked in a
// private network namespace with its own FORWARD policy and a far side behind its uplink: the
// machine's own firewall is never touched.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const tools = ['/usr/sbin/ip', '/usr/sbin/nft', '/usr/bin/nsenter', '/usr/sbin/iptables'];
const skipReason = process.getuid?.() !== 0 ? 'tests are not running as root' : tools.find((t) => !existsSync(t)) ? 'ip, nft, nsenter or iptables missing' : '';
const suffix = `${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
const host = `fdhost-${suffix}`;
const far = `fdfar-${suffix}`;
const farAddress = '198.51.100.1';
const inNamespace = (namespace: string, ...argv: string[]) => execFileSync('/usr/sbin/ip', ['netns', 'exec', namespace, ...argv], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FAR_ADDRESS: farAddress } });

describe.skipIf(skipReason !== '')(`a FORWARD chain that drops by policy${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let farServer: ChildProcess | undefined;

  beforeAll(async () => {
    execFileSync('/usr/sbin/ip', ['netns', 'add', host]);
    execFileSync('/usr/sbin/ip', ['netns', 'add', far]);
    for (const command of [
      ['link', 'add', 'up0', 'type', 'veth', 'peer', 'name', 'up0peer', 'netns', far],
      ['link', 'set', 'lo', 'up'],
      ['link', 'set', 'up0', 'up'],
      ['addr', 'add', '198.51.100.2/24', 'dev', 'up0'],
      ['route', 'add', 'default', 'via', farAddress],
    ]) inNamespace(host, '/usr/sbin/ip', ...command);
    for (const command of [
      ['link', 'set', 'lo', 'up'],
      ['link', 'set', 'up0peer', 'up'],
      ['addr', 'add', `${farAddress}/24`, 'dev', 'up0peer'],
    ]) inNamespace(far, '/usr/sbin/ip', ...command);
    inNamespace(host, '/usr/sbin/iptables', '-P', 'FORWARD', 'DROP');
    const server = `require('net').createServer((s) => s.end('far side')).listen(8099, ${JSON.stringify(farAddress)}, () => console.log('listening'))`;
    farServer = spawn('/usr/sbin/ip', ['netns', 'exec', far, process.execPath, '-e', server], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => farServer?.stdout?.once('data', () => resolve()));
  });

  afterAll(() => {
    farServer?.kill();
    execFileSync('/usr/sbin/ip', ['netns', 'del', host]);
    execFileSync('/usr/sbin/ip', ['netns', 'del', far]);
  });

  it('lets instances out through it while the network is open, and leaves no rule behind', { timeout: 60_000 }, () => {
    const fixture = path.join(repoRoot, 'test/runtime/fixtures/forward-passage.ts');
    const seen = JSON.parse(inNamespace(host, process.execPath, '--import', 'tsx', fixture)) as {
      withoutIptables: { reached: string };
      withIptables: { reached: string; whileOpen: string[] };
      afterClose: string[];
    };
    // Without the passage (no iptables to open it with) the policy drops the instance's traffic.
    expect(seen.withoutIptables.reached).toBe('timeout');
    expect(seen.withIptables.reached).toBe('far side');
    expect(seen.withIptables.whileOpen.filter((rule) => rule.includes('berth'))).toHaveLength(2);
    expect(seen.afterClose).toEqual(['-P FORWARD DROP']);
  });
});
