// The machine's PostgreSQL binaries (/usr/lib/postgresql/<major>/bin, or the one directory of
// BERTH_POSTGRES_BIN_DIR) and the system user its servers run as (initdb refuses root and needs a
// user with a name).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../spawn.js';
import { isExecutableFile } from '../runtime/host/find-executable.js';
import { SERVER_ENV } from './supervised-server.js';

export interface PostgresInstall {
  /** Major version → bin directory, newest first. */
  versions: Map<string, string>;
  user: { uid: number; gid: number } | null;
  /** Why BERTH_POSTGRES_BIN_DIR offers no version (and how to set it right); else null. */
  missing: string | null;
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
  return { versions, user: systemUser('postgres'), missing: null };
}

/** The one version in `binDir` (its `postgres --version`), or why there is none. */
export async function findPostgresIn(binDir: string): Promise<PostgresInstall> {
  const none = (why: string): PostgresInstall => ({ versions: new Map(), user: systemUser('postgres'), missing: `${why} (BERTH_POSTGRES_BIN_DIR): point BERTH_POSTGRES_BIN_DIR at the directory holding PostgreSQL's postgres and initdb` });
  for (const program of ['postgres', 'initdb']) {
    if (!isExecutableFile(join(binDir, program))) return none(`${program} is not an executable file in ${binDir}`);
  }
  const result = await runCommand([join(binDir, 'postgres'), '--version'], { env: SERVER_ENV, timeoutMs: 10_000 });
  const major = /\(PostgreSQL\) (\d+)/.exec(result.stdout)?.[1];
  if (result.exitCode !== 0 || major === undefined) return none(`${join(binDir, 'postgres')} --version did not say which PostgreSQL it is`);
  return { versions: new Map([[major, binDir]]), user: systemUser('postgres'), missing: null };
}

/** BERTH_POSTGRES_BIN_DIR's version when set, else the machine's. */
export async function locatePostgres(binDir: string | null): Promise<PostgresInstall> {
  return binDir === null ? findPostgres() : findPostgresIn(binDir);
}
