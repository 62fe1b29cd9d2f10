// Builds the argv that starts one instance, as pure data. The chain, outermost first:
//   setpriv --pdeathsig + sh (dies with Berth; exits if Berth died before it could ask)
//   → sh (joins the instance's cgroups, then exec) → nsenter (enters the instance's network
//   namespace, then exec) → unshare + sh (mounts the bounded writable layer over the app dir in
//   a mount namespace of its own, then exec) → bwrap as root (mounts, pid namespace)
//   → setpriv (drops to the app's uid, no capabilities) → bwrap as that uid (applies the app's
//   environment, read from fd 3 so secrets never appear in an argv) → env -u PWD → the command.
// Each hop exists only when its isolation is on; nothing is ever interpolated into a shell string.
import { dirname, isAbsolute, normalize } from 'node:path';
import { JOIN_CGROUPS_SCRIPT } from '../host/cgroup-v1.js';
import { parentGuardHop } from '../host/parent-guard.js';
import { writableLayerHop, type WritableLayer } from './disk-layer.js';
import type { ProcessRuntimeTools } from './options.js';

export interface SandboxPlan {
  uid: number;
  gid: number;
  hostname: string;
  /** Generated files: sandbox path (`/etc/hosts`) → host path. */
  etcFiles: Readonly<Record<string, string>>;
  hiddenPaths: readonly string[];
  /** Host directories bound read-write into the sandbox (persistent volumes). */
  binds?: readonly { source: string; target: string }[];
}

export interface LaunchInput {
  tools: ProcessRuntimeTools;
  workDir: string;
  command: readonly string[];
  /** The app's whole environment (spec.env + PORT). */
  env: Readonly<Record<string, string>>;
  /** `cgroup.procs` files to join before exec; empty when cgroups are off. */
  cgroupProcs: readonly string[];
  /** The network namespace file to enter, or null to stay on the host network. */
  netns?: string | null;
  /** The bounded writable layer laid over the app dir, or null for the app dir itself. */
  writableLayer?: WritableLayer | null;
  sandbox: SandboxPlan | null;
  /** Start with `setpriv --pdeathsig SIGKILL` (and the parent guard) so the whole chain dies with Berth. */
  pdeathsig: boolean;
}

export interface LaunchPlan {
  argv: string[];
  /** The environment given to the first process. */
  spawnEnv: Record<string, string>;
  /** NUL-separated bwrap arguments to write to the child's fd 3, or null. */
  fd3: Buffer | null;
}

/** bwrap's outer monitor, the sandbox's pid 1 and the inner bwrap count against pids.max. */
const SANDBOX_HELPER_PIDS = 3;

/** The pids.max for a process limited to `pids` of its own (0: no limit). */
export function pidsWithSandbox(pids: number, sandboxed: boolean): number {
  return pids > 0 ? pids + (sandboxed ? SANDBOX_HELPER_PIDS : 0) : 0;
}

const SYSTEM_RO_BINDS = ['/usr', '/etc/ssl', '/etc/ca-certificates', '/etc/alternatives'];
const SYSTEM_SYMLINKS: ReadonlyArray<[string, string]> = [
  ['usr/lib', '/lib'],
  ['usr/lib64', '/lib64'],
  ['usr/bin', '/bin'],
  ['usr/sbin', '/sbin'],
];
/** Mount points the sandbox builds itself; an app dir cannot live inside them. */
const RESERVED = ['/usr', '/etc', '/proc', '/dev', '/lib', '/lib64', '/bin', '/sbin'];

export function isInside(path: string, parent: string): boolean {
  return path === parent || path.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
}

export function checkWorkDir(workDir: string, hiddenPaths: readonly string[]): string {
  if (!isAbsolute(workDir) || normalize(workDir) !== workDir || workDir === '/' || workDir.endsWith('/')) {
    throw new Error(`workDir must be a normalized absolute path, got ${JSON.stringify(workDir)}`);
  }
  if (RESERVED.some((r) => isInside(workDir, r))) throw new Error(`workDir ${workDir} is inside a system directory`);
  if (hiddenPaths.includes(workDir)) throw new Error(`workDir ${workDir} is a hidden path`);
  return workDir;
}

function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let p = dirname(path); p !== '/'; p = dirname(p)) out.unshift(p);
  return out;
}

/** `env -u PWD`: shells and bwrap set PWD, and the app must see exactly the env it was given. */
function finalEnvHop(tools: ProcessRuntimeTools, env: Readonly<Record<string, string>>): string[] {
  const pwd = env['PWD'];
  return pwd === undefined ? [tools.env, '-u', 'PWD', '--'] : [tools.env, '--', `PWD=${pwd}`];
}

