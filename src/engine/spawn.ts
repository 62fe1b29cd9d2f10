// The one way Berth starts processes: argv arrays only (never a shell string), an explicit
// environment, a timeout and an abort signal that kill the whole process group, and output
// capture bounded so a chatty command cannot exhaust memory.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

export type { ChildProcess, StdioOptions };

export interface RunCommandOptions {
  /** Exactly the environment the command sees; nothing is inherited from Berth. */
  env: Readonly<Record<string, string>>;
  cwd?: string;
  /** Kill the command (SIGKILL to its process group) after this long. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Per stream; what comes after is dropped and `truncated` is set. Default 1 MiB. */
  maxOutputBytes?: number;
  input?: string | Buffer;
}

export interface RunCommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
}

export interface SpawnChildOptions {
  env: Readonly<Record<string, string>>;
  cwd?: string;
  /** Default: stdin ignored, stdout and stderr piped. */
  stdio?: StdioOptions;
  /** Own process group, so the caller can signal it (and its children) as one. Default true. */
  detached?: boolean;
  /** With an `ipc` stdio entry: `advanced` sends Maps, Dates and Buffers as such. */
  serialization?: 'json' | 'advanced';
}

const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

function checkArgv(argv: readonly string[]): [string, string[]] {
  const [file, ...args] = argv;
  if (file === undefined || file === '') throw new Error('spawn: empty argv');
  return [file, args];
}

/** A long-lived child (an instance, a dev server); the caller owns its lifecycle. */
export function spawnChild(argv: readonly string[], options: SpawnChildOptions): ChildProcess {
  const [file, args] = checkArgv(argv);
  return spawn(file, args, {
    env: { ...options.env },
    cwd: options.cwd,
    stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? true,
    serialization: options.serialization ?? 'json',
    shell: false,
    windowsHide: true,
  });
}

/** Sends `signal` to the child's process group, falling back to the child alone. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  const pid = child.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone: nothing left to signal.
    }
  }
}

class BoundedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    const room = this.max - this.size;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (part.length < chunk.length) this.truncated = true;
    this.chunks.push(part);
    this.size += part.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** A short command: resolves with its exit status and captured output (rejects only when it cannot start). */
export function runCommand(argv: readonly string[], options: RunCommandOptions): Promise<RunCommandResult> {
  const started = Date.now();
  const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted === true) {
      reject(new Error('spawn: aborted before start'));
      return;
    }
    const child = spawnChild(argv, {
      env: options.env,
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out = new BoundedBuffer(max);
    const err = new BoundedBuffer(max);
    let timedOut = false;
    let aborted = false;
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    if (options.input !== undefined && child.stdin) {
      // A command that exits without reading its input would make this write fail: harmless.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            signalGroup(child, 'SIGKILL');
          }, options.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      signalGroup(child, 'SIGKILL');
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (): void => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.once('error', (error) => {
      finish();
      reject(error);
    });
    child.once('close', (code, signal) => {
      finish();
      resolve({
        exitCode: code,
        signal,
        stdout: out.text(),
        stderr: err.text(),
        truncated: out.truncated || err.truncated,
        timedOut,
        aborted,
        durationMs: Date.now() - started,
      });
    });
  });
}
