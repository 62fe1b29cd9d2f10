import { describe, expect, it } from 'vitest';
import { JOIN_CGROUPS_SCRIPT } from '../host/cgroup-v1.js';
import { defaultHostTools } from '../host/host-tools.js';
import { PARENT_GUARD_SCRIPT } from '../host/parent-guard.js';
import { buildLaunch, checkWorkDir, type LaunchInput } from './launch-argv.js';
import { runCommand } from '../../spawn.js';

const base: LaunchInput = {
  tools: defaultHostTools,
  workDir: '/srv/berth/artifacts/a1',
  command: ['/usr/bin/node', 'server.js', '$(rm -rf /)'],
  env: { SECRET: 'hunter2', PORT: '4000' },
  cgroupProcs: [],
  sandbox: null,
  pdeathsig: false,
};
const sandbox = {
  uid: 1000001,
  gid: 1000001,
  hostname: 'a1',
  etcFiles: { '/etc/hosts': '/srv/berth/runtime/sandbox/i1/hosts' },
  hiddenPaths: ['/srv/berth'],
};

/** The argv after the first `--` that follows `flag`'s owner, i.e. what a hop execs. */
const after = (argv: string[], marker: string): string[] => argv.slice(argv.indexOf(marker) + 1);

describe('buildLaunch', () => {
  it('spawns the command itself, with exactly its env, when no isolation is on', () => {
    expect(buildLaunch(base)).toEqual({ argv: base.command, spawnEnv: base.env, fd3: null });
  });

  it('joins cgroups through sh with paths as arguments, and strips the PWD sh adds', () => {
    const plan = buildLaunch({ ...base, cgroupProcs: ['/cg/memory/b/i1/cgroup.procs', '/cg/pids/b/i1/cgroup.procs'] });
    expect(plan.argv.slice(0, 6)).toEqual([
      '/bin/sh',
      '-c',
      JOIN_CGROUPS_SCRIPT,
      'sh',
      '/cg/memory/b/i1/cgroup.procs',
      '/cg/pids/b/i1/cgroup.procs',
    ]);
    expect(after(plan.argv, '--')).toEqual(['/usr/bin/env', '-u', 'PWD', '--', ...base.command]);
    expect(plan.argv.join(' ')).not.toContain('hunter2');
    expect(plan.spawnEnv).toEqual(base.env);
  });

  it('keeps a PWD the app was given', () => {
    const plan = buildLaunch({ ...base, env: { PWD: '/x' }, pdeathsig: true });
    expect(plan.argv).toEqual([
      '/usr/bin/setpriv',
      '--pdeathsig',
      'SIGKILL',
      '--',
      '/bin/sh',
      '-c',
      PARENT_GUARD_SCRIPT,
      'sh',
      String(process.pid),
      '/usr/bin/env',
      '--',
      'PWD=/x',
      ...base.command,
    ]);
  });

  it('sandboxes: root bwrap, then setpriv to the app uid, then an inner bwrap that reads the env from fd 3', () => {
    const plan = buildLaunch({ ...base, sandbox });
    const argv = plan.argv;
    expect(argv[0]).toBe('/usr/bin/bwrap');
    expect(plan.spawnEnv).toEqual({});
    expect(argv.join('\n')).not.toContain('hunter2');
    expect(argv).toEqual(
      expect.arrayContaining(['--die-with-parent', '--unshare-pid', '--bind', base.workDir, '--chdir']),
    );
    const setpriv = argv.indexOf('/usr/bin/setpriv');
    expect(argv.slice(setpriv, setpriv + 6)).toEqual([
      '/usr/bin/setpriv',
      '--reuid=1000001',
      '--regid=1000001',
      '--clear-groups',
      '--inh-caps=-all',
      '--bounding-set=-all',
    ]);
    expect(argv.slice(setpriv + 7)).toEqual([
      '/usr/bin/bwrap',
      '--args',
      '3',
      '--',
      '/usr/bin/env',
      '-u',
      'PWD',
      '--',
      ...base.command,
    ]);
    const inner = plan.fd3?.toString('utf8').split('\0') ?? [];
    expect(inner).toEqual(
      expect.arrayContaining(['--unshare-user', '--disable-userns', '--new-session', '--clearenv']),
    );
    expect(inner.slice(inner.indexOf('--clearenv') + 1, -1)).toEqual([
      '--setenv',
      'SECRET',
      'hunter2',
      '--setenv',
      'PORT',
      '4000',
    ]);
  });

  it('mounts the app dir on skeleton parents and masks hidden paths inside what is bound', () => {
    const plan = buildLaunch({
      ...base,
      sandbox: { ...sandbox, hiddenPaths: ['/srv/berth', '/srv/berth/artifacts/a1/.berth', '/usr/local/berth-data'] },
    });
    const argv = plan.argv.join(' ');
    expect(argv).toContain(
      '--perms 0711 --dir /srv --perms 0711 --dir /srv/berth --perms 0711 --dir /srv/berth/artifacts',
    );
    expect(argv).toContain('--tmpfs /srv/berth/artifacts/a1/.berth');
    expect(argv).toContain('--tmpfs /usr/local/berth-data');
    expect(argv).not.toContain('--tmpfs /srv/berth ');
  });

  it('refuses commands and envs it could not pass through faithfully', () => {
    expect(() => buildLaunch({ ...base, command: [] })).toThrow(/empty/);
    expect(() => buildLaunch({ ...base, command: ['A=B'] })).toThrow(/=/);
    expect(() => buildLaunch({ ...base, env: { 'A=B': 'x' } })).toThrow(/cannot be passed/);
    expect(() => buildLaunch({ ...base, env: { A: 'x\0y' } })).toThrow(/cannot be passed/);
  });
});

