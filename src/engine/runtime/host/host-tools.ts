// The helper programs Berth runs on the host, by absolute path, in one table: the process
// driver, build steps and database servers resolve them alike (these defaults, or a caller's).

/** Absolute paths of the helper programs; defaults are Debian's. */
export interface HostTools {
  sh: string;
  env: string;
  bwrap: string;
  setpriv: string;
  ip: string;
  nft: string;
  /** Only to let instances through a FORWARD chain dockerd or ufw set to DROP; may be missing. */
  iptables: string;
  nsenter: string;
  unshare: string;
  mount: string;
  mkfs: string;
}

export const defaultHostTools: Readonly<HostTools> = Object.freeze({
  sh: '/bin/sh',
  env: '/usr/bin/env',
  bwrap: '/usr/bin/bwrap',
  setpriv: '/usr/bin/setpriv',
  ip: '/usr/sbin/ip',
  nft: '/usr/sbin/nft',
  iptables: '/usr/sbin/iptables',
  nsenter: '/usr/bin/nsenter',
  unshare: '/usr/bin/unshare',
  mount: '/usr/bin/mount',
  mkfs: '/usr/sbin/mkfs.ext4',
});

/** The defaults with the caller's paths over them. */
export function resolveHostTools(overrides: Partial<HostTools> = {}): HostTools {
  return { ...defaultHostTools, ...overrides };
}
