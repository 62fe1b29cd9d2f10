// Forwarding on the uplink is one setting of the whole machine: Berth turns it on for its
// instances' egress and never turns it off, so a Berth that stops cannot cut off another one that
// is starting or running (nor dockerd, which relies on it too). Checked in a private network
// namespace with an uplink of its own whose forwarding starts off: the machine's own is never touched.
// There too: a Berth's next run takes back the address range a killed run claimed, wherever it
// comes in its order, and drops older claims of its own, so no claim outlives the Berth.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const tools = ['/usr/sbin/ip', '/usr/sbin/nft', '/usr/bin/nsenter'];
const skipReason = process.getuid?.() !== 0 ? 'tests are not running as root' : tools.find((t) => !existsSync(t)) ? 'ip, nft or nsenter missing' : '';
const namespace = `fwtest-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const inNamespace = (...argv: string[]) => execFileSync('/usr/sbin/ip', ['netns', 'exec', namespace, ...argv], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });

describe.skipIf(skipReason !== '')(`uplink forwarding${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(() => {
    execFileSync('/usr/sbin/ip', ['netns', 'add', namespace]);
    for (const command of [
      // A veth pair (the dummy module may be missing), its far end left in the namespace.
      ['link', 'add', 'up0', 'type', 'veth', 'peer', 'name', 'up0peer'],
      ['link', 'set', 'up0peer', 'up'],
      ['link', 'set', 'up0', 'up'],
      ['addr', 'add', '192.0.2.2/24', 'dev', 'up0'],
      ['route', 'add', 'default', 'via', '192.0.2.1'],
    ]) inNamespace('/usr/sbin/ip', ...command);
    inNamespace('/bin/sh', '-c', 'echo 0 > /proc/sys/net/ipv4/conf/up0/forwarding');
  });

  afterAll(() => {
    execFileSync('/usr/sbin/ip', ['netns', 'del', namespace]);
  });

  it('is turned on by the first Berth, says so, and stays on when every Berth has stopped', () => {
    const fixture = path.join(repoRoot, 'test/runtime/fixtures/host-forwarding.ts');
    const seen = JSON.parse(inNamespace(process.execPath, '--import', 'tsx', fixture)) as Record<string, unknown>;
    expect(seen).toMatchObject({ before: '0', whileOpen: '1', afterFirstClose: '1', afterLastClose: '1' });
    expect(seen.logged).toEqual([expect.stringMatching(/turned on IPv4 forwarding on up0 .* stays on when Berth stops/)]);
    // Everything else of theirs is gone: the nftables tables and the claims of their ranges.
    expect(inNamespace('/usr/sbin/nft', 'list', 'tables').trim()).toBe('');
    expect(inNamespace('/usr/sbin/ip', '-4', 'route', 'show', 'table', 'all')).not.toMatch(/unreachable/);
  });

  it("takes back the range a killed run claimed and leaves none of its claims once closed", () => {
    const fixture = path.join(repoRoot, 'test/runtime/fixtures/range-reclaim.ts');
    const seen = JSON.parse(inNamespace(process.execPath, '--import', 'tsx', fixture)) as { second: string; metric: string; whileOpen: { cidr: string; claims: string[] }; afterClose: string[] };
    expect(seen.whileOpen.cidr).toBe(seen.second);
    expect(seen.whileOpen.claims).toEqual([`unreachable ${seen.second} metric ${seen.metric}`]);
    expect(seen.afterClose).toEqual([]);
  });
});
