// One environment variable of an app; secret values are sealed in the store.

export const envScopes = ['runtime', 'build', 'both'] as const;
export type EnvScope = (typeof envScopes)[number];

/** Given to build steps (install, build). */
export const reachesBuild = (scope: EnvScope): boolean => scope !== 'runtime';
/** Given to instances and the release command. */
export const reachesRuntime = (scope: EnvScope): boolean => scope !== 'build';
export interface EnvVar {
  id: string;
  appId: string;
  key: string;
  /** The plain value (unsealed); presenters mask secrets. */
  value: string;
  isSecret: boolean;
  /** Where the value is given: instances (`runtime`), build steps (`build`, spec 003), or both (specs 000/002). */
  scope: EnvScope;
  createdAt: Date;
  updatedAt: Date;
}

/** A value set for `added` where it already had `scope`: it now reaches both sides if they differ. */
export const widenScope = (scope: EnvScope, added: EnvScope): EnvScope => (scope === added ? scope : 'both');

/** What is left of `scope` once `removed` no longer gets the value; null: nothing (delete it). */
export function narrowScope(scope: EnvScope, removed: EnvScope): EnvScope | null {
  if (removed === 'both' || scope === removed) return null;
  if (scope === 'both') return removed === 'build' ? 'runtime' : 'build';
  return scope;
}
