// The `berth` command's exit codes (README: "The berth command"), and the error that carries one.
export const exitCodes = {
  ok: 0,
  /** The operation ran and failed: a deployment failed or was cancelled, or something unexpected. */
  failed: 1,
  /** A bad command line: unknown command or option, missing or malformed argument. */
  usage: 2,
  /** Not logged in, or the key was refused (401) or lacks a scope (403). */
  auth: 3,
  /** What was named does not exist (404). */
  notFound: 4,
  /** The API refused the request (other 4xx: invalid input, conflict, too large). */
  rejected: 5,
  /** Berth could not be reached or answered 5xx. */
  unavailable: 6,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return exitCodes.auth;
  if (status === 404) return exitCodes.notFound;
  if (status >= 400 && status < 500) return exitCodes.rejected;
  return exitCodes.unavailable;
}
