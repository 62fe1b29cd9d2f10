// Debian's docker-registry on loopback, storing under a temp dir: the registry image tests push
// to and deploy from, open or behind a user and password (htpasswd, bcrypt). Started by the test,
// stopped by it.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { releasePort, reservePort } from './reserved-port.js';

export interface TestRegistry {
  /** host:port, e.g. 127.0.0.1:5123. */
  address: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const BCRYPT_SALT = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An htpasswd line with a bcrypt hash (the only kind the registry takes): the C library's crypt through perl, which Debian always has. */
export function htpasswdLine(username: string, password: string): string {
  const salt = [...randomBytes(22)].map((b) => BCRYPT_SALT[b % 64]).join('');
  const hash = execFileSync('/usr/bin/perl', ['-e', 'print crypt($ARGV[0], $ARGV[1])', password, `$2b$05$${salt}`], { encoding: 'utf8' });
  if (!hash.startsWith('$2b$05$')) throw new Error('this machine\'s crypt() has no bcrypt');
  return `${username}:${hash}`;
}

export async function startRegistry(options: { auth?: { username: string; password: string } } = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-registry-'));
  // Reserved, not merely free now: the registry binds it a moment later, in its own process.
  const port = await reservePort();
  const address = `127.0.0.1:${port}`;
  let auth = '';
  if (options.auth) {
    writeFileSync(join(dir, 'htpasswd'), `${htpasswdLine(options.auth.username, options.auth.password)}\n`);
    auth = `auth: { htpasswd: { realm: berth-test, path: ${join(dir, 'htpasswd')} } }\n`;
  }
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog: { level: error }\nstorage: { filesystem: { rootdirectory: ${join(dir, 'data')} }, delete: { enabled: true } }\nhttp: { addr: ${address} }\n${auth}`,
  );
  const child = spawn('/usr/bin/docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore', env: { PATH: '/usr/bin:/bin' } });
  const until = Date.now() + 10_000;
  // Up once /v2/ answers: 200, or 401 when it asks for a user.
  while (!(await fetch(`http://${address}/v2/`).then((r) => r.ok || r.status === 401, () => false))) {
    if (child.exitCode !== null || Date.now() > until) {
      if (child.exitCode === null) child.kill('SIGTERM');
      releasePort(port);
      throw new Error('docker-registry did not start');
    }
    await sleep(50);
  }
  return {
    address,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([new Promise((r) => child.once('exit', r)), sleep(5_000)]);
      }
      rmSync(dir, { recursive: true, force: true });
      releasePort(port);
    },
  };
}
