// Host-side preparation of a sandbox: hand the app dir to the app's uid (so it can write
// there and nobody else can) and write the generated /etc files the sandbox binds.
import { lstat, mkdir, lchown, chmod, readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../../spawn.js';
import { sandboxEtcDir } from '../host/names.js';
import { sandboxEtc, type SandboxEtcInput } from './sandbox-files.js';

/**
 * chown -R without following symlinks. Files with several hard links are skipped: another
 * link may sit outside the tree (a revision's files are links into the frozen artifact), and
 * handing that inode to an app would leak it. One find(1) walk: about 10x faster than a walk
 * from Node on a tree of node_modules, which is time a revision waits before it starts.
 */
async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  const argv = ['/usr/bin/find', '-P', dir, '-mindepth', '1', '(', '-type', 'd', '-o', '-type', 'l', '-o', '-links', '1', ')'];
  const result = await runCommand([...argv, '-exec', '/bin/chown', '-h', `${uid}:${gid}`, '{}', '+'], {
    env: { PATH: '/usr/bin:/bin', LANG: 'C' },
    timeoutMs: 600_000,
  });
  if (result.exitCode !== 0) throw new Error(`handing ${dir} to uid ${uid} failed: ${result.stderr.trim()}`);
}

/** A tree whose root already belongs to the uid was handed over by an earlier start. */
export async function handOverWorkDir(workDir: string, uid: number, gid: number): Promise<void> {
  const root = await lstat(workDir);
  if (!root.isDirectory()) throw new Error(`workDir ${workDir} is not a directory`);
  if (root.uid !== uid || root.gid !== gid) {
    await chownTree(workDir, uid, gid);
    await lchown(workDir, uid, gid);
  }
  await chmod(workDir, 0o700);
}

/** Writes hosts, passwd, group, resolv.conf and nsswitch.conf; returns sandbox path → host path. */
export async function writeSandboxEtc(
  stateDir: string,
  instanceId: string,
  input: Omit<SandboxEtcInput, 'hostResolvConf'> & { resolvConfPath: string },
): Promise<Record<string, string>> {
  const dir = sandboxEtcDir(stateDir, instanceId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let hostResolvConf: string | null = null;
  try {
    hostResolvConf = await readFile(input.resolvConfPath, 'utf8');
  } catch {
    hostResolvConf = null; // no host resolver config: the sandbox gets a loopback nameserver
  }
  const files = sandboxEtc({ ...input, hostResolvConf });
  const mapping: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    const hostPath = join(dir, name);
    await writeFile(hostPath, content, { mode: 0o644 });
    mapping[`/etc/${name}`] = hostPath;
  }
  return mapping;
}

export async function removeSandboxEtc(stateDir: string, instanceId: string): Promise<void> {
  await rm(sandboxEtcDir(stateDir, instanceId), { recursive: true, force: true });
}
