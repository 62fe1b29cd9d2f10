// The few /etc files a sandbox needs that the host's /usr does not provide: localhost must
// resolve (to IPv4 first, because the edge dials 127.0.0.1), DNS must work, and the app's
// uid needs a passwd entry so `os.userInfo()` and friends do not fail.

export interface SandboxEtc {
  hosts: string;
  passwd: string;
  group: string;
  'resolv.conf': string;
  'nsswitch.conf': string;
}

export interface SandboxEtcInput {
  hostname: string;
  uid: number;
  gid: number;
  home: string;
  /** The host's resolv.conf text, or null when unreadable. */
  hostResolvConf: string | null;
  /** Extra names (host services inside a network namespace). */
  extraHosts?: readonly { address: string; name: string }[];
}

/** Keeps only the directives that make sense inside a sandbox sharing the host's network. */
export function resolvConf(hostText: string | null): string {
  const kept = (hostText ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(nameserver|search|domain|options)\s/.test(line));
  return (kept.some((l) => l.startsWith('nameserver')) ? kept : [...kept, 'nameserver 127.0.0.1']).join('\n') + '\n';
}

export function sandboxEtc(input: SandboxEtcInput): SandboxEtc {
  return {
    // `localhost` only on 127.0.0.1: an app that listens on "localhost" must be reachable on IPv4.
    hosts: [
      '127.0.0.1\tlocalhost',
      `127.0.1.1\t${input.hostname}`,
      '::1\tip6-localhost ip6-loopback',
      ...(input.extraHosts ?? []).map((h) => `${h.address}\t${h.name}`),
      '',
    ].join('\n'),
    passwd: [
      'root:x:0:0:root:/root:/usr/sbin/nologin',
      `app:x:${input.uid}:${input.gid}:app:${input.home}:/bin/sh`,
      'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
      '',
    ].join('\n'),
    group: ['root:x:0:', `app:x:${input.gid}:`, 'nogroup:x:65534:', ''].join('\n'),
    'resolv.conf': resolvConf(input.hostResolvConf),
    'nsswitch.conf': ['passwd: files', 'group: files', 'hosts: files dns', ''].join('\n'),
  };
}
