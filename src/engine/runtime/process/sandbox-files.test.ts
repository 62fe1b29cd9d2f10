import { describe, expect, it } from 'vitest';
import { resolvConf, sandboxEtc } from './sandbox-files.js';

describe('sandboxEtc', () => {
  const etc = sandboxEtc({ hostname: 'web-1', uid: 1000001, gid: 1000001, home: '/srv/app', hostResolvConf: null });

  it('resolves localhost to IPv4 only and names the app uid', () => {
    expect(etc.hosts).toMatch(/^127\.0\.0\.1\tlocalhost$/m);
    expect(etc.hosts).not.toMatch(/^::1\b.*[\t ]localhost(\s|$)/m);
    expect(etc.passwd).toContain('app:x:1000001:1000001:app:/srv/app:/bin/sh');
    expect(etc.group).toContain('app:x:1000001:');
    expect(etc['nsswitch.conf']).toContain('hosts: files dns');
  });

  it('names the host services a namespace may reach', () => {
    const withServices = sandboxEtc({ hostname: 'web-1', uid: 1, gid: 1, home: '/a', hostResolvConf: null, extraHosts: [{ address: '10.88.0.1', name: 'postgres' }] });
    expect(withServices.hosts).toMatch(/^10\.88\.0\.1\tpostgres$/m);
  });

  it("keeps the host's resolver directives, or falls back to a loopback nameserver", () => {
    expect(resolvConf('# comment\nnameserver 10.0.0.2\nsearch corp\nbogus line\n')).toBe(
      'nameserver 10.0.0.2\nsearch corp\n',
    );
    expect(resolvConf(null)).toBe('nameserver 127.0.0.1\n');
  });
});
