// Plain API keys and their hashes. Keys carry 256 bits of randomness, so a fast hash (sha256)
// is as safe as a slow one and keeps authentication off the hot path's CPU budget.
import crypto from 'node:crypto';

export const keyPrefix = 'dor_sk_';

export function generatePlainKey(): string {
  return keyPrefix + crypto.randomBytes(32).toString('base64url');
}

export function hashKey(plain: string): string {
  return crypto.createHash('sha256').update(plain).digest('hex');
}

/** What lists show to recognise a key: its first characters. */
export function displayPrefix(plain: string): string {
  return plain.slice(0, keyPrefix.length + 6);
}
