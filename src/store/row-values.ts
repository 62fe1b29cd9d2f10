// Conversions between portable column types and domain values, shared by every repository.

export const toIso = (date: Date): string => date.toISOString();
export const toIsoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null);
export const fromIso = (value: string): Date => new Date(value);
export const fromIsoOrNull = (value: string | null): Date | null => (value === null ? null : new Date(value));
export const toFlag = (value: boolean): number => (value ? 1 : 0);
export const fromFlag = (value: number | boolean): boolean => value === 1 || value === true;

/** SQLite and PostgreSQL spell a unique-constraint violation differently. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
