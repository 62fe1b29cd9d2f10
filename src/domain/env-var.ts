// Runtime environment variables: keys must be valid POSIX-style names, and Berth's own
// variables cannot be overridden by users.

export const reservedEnvKeys = ['PORT', 'BERTH_APP_ID', 'BERTH_REVISION', 'CORTEXDB_CONNECTION', 'HARBOR_PROJECT'] as const;

export const envValueMaxBytes = 32 * 1024;

export function envKeyProblem(key: string): string | null {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || key.length > 255) {
    return `key "${key.slice(0, 64)}" must start with a letter or underscore and contain only letters, digits and underscores`;
  }
  if ((reservedEnvKeys as readonly string[]).includes(key)) return `key ${key} is set by Berth and cannot be overridden`;
  return null;
}

export function envValueProblem(key: string, value: string): string | null {
  if (value.includes('\0')) return `value of ${key} must not contain NUL characters`;
  if (Buffer.byteLength(value) > envValueMaxBytes) return `value of ${key} must be at most ${envValueMaxBytes} bytes`;
  return null;
}
