// Runs one build step (install, build, release) the way the process driver runs instances: through
// its launch argv (bubblewrap, its own uid, cleared environment, cgroup limits, a network
// namespace of its own whose egress goes out through NAT, so package managers reach their
// registries and nothing of the host). Output goes line by line to the build log.
import { lchown } from 'node:fs/promises';
import type { BuildStep, StepResult } from '../../../builder/build-steps.js';
import {
  createInstanceCgroups,
  killMembers,
  listInstanceGroups,
  instanceCgroups,
  removeInstanceCgroups,
  wasOomKilled,
  type CgroupLocation,
  type InstanceCgroups,
} from '../../host/cgroup-v1.js';
import { buildLaunch, pidsWithSandbox, type SandboxPlan } from '../launch-argv.js';
import { createLineSplitter } from '../../host/line-splitter.js';
import { sandboxHostname } from '../../host/names.js';
import type { HostNetwork, NamespaceLease } from '../network/host-network.js';
import type { ProcessRuntimeTools } from '../options.js';
import { handOverWorkDir, removeSandboxEtc, writeSandboxEtc } from '../sandbox-prep.js';
import { killTree } from '../signals.js';
import { signalGroup, spawnChild } from '../../../spawn.js';

export interface StepRunnerOptions {
  /** bubblewrap available (a test run proved it works). */
  sandbox: boolean;
  stateDir: string;
  hiddenPaths: readonly string[];
  tools: ProcessRuntimeTools;
  resolvConfPath: string;
  /** Where build steps get their own cgroups (a root apart from instances'); null: no limits. */
  cgroups: CgroupLocation | null;
  /** A network namespace per step (null: the host network, where the machine allows none). */
  network: HostNetwork | null;
}

/** A step of the port, as this driver runs it: under a uid, with an id of its own. */
export interface StepInput extends Omit<BuildStep, 'kind' | 'appId'> {
  /** Unique among running steps (names the generated /etc files). */
  stepId: string;
  uid: number;
}

/** Kills and removes step groups a previous run of Berth left behind (after a SIGKILL). */
export async function cleanupStepCgroups(at: CgroupLocation): Promise<number> {
  const names = await listInstanceGroups(at);
  for (const name of names) {
    const groups = instanceCgroups(at, name);
    await killMembers(groups);
    await removeInstanceCgroups(groups);
  }
  return names.length;
}

async function stepCgroups(options: StepRunnerOptions, input: StepInput): Promise<InstanceCgroups | null> {
  if (!options.cgroups) return null;
  const pids = pidsWithSandbox(input.limits.pids, options.sandbox);
  return createInstanceCgroups(options.cgroups, input.stepId, { ...input.limits, pids });
}

async function sandboxPlan(options: StepRunnerOptions, input: StepInput): Promise<SandboxPlan> {
  // Re-walk every step: a restored cache or a previous step may have left directories root-owned.
  await lchown(input.workDir, 0, 0);
  await handOverWorkDir(input.workDir, input.uid, input.uid);
  const hostname = sandboxHostname(input.stepId);
  const etcFiles = await writeSandboxEtc(options.stateDir, input.stepId, {
    hostname,
    uid: input.uid,
    gid: input.uid,
    home: '/tmp',
    resolvConfPath: options.resolvConfPath,
    extraHosts: options.network ? options.network.services.map((s) => ({ address: options.network?.servicesAddress ?? '', name: s.name })) : [],
  });
  return { uid: input.uid, gid: input.uid, hostname, etcFiles, hiddenPaths: options.hiddenPaths };
}

export async function runStep(options: StepRunnerOptions, input: StepInput): Promise<StepResult> {
  if (input.signal.aborted) return { exitCode: null, signal: null, timedOut: false, aborted: true, oomKilled: false };
  let groups: InstanceCgroups | null = null;
  let lease: NamespaceLease | null = null;
  try {
    groups = await stepCgroups(options, input);
    lease = options.network ? await options.network.attach() : null;
    const plan = buildLaunch({
      tools: options.tools,
      workDir: input.workDir,
      command: input.command,
      env: input.env,
      cgroupProcs: groups?.procsFiles ?? [],
      netns: lease?.path ?? null,
      sandbox: options.sandbox ? await sandboxPlan(options, input) : null,
      pdeathsig: true,
    });
    // Aborted while its cgroups, namespace and sandbox were being made: the listener below would never hear it.
    if (input.signal.aborted) return { exitCode: null, signal: null, timedOut: false, aborted: true, oomKilled: false };
    const child = spawnChild(plan.argv, {
      env: plan.spawnEnv,
      cwd: input.workDir,
      stdio: plan.fd3 ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    });
    const fd3 = plan.fd3 ? child.stdio[3] : null;
    if (fd3 && plan.fd3 && 'write' in fd3) {
      fd3.on('error', () => undefined); // the exit status reports a sandbox that died early
      fd3.end(plan.fd3);
    }
    const out = createLineSplitter((line) => input.log.line(line));
    const err = createLineSplitter((line) => input.log.line(line));
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    let timedOut = false;
    let aborted = false;
    const kill = () => {
      signalGroup(child, 'SIGKILL');
      if (child.pid) killTree(child.pid);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, input.timeoutMs);
    const onAbort = () => {
      aborted = true;
      kill();
    };
    input.signal.addEventListener('abort', onAbort, { once: true });
    const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, sig) => resolve([code, sig]));
    }).finally(() => {
      clearTimeout(timer);
      input.signal.removeEventListener('abort', onAbort);
    });
    out.flush();
    err.flush();
    return { exitCode, signal, timedOut, aborted, oomKilled: groups !== null && (await wasOomKilled(groups, exitCode, signal)) };
  } finally {
    if (groups) await removeInstanceCgroups(groups);
    await lease?.release();
    if (options.sandbox) await removeSandboxEtc(options.stateDir, input.stepId);
  }
}
