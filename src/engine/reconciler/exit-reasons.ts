// Why an instance stopped, in the words runtime-status and the logs use: the exit code with the
// last line the instance wrote to stderr, or the memory limit it was killed at.
import type { InstanceStatus } from '../../core/ports/runtime.js';

const maxLineChars = 300;

/** The last stderr line worth quoting (trimmed, bounded); null for blank lines. */
export function quotable(line: string): string | null {
  const trimmed = line.trim();
  if (trimmed === '') return null;
  return trimmed.length > maxLineChars ? `${trimmed.slice(0, maxLineChars)}…` : trimmed;
}

export function exitReason(status: InstanceStatus, memoryLimitMi: number, lastStderr: string | null): string {
  if (status.oomKilled) return `OOMKilled at ${memoryLimitMi} MiB: the instance used more memory than its limit`;
  const how = status.exitCode !== null ? `exited with code ${status.exitCode}` : `exited on signal ${status.signal ?? 'unknown'}`;
  return lastStderr ? `${how}: ${lastStderr}` : how;
}
