import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { chown } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JOIN_CGROUPS_SCRIPT } from '../runtime/host/cgroup-v1.js';
import { defaultHostTools } from '../runtime/host/host-tools.js';
import { PARENT_GUARD_SCRIPT } from '../runtime/host/parent-guard.js';
import { runCommand } from '../spawn.js';
import { serverArgv, type ServerLaunch } from './supervised-server.js';

const nobody = { uid: 65534, gid: 65534 };
const launch: ServerLaunch = { tools: defaultHostTools, dir: '/srv/berth/volumes/db1', user: nobody, command: ['/usr/bin/redis-server', '/mnt/redis.conf'] };
const guard = ['/usr/bin/setpriv', '--pdeathsig', 'SIGKILL', '--', '/bin/sh', '-c', PARENT_GUARD_SCRIPT, 'sh', String(process.pid)];

describe('a database server’s launch', () => {
  it('starts with the parent guard instances and build steps use, then joins cgroups, then enters bwrap', () => {
    const plain = serverArgv(launch);
    expect(plain.slice(0, 9)).toEqual(guard);
    expect(plain[9]).toBe('/usr/bin/bwrap');
    const limited = serverArgv({ ...launch, cgroupProcs: ['/cg/memory/db/db1/cgroup.procs', '/cg/cpu/db/db1/cgroup.procs'] });
    expect(limited.slice(0, 9)).toEqual(guard);
    expect(limited.slice(9, 16)).toEqual(['/bin/sh', '-c', JOIN_CGROUPS_SCRIPT, 'sh', '/cg/memory/db/db1/cgroup.procs', '/cg/cpu/db/db1/cgroup.procs', '--']);
    expect(limited[16]).toBe('/usr/bin/bwrap');
    expect(limited.slice(-7)).toEqual(['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', ...launch.command]);
  });

  it('runs the helper programs it is given, as the process runtime does', () => {
    const argv = serverArgv({ ...launch, tools: { sh: '/opt/bin/sh', bwrap: '/opt/bin/bwrap', setpriv: '/opt/bin/setpriv' }, cgroupProcs: ['/cg/pids/db/db1/cgroup.procs'] });
    expect(argv.filter((arg) => arg.startsWith('/opt/bin/'))).toEqual(['/opt/bin/setpriv', '/opt/bin/sh', '/opt/bin/sh', '/opt/bin/bwrap', '/opt/bin/setpriv']);
    expect(argv.filter((arg) => /^\/(usr\/)?bin\//.test(arg) && !launch.command.includes(arg))).toEqual([]);
  });
});

const skip =
  process.getuid?.() !== 0 ? 'needs root' : !existsSync(defaultHostTools.bwrap) ? `needs ${defaultHostTools.bwrap}` : !existsSync(defaultHostTools.setpriv) ? `needs ${defaultHostTools.setpriv}` : '';

describe.skipIf(skip !== '')(`the guard in a real launch${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-db-launch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the server as its user on its volume while Berth is its parent, and never starts it once Berth is gone', async () => {
    await chown(dir, nobody.uid, nobody.gid);
    const argv = serverArgv({ ...launch, dir, command: ['/bin/sh', '-c', 'touch /mnt/ran; echo "$(id -u) $(pwd)"'] });
    const ours = await runCommand(argv, { env: {}, cwd: '/', timeoutMs: 10_000 });
    expect(ours.stderr).toBe('');
    expect(ours.exitCode).toBe(0);
    expect(ours.stdout).toBe('65534 /mnt\n');
    expect(existsSync(join(dir, 'ran'))).toBe(true);

    rmSync(join(dir, 'ran'));
    // What a launch finds when Berth died between fork and the death signal: another parent.
    const orphaned = await runCommand(argv.with(8, String(process.pid + 1_000_000)), { env: {}, cwd: '/', timeoutMs: 10_000 });
    expect(orphaned.exitCode).toBe(125);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });
});
