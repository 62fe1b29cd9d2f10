// The core's one error vocabulary. Dialects map each code to their wire shape with an
// exhaustive table, so adding a code does not compile until every dialect handles it.
export const errorCodes = ['invalid', 'not_found', 'conflict', 'forbidden', 'unauthorized', 'unavailable', 'internal'] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** Extra human-readable problems (one per field) for `invalid`. */
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, details: readonly string[] = []) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export const invalid = (message: string, details: readonly string[] = []): never => {
  throw new DomainError('invalid', message, details);
};
export const notFound = (what: string): never => {
  throw new DomainError('not_found', `${what} not found`);
};
export const conflict = (message: string): never => {
  throw new DomainError('conflict', message);
};
export const forbidden = (message: string): never => {
  throw new DomainError('forbidden', message);
};
export const unauthorized = (message = 'Invalid or missing API key'): never => {
  throw new DomainError('unauthorized', message);
};
export const unavailable = (message: string): never => {
  throw new DomainError('unavailable', message);
};

/** How a full disk surfaces, whichever layer met it: the filesystem, SQLite or PostgreSQL (disk_full). */
const storageFullCodes = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', '53100']);

export function isStorageFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && storageFullCodes.has(code);
}
