// A database helper's program (pg_dump, pg_restore, sqlite3) that ran and failed is the user's
// answer, not an internal error: a conflict saying what failed, in the program's own last lines,
// with any password it echoed (a connection string, PGPASSWORD's value) masked, and Berth's data
// dir (where its files are on the host: backups, volumes) shown as `<data>`.
import { DomainError } from '../../domain/errors.js';
import type { RunCommandResult } from '../spawn.js';

/** How many of the program's last stderr lines the answer quotes, and at most how many characters. */
const TAIL_LINES = 2;
const TAIL_CHARS = 600;

/** `text` with each secret, and whatever stands as a password in a URL or a `password=`, masked. */
export function maskSecrets(text: string, secrets: readonly string[] = []): string {
  let masked = text;
  for (const secret of secrets) if (secret !== '') masked = masked.split(secret).join('***');
  return masked.replace(/(\/\/[^\s/:@]+:)[^\s@]+@/g, '$1***@').replace(/\b(password|PGPASSWORD)=\S+?(?=[\s)"',;]|$)/gi, '$1=***');
}

/** What stands for Berth's data dir in what a program said. */
export const DATA_DIR_TOKEN = '<data>';

/** `text` with each of `dirs` (Berth's data dir, as configured and as resolved) shown as `<data>`. */
export function maskPaths(text: string, dirs: readonly string[]): string {
  let masked = text;
  const longestFirst = dirs.map((dir) => dir.replace(/\/+$/, '')).filter((dir) => dir !== '').sort((a, b) => b.length - a.length);
  for (const dir of longestFirst) {
    // The dir itself or a path in it, not a longer name that starts with it (/srv/berth2).
    const pattern = new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![^/\\s"'\`:;,)\\]])`, 'g');
    masked = masked.replace(pattern, DATA_DIR_TOKEN);
  }
  return masked;
}

/** What the program said last, on one line: its last non-empty stderr lines, trimmed, secrets masked. */
export function stderrTail(stderr: string, secrets: readonly string[] = [], dataDirs: readonly string[] = []): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const tail = maskPaths(maskSecrets(lines.slice(-TAIL_LINES).join(' '), secrets), dataDirs);
  return tail.length > TAIL_CHARS ? `…${tail.slice(-TAIL_CHARS)}` : tail;
}

function howItEnded(tool: string, result: RunCommandResult): string {
  if (result.timedOut) return `${tool} did not finish in time and was stopped`;
  if (result.exitCode === null) return `${tool} was killed${result.signal ? ` by ${result.signal}` : ''}`;
  return `${tool} exited with status ${result.exitCode}`;
}

/**
 * The conflict for a program that failed: `${action}: ${tool} exited with status N: <its last lines>`.
 * `dataDirs`: Berth's data dir's names, never shown (database-engines.ts gives them).
 */
export function toolFailed(input: { action: string; tool: string; result: RunCommandResult; secrets?: readonly string[]; dataDirs: readonly string[] }): DomainError {
  const said = stderrTail(input.result.stderr, input.secrets, input.dataDirs);
  return new DomainError('conflict', `${input.action}: ${howItEnded(input.tool, input.result)}${said ? `: ${said}` : ''}`);
}

export const BACKUP_FAILED = 'The backup failed';
export const RESTORE_FAILED = 'The restore failed and the database is unchanged';
