import { describe, expect, it } from 'vitest';
import { checkGitUrl, embeddedIpv4, isPrivateAddress } from './url-policy.js';

describe('git URL policy', () => {
  it.each([
    ['127.0.0.1', true], ['127.8.9.10', true], ['10.0.0.1', true], ['172.16.5.4', true], ['172.32.0.1', false], ['192.168.1.1', true],
    ['169.254.169.254', true], ['100.64.0.1', true], ['0.0.0.0', true], ['8.8.8.8', false], ['140.82.112.3', false],
    ['::1', true], ['::', true], ['fe80::1', true], ['fd00::1', true], ['::ffff:127.0.0.1', true], ['::ffff:8.8.8.8', false], ['2606:4700::1111', false],
    ['not-an-ip', true],
    // IPv4-compatible, IPv4-mapped (as URL() normalises them), NAT64 and 6to4 forms of private IPv4 addresses
    ['::127.0.0.1', true], ['::7f00:1', true], ['::ffff:7f00:1', true], ['::ffff:a00:1', true], ['::ffff:c0a8:101', true],
    ['64:ff9b::7f00:1', true], ['64:ff9b::a9fe:a9fe', true], ['2002:7f00:1::', true], ['2002:a00:1::1', true],
    ['::8.8.8.8', true], ['2001:0:4136:e378:8000:63bf:3fff:fdd2', true], ['64:ff9b:1::1', true], ['fec0::1', true],
    ['::ffff:808:808', false], ['64:ff9b::808:808', false], ['2002:808:808::1', false],
  ])('%s private: %s', (address, expected) => expect(isPrivateAddress(address)).toBe(expected));

  const refuse = (url: string, lookup: string[] = ['140.82.112.3']) =>
    expect(checkGitUrl(url, { allowPrivateNetworks: false, lookup: async () => lookup })).rejects.toThrow(/Cannot fetch/);

  it('refuses schemes other than https, local paths and embedded credentials', async () => {
    await refuse('http://github.com/org/repo');
    await refuse('file:///srv/repo.git');
    await refuse('/srv/repo.git');
    await refuse('ext::sh -c touch% /tmp/pwned');
    await refuse('ssh://git@github.com/org/repo');
    await refuse('https://user:pass@github.com/org/repo');
  });

  it('refuses hosts that resolve to private addresses, and pins the public one it checked', async () => {
    await refuse('https://internal.example/repo.git', ['10.1.2.3']);
    await refuse('https://mixed.example/repo.git', ['140.82.112.3', '127.0.0.1']);
    await refuse('https://[fe80::1]/repo.git');
    const ok = await checkGitUrl('https://github.com/org/repo', { allowPrivateNetworks: false, lookup: async () => ['140.82.112.3'] });
    expect(ok.pinnedAddress).toBe('140.82.112.3');
  });

  it('reads the IPv4 address inside IPv6 forms', () => {
    expect(embeddedIpv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedIpv4('::127.0.0.1')).toBe('127.0.0.1');
    expect(embeddedIpv4('64:ff9b::c0a8:0101')).toBe('192.168.1.1');
    expect(embeddedIpv4('2002:0a00:0001::')).toBe('10.0.0.1');
    expect(embeddedIpv4('2606:4700::1111')).toBeNull();
  });

  it('refuses IPv6 literals that carry a private IPv4 address', async () => {
    for (const url of ['https://[::127.0.0.1]/r.git', 'https://[::ffff:127.0.0.1]/r.git', 'https://[::ffff:10.0.0.1]/r.git', 'https://[64:ff9b::127.0.0.1]/r.git', 'https://[2002:7f00:1::]/r.git']) {
      await refuse(url);
    }
  });

  it('does not pin an address literal (nothing to resolve), and pins names', async () => {
    const literal = await checkGitUrl('https://[2606:4700::1111]/org/repo.git', { allowPrivateNetworks: false });
    expect(literal.pinnedAddress).toBeNull();
    const v4 = await checkGitUrl('https://140.82.112.3/org/repo.git', { allowPrivateNetworks: false });
    expect(v4.pinnedAddress).toBeNull();
  });

  it('allows loopback and http when the operator allows private networks', async () => {
    const ok = await checkGitUrl('http://127.0.0.1:9418/repo.git', { allowPrivateNetworks: true });
    expect(ok.pinnedAddress).toBeNull();
    await expect(checkGitUrl('file:///srv/repo.git', { allowPrivateNetworks: true })).rejects.toThrow(/only https/);
  });
});
