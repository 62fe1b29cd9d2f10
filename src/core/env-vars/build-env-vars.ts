// Build-time env vars (spec 003): given to build steps only (`VITE_*` lands in the bundle) and
// effective at the next build. They live in the one env table with scope `build`; a key the
// app's instances also get (scope `both`) stays one row, so setting or removing its build side
// never loses the runtime side.
import { envKeyProblem, envValueProblem } from '../../domain/env-var.js';
import { narrowScope, reachesBuild, widenScope } from '../../domain/env-var-record.js';
import type { EnvVar } from '../../domain/env-var-record.js';
import { notFound, refuse } from '../../domain/errors.js';
import { say, wire } from '../../domain/wording.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';

export async function listBuildEnv(deps: Pick<Deps, 'store'>, input: AppRef): Promise<EnvVar[]> {
  const app = await findApp(deps, input, 'env-vars:read');
  return (await deps.store.envVars.list(app.id)).filter((v) => reachesBuild(v.scope));
}

export async function setBuildEnv(deps: Pick<Deps, 'store' | 'clock' | 'ids'>, input: AppRef & { name: string; value: string }): Promise<void> {
  const app = await findApp(deps, input, 'env-vars:write');
  const keyProblem = envKeyProblem(input.name);
  const valueProblem = envValueProblem(input.name, input.value);
  refuse([...(keyProblem ? [say`${wire('name')}: ${keyProblem}`] : []), ...(valueProblem ? [say`${wire('value')}: ${valueProblem}`] : [])]);
  const existing = (await deps.store.envVars.list(app.id)).find((v) => v.key === input.name);
  const now = deps.clock.now();
  await deps.store.envVars.upsertMany([
    {
      id: existing?.id ?? deps.ids('envVar'),
      appId: app.id,
      key: input.name,
      value: input.value,
      isSecret: existing?.isSecret ?? false,
      scope: existing ? widenScope(existing.scope, 'build') : 'build',
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    },
  ]);
  await recordAudit(deps, { actor: input.actor, workspaceId: app.workspaceId, action: 'env_vars.set', targetType: 'app', targetId: app.id, detail: { keys: [input.name], scope: 'build' } });
}

export async function deleteBuildEnv(deps: Pick<Deps, 'store' | 'clock' | 'ids'>, input: AppRef & { name: string }): Promise<void> {
  const app = await findApp(deps, input, 'env-vars:write');
  const existing = (await deps.store.envVars.list(app.id)).find((v) => v.key === input.name && reachesBuild(v.scope));
  if (!existing) return notFound('Build env var');
  const left = narrowScope(existing.scope, 'build');
  if (left === null) await deps.store.envVars.delete(app.id, existing.id);
  else await deps.store.envVars.upsertMany([{ ...existing, scope: left, updatedAt: deps.clock.now() }]);
  await recordAudit(deps, { actor: input.actor, workspaceId: app.workspaceId, action: 'env_vars.delete', targetType: 'app', targetId: app.id, detail: { key: input.name, scope: 'build' } });
}
