import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { chown } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JOIN_CGROUPS_SCRIPT } from '../runtime/host/cgroup-v1.js';
import { defaultHostTools } from '../runtime/host/host-tools.js';
import { PARENT_GUARD_SCRIPT } from '../runtime/host/parent-guard.js';
import { runCommand } from '../spawn.js';
import { ServerExitedEarly, serverArgv, superviseServer, waitUntilServing, type ServerExit, type ServerLaunch } from './supervised-server.js';

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

describe.skipIf(skip !== '')(`what the supervisor says it does with a server that exits${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-db-exits-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const logged: string[] = [];
  const logger = { info: (_fields: Record<string, unknown>, message: string) => void logged.push(message), error: () => undefined, warn: (_fields: Record<string, unknown>, message: string) => void logged.push(message) };
  const never = () => Promise.reject(new Error('not serving'));
  const quick = { firstDelayMs: 20, maxDelayMs: 40, maxFailedStarts: 4 };
  const reasonOf = (exit: ServerExit) => /FATAL: .*/.exec(exit.output)?.[0] ?? '';
  const until = async (done: () => boolean) => {
    const deadline = Date.now() + 20_000;
    while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('gives up on a server that refused to start saying why, and says it does not restart it', async () => {
    logged.length = 0;
    const server = await superviseServer({
      tools: defaultHostTools, dir, user: nobody, command: ['/bin/sh', '-c', 'echo "FATAL: bad data" >&2; exit 3'], comm: 'sh', stopSignal: 'SIGTERM', logger, limits: null, probe: never,
      refusesToStart: (exit) => exit.code === 3 && exit.output.includes('FATAL'),
    });
    const failed = await waitUntilServing(server, logger).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ServerExitedEarly);
    expect((failed as ServerExitedEarly).exit).toMatchObject({ code: 3, output: 'FATAL: bad data\n' });
    expect(logged).toEqual(['database server exited before it served, saying why; not restarting it']);
  });

  it('restarts a first start that keeps failing later and later, then gives up on it, saying so', async () => {
    logged.length = 0;
    const server = await superviseServer({ tools: defaultHostTools, dir, user: nobody, command: ['/bin/sh', '-c', 'exit 1'], comm: 'sh', stopSignal: 'SIGTERM', logger, limits: null, probe: never, refusesToStart: () => false, restartPolicy: quick });
    const failed = await waitUntilServing(server, logger).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ServerExitedEarly);
    expect(logged).toEqual([
      'database server exited; restarting it in 0.04 s (start 2 of at most 4 in a row)',
      'database server exited; restarting it in 0.04 s (start 3 of at most 4 in a row)',
      'database server exited; restarting it in 0.04 s (start 4 of at most 4 in a row)',
      'database server failed to start 4 times in a row; not restarting it',
    ]);
    expect(server.state()).toMatchObject({ kind: 'given-up', lastExit: 'exited with status 1' });
  });

  it('restarts a server that served and exits, backing off while it fails to start again, then gives up in its words and says so once', async () => {
    logged.length = 0;
    await chown(dir, nobody.uid, nobody.gid);
    rmSync(join(dir, 'served'), { force: true });
    // Serves (the file "up") until the test takes "up" away; every later launch refuses, saying why.
    const script = 'if [ -e /mnt/served ]; then echo "FATAL: the data is damaged" >&2; exit 3; fi; touch /mnt/served /mnt/up; while [ -e /mnt/up ]; do sleep 0.02; done; exit 1';
    const gaveUp: [string, number][] = [];
    const server = await superviseServer({
      tools: defaultHostTools, dir, user: nobody, command: ['/bin/sh', '-c', script], comm: 'sh', stopSignal: 'SIGTERM', logger, limits: null,
      probe: async () => {
        if (!existsSync(join(dir, 'up'))) throw new Error('not serving');
      },
      refusesToStart: (exit) => exit.code === 3,
      reasonOf,
      onGaveUp: (lastExit, failedStarts) => void gaveUp.push([lastExit, failedStarts]),
      restartPolicy: quick,
    });
    await waitUntilServing(server, logger);
    expect(server.state()).toEqual({ kind: 'serving' });
    rmSync(join(dir, 'up'));
    await until(() => server.state().kind === 'given-up');
    expect(server.state()).toMatchObject({ kind: 'given-up', lastExit: 'FATAL: the data is damaged' });
    expect(logged).toEqual([
      'database server exited; restarting it in 0.02 s (start 1 of at most 4 in a row)',
      'database server exited; restarting it in 0.04 s (start 2 of at most 4 in a row)',
      'database server exited; restarting it in 0.04 s (start 3 of at most 4 in a row)',
      'database server exited; restarting it in 0.04 s (start 4 of at most 4 in a row)',
      'database server failed to start 4 times in a row; not restarting it',
    ]);
    expect(gaveUp).toEqual([['FATAL: the data is damaged', 4]]);
    // Given up means given up: no launch runs, none is planned.
    expect(server.running()).toBe(false);
    await server.stop();
    expect(server.state().kind).toBe('given-up');
  });
});
