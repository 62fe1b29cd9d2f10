// The machine's PostgreSQL binaries (/usr/lib/postgresql/<major>/bin) and the system user its
// servers run as (initdb refuses root and needs a user with a name).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PostgresInstall {
  /** Major version → bin directory, newest first. */
  versions: Map<string, string>;
  user: { uid: number; gid: number } | null;
}

/** A system user's ids from /etc/passwd (the servers' programs want a named user). */
export function systemUser(name: string): { uid: number; gid: number } | null {
  try {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
    const [, , uid, gid] = line?.split(':') ?? [];
    return uid && gid ? { uid: Number(uid), gid: Number(gid) } : null;
  } catch {
    return null; // no passwd file: no user to run servers as
  }
}

export function findPostgres(root = '/usr/lib/postgresql'): PostgresInstall {
  const versions = new Map<string, string>();
  if (existsSync(root)) {
    const majors = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const major of majors) {
      const bin = join(root, major, 'bin');
      if (existsSync(join(bin, 'postgres')) && existsSync(join(bin, 'initdb'))) versions.set(major, bin);
    }
  }
  return { versions, user: systemUser('postgres') };
}
