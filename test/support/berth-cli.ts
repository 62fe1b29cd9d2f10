// Runs the `berth` command as a user does (its own process, from the bundle of this run's sources:
// cli-bundle.ts), with a config dir and HOME of the test's own, and collects its stdout, stderr and exit code.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { cliBundleEntry } from './cli-bundle.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  input?: string;
  cwd?: string;
  timeoutMs?: number;
}

export function spawnBerth(args: string[], options: CliOptions = {}): ChildProcess {
  return spawn(process.execPath, [cliBundleEntry, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export function runBerth(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const child = spawnBerth(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin?.end(options.input ?? '');
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`berth ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs `berth` on a terminal of its own (util-linux `script` gives it a pty), types `answer` and
 * Enter once its output shows `prompt`, and collects what the terminal showed and the exit code.
 */
export function runBerthOnTerminal(args: string[], options: { env?: Record<string, string>; prompt: string; answer: string; timeoutMs?: number }): Promise<{ code: number | null; output: string }> {
  const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, cliBundleEntry, ...args].map(quote).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'dumb', ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let answered = false;
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (!answered && output.includes(options.prompt)) {
      answered = true;
      child.stdin?.write(`${options.answer}\r`);
    }
  });
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`berth ${args.join(' ')} on a terminal did not finish in ${timeoutMs} ms\noutput: ${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
