// Builds process drivers for tests: a temp data dir per harness, a cgroup root no other test
// run uses, and a teardown that kills and removes everything the drivers made, even after a
// failed test.
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runtime } from '../../src/core/ports/runtime.js';
import { createProcessRuntime } from '../../src/engine/runtime/process/create-process-runtime.js';
import type { IsolationMode, ProcessRuntimeOptions, RuntimeLogger } from '../../src/engine/runtime/process/options.js';
import { claimHostObjects } from '../support/host-leftovers.js';

export interface HarnessOptions {
  isolation: IsolationMode;
  /** Network namespaces per instance; default: as `isolation`. */
  network?: IsolationMode;
  /** A short tag for the cgroup root name. */
  tag: string;
}

export interface Harness {
  dataDir: string;
  /** One Berth = one state dir + one cgroup root; drivers with the same key are restarts of it. */
  cgroupRoot(stateKey: string): string;
  warnings: string[];
  driver(stateKey: string, extra?: Partial<ProcessRuntimeOptions>): Promise<Runtime>;
  teardown(): Promise<void>;
}

const CGROUP_MOUNT = '/sys/fs/cgroup';
const CONTROLLERS = ['memory', 'cpu', 'cpuacct', 'pids'];

/** Whether this machine lets tests sandbox (bubblewrap + root) and create cgroups. */
export function machineSupport(): { sandbox: string | null; cgroups: string | null } {
  const sandbox = !existsSync('/usr/bin/bwrap')
    ? 'bubblewrap is not installed (apt-get install -y bubblewrap)'
    : process.getuid?.() !== 0
      ? 'tests are not running as root'
      : null;
  let cgroups: string | null = null;
  const probe = join(CGROUP_MOUNT, 'memory', `berth-probe-${process.pid}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
  } catch (error) {
    cgroups = `cgroup v1 memory controller is not writable (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  return { sandbox, cgroups };
}

export function quietLogger(sink: string[] = []): RuntimeLogger {
  return {
    info: () => undefined,
    warn: (_fields, message) => sink.push(message),
    error: (_fields, message) => sink.push(message),
  };
}

export async function createHarness(options: HarnessOptions): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), `berth-${options.tag}-`));
  const base = `berth-test-${options.tag}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  // Every key named may own host objects (a stand-in Berth child uses the names before any driver here does).
  const claim = claimHostObjects({ dataDir, removeDataDir: true, runtimes: [] });
  const cgroupRoot = (stateKey: string): string => {
    claim.addRuntime({ stateDir: join(dataDir, 'state', stateKey), cgroupRoot: `${base}-${stateKey}` });
    return `${base}-${stateKey}`;
  };
  const warnings: string[] = [];
  const drivers: Runtime[] = [];
  const stateKeys = new Set<string>();

  const make = async (stateKey: string, extra: Partial<ProcessRuntimeOptions> = {}): Promise<Runtime> => {
    stateKeys.add(stateKey);
    const driver = await createProcessRuntime({
      stateDir: join(dataDir, 'state', stateKey),
      hiddenPaths: [dataDir],
      logger: quietLogger(warnings),
      cgroupRoot: cgroupRoot(stateKey),
      sandbox: options.isolation,
      cgroups: options.isolation,
      network: options.network ?? options.isolation,
      ...extra,
    });
    drivers.push(driver);
    return driver;
  };

  return {
    dataDir,
    cgroupRoot,
    warnings,
    driver: make,
    async teardown() {
      await Promise.all(drivers.map((d) => d.close({ drainTimeoutMs: 200 })));
      // A fresh driver per state finds anything a failed test left running.
      for (const key of stateKeys) {
        const sweeper = await createProcessRuntime({
          stateDir: join(dataDir, 'state', key),
          hiddenPaths: [dataDir],
          logger: quietLogger(),
          cgroupRoot: cgroupRoot(key),
          sandbox: 'off',
          cgroups: options.isolation,
          network: options.network ?? options.isolation,
        });
        await sweeper.adopt();
        await sweeper.close({ drainTimeoutMs: 0 });
      }
      for (const key of stateKeys) {
        for (const c of CONTROLLERS) {
          try {
            rmdirSync(join(CGROUP_MOUNT, c, cgroupRoot(key)));
          } catch {
            // never created (cgroups off) or already removed by close()
          }
        }
      }
      await rm(dataDir, { recursive: true, force: true });
      claim.release();
    },
  };
}
