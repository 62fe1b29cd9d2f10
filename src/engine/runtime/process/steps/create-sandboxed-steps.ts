// The tree builder's step driver: install, build and release steps run as host processes in the
// process driver's sandbox (bubblewrap, an app's build uid, cgroups and a network namespace under
// roots of their own beside the instances'), whichever driver runs the instances. It finds out on
// its own what this machine allows, so a Berth on the docker driver never starts a process runtime.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Logger } from '../../../../core/ports/logger.js';
import type { BuildSteps } from '../../../builder/build-steps.js';
import { removeCgroupRoot, type CgroupLocation } from '../../host/cgroup-v1.js';
import { detectIsolation, type IsolationSupport } from '../detect-isolation.js';
import { checkSafeName, networkTag } from '../../host/names.js';
import { resolveHostTools } from '../../host/host-tools.js';
import type { HostService, IsolationMode, ProcessRuntimeTools } from '../options.js';
import { createUidAllocator } from '../uid-allocator.js';
import { cleanupStepCgroups, runStep, type StepRunnerOptions } from './sandbox-step.js';

export interface SandboxedStepsOptions {
  /** BERTH_ISOLATION for the sandbox and cgroups of steps: `required` refuses to start without them. */
  isolation: IsolationMode;
  /** Network namespaces per step (`off` with BERTH_INSTANCE_CIDR=off). */
  network: IsolationMode;
  /** The instances' cgroup root name: steps use `<root>-builds`, so the runtime's orphan sweep never meets a build. */
  cgroupRoot: string;
  cgroupMount?: string;
  /** Generated sandbox files and the steps' network records. */
  stateDir: string;
  /** Which build uid each app has (kept across restarts: cached trees are owned by it). */
  uidsFile: string;
  hiddenPaths: readonly string[];
  hostServices: readonly HostService[];
  logger: Logger;
  tools?: Partial<ProcessRuntimeTools>;
}

export interface StepIsolation {
  sandbox: boolean;
  cgroups: boolean;
  networkNamespaces: boolean;
}

export interface SandboxedSteps extends BuildSteps {
  /** What steps get on this machine; also what other host processes (database servers) may count on. */
  readonly isolation: StepIsolation;
  close(): Promise<void>;
}

/** Build uids sit apart from instance uids (1,000,000…), so a step never shares an identity with an instance. */
const BUILD_UIDS = { first: 2_000_000, count: 1_000_000 };

async function detect(options: SandboxedStepsOptions, tools: ProcessRuntimeTools, location: CgroupLocation, stateDir: string): Promise<IsolationSupport> {
  try {
    return await detectIsolation({
      tools,
      sandbox: options.isolation,
      cgroups: options.isolation,
      network: options.network,
      disk: 'off',
      cgroupLocation: location,
      testUid: BUILD_UIDS.first,
      networkTag: networkTag(location.root, stateDir),
      instanceCidr: null,
      hostServices: options.hostServices,
      resolvConfPath: '/etc/resolv.conf',
      logger: options.logger,
      stateDir,
    });
  } catch (error) {
    throw new Error(`${(error as Error).message} (build steps run as host processes, whichever runtime driver runs the instances)`);
  }
}

function logStepIsolation(logger: Logger, isolation: StepIsolation, reasons: readonly string[]): void {
  const off = [
    isolation.sandbox ? null : 'not sandboxed',
    isolation.cgroups ? null : 'without memory, cpu and pids limits',
    isolation.networkNamespaces ? null : 'on the host network',
  ].filter((r): r is string => r !== null);
  if (off.length === 0) logger.info({ ...isolation }, 'build steps run sandboxed, limited, in network namespaces of their own');
  else logger.warn({ ...isolation, reasons }, `build steps run ${off.join(', ')}`);
}

export async function createSandboxedSteps(options: SandboxedStepsOptions): Promise<SandboxedSteps> {
  const tools = resolveHostTools(options.tools);
  const stateDir = resolve(options.stateDir);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const location: CgroupLocation = { mount: options.cgroupMount ?? '/sys/fs/cgroup', root: checkSafeName('cgroupRoot', `${options.cgroupRoot}-builds`) };
  const support = await detect(options, tools, location, stateDir);
  const isolation: StepIsolation = { sandbox: support.sandbox, cgroups: support.cgroups, networkNamespaces: support.network !== null };
  logStepIsolation(options.logger, isolation, support.reasons);
  if (support.cgroups) {
    const stale = await cleanupStepCgroups(location);
    if (stale > 0) options.logger.warn({ stale }, 'removed build cgroups left behind by a previous run of Berth');
  }
  const staleNamespaces = (await support.network?.cleanupOrphans()) ?? 0;
  if (staleNamespaces > 0) options.logger.warn({ stale: staleNamespaces }, 'removed build network namespaces left behind by a previous run of Berth');

  const runner: StepRunnerOptions = {
    sandbox: support.sandbox,
    stateDir,
    hiddenPaths: options.hiddenPaths.map((p) => resolve(p)),
    tools,
    resolvConfPath: '/etc/resolv.conf',
    cgroups: support.cgroups ? location : null,
    network: support.network,
  };
  const uids = createUidAllocator(options.uidsFile, BUILD_UIDS);
  let counter = 0;
  return {
    isolation,
    run(step) {
      counter += 1;
      return runStep(runner, {
        stepId: `${step.kind}-${process.pid}-${counter}`,
        uid: uids.uidFor(step.appId),
        workDir: step.workDir,
        command: step.command,
        env: step.env,
        log: step.log,
        signal: step.signal,
        timeoutMs: step.timeoutMs,
        limits: step.limits,
      });
    },
    async close() {
      await support.network?.close();
      if (support.cgroups) await removeCgroupRoot(location);
    },
  };
}
