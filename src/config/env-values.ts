// Reading one BERTH_* value: each kind (port, duration, count, flag, …) parsed and checked the
// same way everywhere, with a ConfigError naming the variable and what it must be.

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

export function port(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new ConfigError(name, `must be a port number 0-65535, got "${raw}"`);
  return Number(raw);
}

export function text(env: Env, name: string): string | null {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? null : raw.trim();
}

export function duration(env: Env, name: string, fallback: number): number {
  const raw = text(env, name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 3_600_000) throw new ConfigError(name, `must be a number of milliseconds up to 3600000, got "${raw}"`);
  return Number(raw);
}

/** A limit that 0 would switch off, or a value too small to mean anything: refused below `min`. */
export function durationFrom(env: Env, name: string, fallback: number, min: number): number {
  const ms = duration(env, name, fallback);
  if (ms < min) throw new ConfigError(name, `must be at least ${min} milliseconds, got "${ms}"`);
  return ms;
}

export function decimal(env: Env, name: string, fallback: number, max: number): number {
  const raw = text(env, name);
  if (raw === null) return fallback;
  if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) > max) throw new ConfigError(name, `must be a number from 0 to ${max}, got "${raw}"`);
  return Number(raw);
}

export function httpUrl(env: Env, name: string): string | null {
  const raw = text(env, name);
  if (raw === null) return null;
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return raw.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  throw new ConfigError(name, `must be an http:// or https:// URL, got "${raw}"`);
}

export function flag(env: Env, name: string): boolean {
  const raw = text(env, name);
  if (raw === null || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(name, 'must be 1 or 0');
}

export function count(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  return Number(raw);
}
