// Berth as a real child process (`berth start` from this run's sources, or dist/'s bundle) on ports chosen here, so a test can
// SIGKILL it and start it again on the same data dir. Only processes started here are killed.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliBundleEntry } from '../../support/cli-bundle.js';
import { claimHostObjects } from '../../support/host-leftovers.js';
import { releasePort, reservePort } from '../../support/reserved-port.js';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

export interface BerthProcess {
  child: ChildProcess;
  pid: number;
  apiUrl: string;
  /** Everything it printed, for failure messages. */
  output(): string;
  exited: Promise<number | null>;
}

/**
 * `berth start` from the sources (bundled once per test run: cli-bundle.ts), or from dist/'s bundle
 * exactly as `npm start` runs it (after `npm run build`).
 */
const startArgv = {
  sources: [cliBundleEntry, 'start'],
  bundle: ['--max-semi-space-size=2', path.join(repoRoot, 'dist/berth.mjs'), 'start'],
};

/** Starts `berth start` with exactly the env given (plus PATH/HOME) and waits for its API line. */
export async function startBerthProcess(env: Record<string, string>, timeoutMs = 60_000, from: keyof typeof startArgv = 'sources'): Promise<BerthProcess> {
  const child = spawn(process.execPath, startArgv[from], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const apiUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`berth did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const look = () => {
      const match = /API and docs on (http:\/\/\S+)/.exec(out);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off('data', look);
      resolve(match[1]);
    };
    child.stdout?.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`berth exited with ${code} before it started:\n${out}`));
    });
  });
  return { child, pid: child.pid ?? 0, apiUrl, output: () => out, exited };
}

/** What one kill test owns: a data dir, a cgroup name of its own, and the Berth processes it started. */
export interface KillScope {
  dataDir: string;
  cgroupName: string;
  started: BerthProcess[];
  /**
   * The environment of `berth start` on this scope's data dir and cgroup, on two ports reserved
   * until cleanup: a Berth started again with it finds its ports free (see reserved-port.ts).
   */
  processEnv(): Promise<Record<string, string>>;
  /** Starts `berth start` with `env` (from the sources unless `from` says the bundle) and remembers it for cleanup. */
  start(env: Record<string, string>, from?: 'sources' | 'bundle'): Promise<BerthProcess>;
  /** For afterAll: stops what still runs (SIGTERM, then SIGKILL after 20 s) and removes the data dir. */
  cleanup(): Promise<void>;
}

export function killScope(prefix: string): KillScope {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `berth-${prefix}-`));
  const cgroupName = `berth-${prefix}-${path.basename(dataDir).slice(-6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  const started: BerthProcess[] = [];
  const ports: number[] = [];
  const claim = claimHostObjects({ dataDir, removeDataDir: true, berth: { cgroupName, instanceCidr: null } });
  const port = async (): Promise<string> => {
    const reserved = await reservePort();
    ports.push(reserved);
    return String(reserved);
  };
  return {
    dataDir,
    cgroupName,
    started,
    async processEnv() {
      return {
        BERTH_PORT: await port(),
        BERTH_EDGE_PORT: await port(),
        BERTH_DATA_DIR: dataDir,
        BERTH_LOG_LEVEL: 'warn',
        BERTH_CGROUP_NAME: cgroupName,
      };
    },
    async start(env, from = 'sources') {
      const berth = await startBerthProcess(env, 60_000, from);
      claim.addOwner(berth.pid);
      started.push(berth);
      return berth;
    },
    async cleanup() {
      for (const berth of started) {
        if (berth.child.exitCode !== null || berth.child.signalCode !== null) continue;
        berth.child.kill('SIGTERM');
        const stopped = await Promise.race([berth.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 20_000))]);
        if (!stopped) berth.child.kill('SIGKILL');
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
      ports.splice(0).forEach(releasePort);
      // A Berth killed last (exit code null: not stopped cleanly, not started again) left its host objects: the run's end sweeps them.
      const last = started.at(-1);
      if (last && (await last.exited) !== 0) return;
      claim.release();
    },
  };
}