describe('checkWorkDir', () => {
  it('accepts a normalized absolute dir and refuses the rest', () => {
    expect(checkWorkDir('/srv/a', [])).toBe('/srv/a');
    for (const bad of ['relative', '/srv/../etc', '/', '/srv/a/', '/usr/lib/app', '/etc/app', '/proc/1']) {
      expect(() => checkWorkDir(bad, [])).toThrow();
    }
    expect(() => checkWorkDir('/srv/berth', ['/srv/berth'])).toThrow(/hidden/);
  });
});

describe('buildLaunch with a network namespace', () => {
  it('enters the namespace after joining cgroups and before the sandbox, by its file', () => {
    const plan = buildLaunch({ ...base, sandbox, cgroupProcs: ['/cg/memory/b/i1/cgroup.procs'], netns: '/run/netns/berth-abc123-1' });
    const at = plan.argv.indexOf('/usr/bin/nsenter');
    expect(plan.argv.slice(at, at + 4)).toEqual(['/usr/bin/nsenter', '--net=/run/netns/berth-abc123-1', '--', '/usr/bin/bwrap']);
    expect(at).toBeGreaterThan(plan.argv.indexOf('/cg/memory/b/i1/cgroup.procs'));
  });

  it('enters it unsandboxed too', () => {
    const plan = buildLaunch({ ...base, netns: '/run/netns/berth-abc123-2' });
    expect(plan.argv.slice(0, 3)).toEqual(['/usr/bin/nsenter', '--net=/run/netns/berth-abc123-2', '--']);
    expect(plan.argv.slice(-3)).toEqual(base.command);
  });
});

describe('dying with Berth', () => {
  it('asks for the death signal before anything else, sandboxed or not, so no later hop can outlive Berth', () => {
    for (const plan of [
      buildLaunch({ ...base, pdeathsig: true, cgroupProcs: ['/cg/pids/b/i1/cgroup.procs'] }),
      buildLaunch({ ...base, pdeathsig: true, sandbox }),
    ]) {
      expect(plan.argv.slice(0, 9)).toEqual(['/usr/bin/setpriv', '--pdeathsig', 'SIGKILL', '--', '/bin/sh', '-c', PARENT_GUARD_SCRIPT, 'sh', String(process.pid)]);
    }
  });

  it('runs the rest when its parent is the one named, and exits without running it when not (the parent died first)', async () => {
    const hop = (parent: number) =>
      runCommand([defaultHostTools.sh, '-c', PARENT_GUARD_SCRIPT, 'sh', String(parent), defaultHostTools.sh, '-c', 'echo ran'], { env: {} });
    const ours = await hop(process.pid);
    expect(ours.exitCode).toBe(0);
    expect(ours.stdout).toBe('ran\n');
    const orphaned = await hop(process.pid + 1_000_000);
    expect(orphaned.exitCode).toBe(125);
    expect(orphaned.stdout).toBe('');
  });
});
