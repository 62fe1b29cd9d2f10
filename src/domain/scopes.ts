// The scopes an API key can hold (client-contract.md); Berth enforces each one.
export const scopes = [
  'apps:read',
  'apps:write',
  'deploy:read',
  'deploy:write',
  'env-vars:read',
  'env-vars:write',
  'monitoring:read',
  'monitoring:write',
  'api-keys:read',
  'api-keys:write',
  'git:read',
  'git:write',
  'databases:read',
  'databases:write',
  'databases:query',
] as const;

export type Scope = (typeof scopes)[number];

export function isScope(value: string): value is Scope {
  return (scopes as readonly string[]).includes(value);
}
