// The core's one error vocabulary. Dialects map each code to their wire shape with an
// exhaustive table, so adding a code does not compile until every dialect handles it. Messages
// may name fields symbolically (wording.ts), so each dialect words them; `message` is the
// sentence in the core's words, for logs.
import { inCoreWords, phraseOf } from './wording.js';
import type { Phrase } from './wording.js';

export const errorCodes = ['invalid', 'not_found', 'conflict', 'forbidden', 'unauthorized', 'unavailable', 'internal'] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** Extra human-readable problems (one per field) for `invalid`, in the core's words. */
  readonly details: readonly string[];
  /** The message and the problems as phrases, for dialects to word. */
  readonly phrase: Phrase;
  readonly problems: readonly Phrase[];

  constructor(code: ErrorCode, message: string | Phrase, details: readonly (string | Phrase)[] = []) {
    super(inCoreWords(message));
    this.name = 'DomainError';
    this.code = code;
    this.phrase = phraseOf(message);
    this.problems = details.map(phraseOf);
    this.details = this.problems.map(inCoreWords);
  }
}

/** Throws `invalid` listing every problem (the first is the message); does nothing for none. */
export function refuse(problems: readonly (string | Phrase)[]): void {
  const [first] = problems;
  if (first !== undefined) throw new DomainError('invalid', first, problems);
}

export const invalid = (message: string | Phrase, details: readonly (string | Phrase)[] = []): never => {
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
const storageFullCodes: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', '53100']);

export function isStorageFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && storageFullCodes.has(code);
}