function outerBwrapArgs(input: LaunchInput, plan: SandboxPlan): string[] {
  const a = [
    input.tools.bwrap,
    '--die-with-parent',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
  ];
  // bwrap creates missing parents as 0700 root: the app's uid could not even traverse /etc.
  a.push('--hostname', plan.hostname, '--perms', '0755', '--dir', '/etc');
  for (const src of SYSTEM_RO_BINDS) a.push(src === '/usr' ? '--ro-bind' : '--ro-bind-try', src, src);
  for (const [target, link] of SYSTEM_SYMLINKS) a.push('--symlink', target, link);
  for (const [dest, src] of Object.entries(plan.etcFiles)) a.push('--ro-bind', src, dest);
  a.push('--proc', '/proc', '--dev', '/dev', '--perms', '01777', '--tmpfs', '/tmp');
  // The app dir's parents exist only as skeletons: traversable (0711), not even listable.
  for (const dir of ancestors(input.workDir)) if (dir !== '/tmp') a.push('--perms', '0711', '--dir', dir);
  a.push('--bind', input.workDir, input.workDir);
  // A hidden path that sits inside something bound (the app dir, /usr) is covered by an empty tmpfs.
  for (const hidden of plan.hiddenPaths) {
    if ([...SYSTEM_RO_BINDS, input.workDir].some((bound) => isInside(hidden, bound))) a.push('--tmpfs', hidden);
  }
  for (const bind of plan.binds ?? []) {
    checkWorkDir(bind.target, plan.hiddenPaths);
    for (const dir of ancestors(bind.target)) if (!isInside(input.workDir, dir) && !isInside(dir, input.workDir)) a.push('--perms', '0755', '--dir', dir);
    a.push('--bind', bind.source, bind.target);
  }
  a.push('--chdir', input.workDir);
  return a;
}

function innerBwrapArgs(env: Readonly<Record<string, string>>): Buffer {
  const args = [
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--dev-bind',
    '/',
    '/',
    '--clearenv',
  ];
  for (const [key, value] of Object.entries(env)) args.push('--setenv', key, value);
  return Buffer.from(args.map((arg) => `${arg}\0`).join(''), 'utf8');
}

export function checkEnv(env: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(env)) {
    if (key === '' || key.includes('=') || key.includes('\0') || value.includes('\0')) {
      throw new Error(`environment variable ${JSON.stringify(key)} cannot be passed to a process`);
    }
  }
}

/** The first hop: dies with Berth, whatever the hops after it do (bwrap's own --die-with-parent comes too late). */
function deathHop(input: LaunchInput): string[] {
  return input.pdeathsig ? parentGuardHop(input.tools) : [];
}

export function buildLaunch(input: LaunchInput): LaunchPlan {
  const [program] = input.command;
  if (program === undefined || program === '') throw new Error('command is empty');
  // env(1) would read `a=b` as an assignment rather than the program to run.
  if (program.includes('=')) throw new Error(`command ${JSON.stringify(program)} must not contain "="`);
  checkEnv(input.env);
  const cgroupHop =
    input.cgroupProcs.length > 0 ? [input.tools.sh, '-c', JOIN_CGROUPS_SCRIPT, 'sh', ...input.cgroupProcs, '--'] : [];
  const netnsHop = input.netns ? [input.tools.nsenter, `--net=${input.netns}`, '--'] : [];
  const layerHop = input.writableLayer ? writableLayerHop(input.tools, input.writableLayer, input.workDir) : [];
  const join = [...deathHop(input), ...cgroupHop, ...netnsHop, ...layerHop];
  const final = [...finalEnvHop(input.tools, input.env), ...input.command];
  if (input.sandbox) {
    const plan = input.sandbox;
    const drop = [
      input.tools.setpriv,
      `--reuid=${plan.uid}`,
      `--regid=${plan.gid}`,
      '--clear-groups',
      '--inh-caps=-all',
      '--bounding-set=-all',
    ];
    return {
      argv: [
        ...join,
        ...outerBwrapArgs(input, plan),
        '--',
        ...drop,
        '--',
        input.tools.bwrap,
        '--args',
        '3',
        '--',
        ...final,
      ],
      spawnEnv: {},
      fd3: innerBwrapArgs(input.env),
    };
  }
  if (join.length === 0) return { argv: [...input.command], spawnEnv: { ...input.env }, fd3: null };
  return { argv: [...join, ...final], spawnEnv: { ...input.env }, fd3: null };
}
