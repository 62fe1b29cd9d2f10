// Runs Berth the way an operator does (`berth start` in its own process, from the bundle of this
// run's sources: cli-bundle.ts), so a test can read everything Berth writes to stdout and stderr: its log output.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliBundleEntry } from './cli-bundle.js';
import { claimHostObjects } from './host-leftovers.js';
import type { Backend } from './test-berth.js';
import { createTestDatabase } from './test-database.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BerthProcess {
  url: string;
  /** Berth's own process (for reading its memory from /proc). */
  pid: number;
  key: string;
  dataDir: string;
  /** The PostgreSQL database it runs on, or null for SQLite. */
  databaseUrl: string | null;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then waits for the exit (the store is closed and flushed by then). */
  stop(): Promise<void>;
  /** Removes the data dir and drops the database. */
  cleanup(): Promise<void>;
}

export async function startBerthProcess(backend: Backend, env: Record<string, string> = {}): Promise<BerthProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-proc-'));
  const database = backend === 'postgres' ? await createTestDatabase() : null;
  const cgroupName = `berth-p-${path
    .basename(dataDir)
    .slice(-6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')}`;
  // Written before Berth can make anything on the host: if this test process dies, the run's sweep removes it.
  const claim = claimHostObjects({ dataDir, removeDataDir: true, berth: { cgroupName, instanceCidr: null } });
  const child = spawn(process.execPath, [cliBundleEntry, 'start'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? os.tmpdir(),
      BERTH_PORT: '0',
      BERTH_EDGE_PORT: '0',
      BERTH_DATA_DIR: dataDir,
      BERTH_ISOLATION: 'off',
      BERTH_CGROUP_NAME: cgroupName,
      ...(database ? { DATABASE_URL: database.url } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) claim.addOwner(child.pid);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`berth did not start in 30 s:\n${output}`)), 30_000);
    const check = () => {
      const match = /API and docs on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`berth exited during start:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    // One still starting when the wait ends is stopped here: no caller gets it to stop (it ran on after its test).
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    // A Berth that never started leaves nothing for a caller to clean up (what it made on the host: the run's sweep).
    fs.rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
    throw error;
  });

  return {
    url,
    pid: child.pid ?? 0,
    key: fs.readFileSync(path.join(dataDir, 'admin-key'), 'utf8').trim(),
    dataDir,
    databaseUrl: database?.url ?? null,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async cleanup() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
      // A Berth stopped cleanly removed what it made; one killed (and not started again) left it to the run's sweep.
      if (child.exitCode === 0) claim.release();
    },
  };
}
