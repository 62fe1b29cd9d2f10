// The env an app's processes get: instances and the release command get runtime values, build
// steps get build-time ones (spec 003's `VITE_*`), and values of scope `both` reach all of them.
import { reachesBuild, reachesRuntime } from '../../domain/env-var-record.js';
import type { Deps } from '../deps.js';

/** The env of the app's instances and release command. */
export async function appEnv(deps: Pick<Deps, 'store'>, appId: string): Promise<Record<string, string>> {
  return Object.fromEntries((await deps.store.envVars.list(appId)).filter((v) => reachesRuntime(v.scope)).map((v) => [v.key, v.value]));
}

/** The env of the app's build steps (install, build). */
export async function buildEnv(deps: Pick<Deps, 'store'>, appId: string): Promise<Record<string, string>> {
  return Object.fromEntries((await deps.store.envVars.list(appId)).filter((v) => reachesBuild(v.scope)).map((v) => [v.key, v.value]));
}
