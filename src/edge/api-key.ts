// Where a request carries a Berth API key (`Authorization: Bearer dor_sk_…` or `X-Api-Key`).
// Such headers are read for private apps and always removed before forwarding, so no app,
// public or private, ever sees a caller's platform key. Other credentials pass through untouched.

export const apiKeyPrefix = 'dor_sk_';
const bearerKey = /^bearer[ \t]+(dor_sk_[^\s,]+)[ \t]*$/i;

/** The plain key from an Authorization value, or null when it is not a Berth bearer key. */
export function keyFromAuthorization(value: string | undefined): string | null {
  if (value === undefined || value.length < 8 + apiKeyPrefix.length) return null;
  return bearerKey.exec(value)?.[1] ?? null;
}

/** The plain key from an X-Api-Key value, or null when it is not a Berth key. */
export function keyFromApiKeyHeader(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  return trimmed.startsWith(apiKeyPrefix) && !/[\s,]/.test(trimmed) ? trimmed : null;
}

/** The Berth key a request carries, Authorization first. */
export function apiKeyOf(headers: {
  authorization?: string | undefined;
  'x-api-key'?: string | string[] | undefined;
}): string | null {
  const header = headers['x-api-key'];
  return (
    keyFromAuthorization(headers.authorization) ?? keyFromApiKeyHeader(typeof header === 'string' ? header : undefined)
  );
}

/** Whether a raw header (lower-case name) carries a Berth key and must not reach the app. */
export function carriesBerthKey(lowerName: string, value: string): boolean {
  if (lowerName === 'authorization') return /^bearer[ \t]+dor_sk_/i.test(value);
  if (lowerName === 'x-api-key') return value.trimStart().startsWith(apiKeyPrefix);
  return false;
}
