import { describe, expect, it } from 'vitest';
import { checkGitUrl, isPrivateAddress } from './url-policy.js';

describe('git URL policy', () => {
  it.each([
    ['127.0.0.1', true], ['127.8.9.10', true], ['10.0.0.1', true], ['172.16.5.4', true], ['172.32.0.1', false], ['192.168.1.1', true],
    ['169.254.169.254', true], ['100.64.0.1', true], ['0.0.0.0', true], ['8.8.8.8', false], ['140.82.112.3', false],
    ['::1', true], ['::', true], ['fe80::1', true], ['fd00::1', true], ['::ffff:127.0.0.1', true], ['::ffff:8.8.8.8', false], ['2606:4700::1111', false],
    ['not-an-ip', true],
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

  it('allows loopback and http when the operator allows private networks', async () => {
    const ok = await checkGitUrl('http://127.0.0.1:9418/repo.git', { allowPrivateNetworks: true });
    expect(ok.pinnedAddress).toBeNull();
    await expect(checkGitUrl('file:///srv/repo.git', { allowPrivateNetworks: true })).rejects.toThrow(/only https/);
  });
});
