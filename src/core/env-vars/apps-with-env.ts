// Apps beside their runtime env vars, for dialects that show env on the app (spec 003's `config.env`).
// A key without `env-vars:read` sees apps with an empty env rather than being refused the app.
import type { App } from '../../domain/app.js';
import { reachesRuntime } from '../../domain/env-var-record.js';
import type { EnvVar } from '../../domain/env-var-record.js';
import type { Principal } from '../../domain/workspace.js';
import type { Deps } from '../deps.js';

export async function appsWithEnv(deps: Pick<Deps, 'store'>, input: { actor: Principal; apps: readonly App[] }): Promise<{ app: App; env: EnvVar[] }[]> {
  const mayRead = input.actor.scopes.includes('env-vars:read');
  const readable = mayRead ? input.apps.filter((app) => app.workspaceId === input.actor.workspaceId).map((app) => app.id) : [];
  const byApp = await deps.store.envVars.listOfApps(readable);
  return input.apps.map((app) => ({ app, env: (byApp.get(app.id) ?? []).filter((v) => reachesRuntime(v.scope)) }));
}
