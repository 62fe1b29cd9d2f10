// Runtime environment variables: keys checked, secrets sealed by the store, values never audited.
import { envKeyProblem, envValueProblem } from '../../domain/env-var.js';
import { narrowScope, reachesRuntime, widenScope } from '../../domain/env-var-record.js';
import type { EnvScope, EnvVar } from '../../domain/env-var-record.js';
import { DomainError, notFound } from '../../domain/errors.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';

export interface EnvVarInput {
  key: string;
  value: string;
  isSecret?: boolean;
}

/** The variables instances get: build-only ones (spec 003's build env) are not the runtime dialects' to show or delete. */
async function runtimeVars(deps: Pick<Deps, 'store'>, appId: string): Promise<EnvVar[]> {
  return (await deps.store.envVars.list(appId)).filter((v) => reachesRuntime(v.scope));
}

export async function listEnvVars(deps: Pick<Deps, 'store'>, input: AppRef): Promise<EnvVar[]> {
  const app = await findApp(deps, input, 'env-vars:read');
  return runtimeVars(deps, app.id);
}

/** Every problem of a batch; `label` names an entry the way the caller sent it. */
function envVarProblems(vars: readonly EnvVarInput[], label: (index: number) => string): string[] {
  const problems: string[] = [];
  if (vars.length === 0) problems.push('vars must contain at least one variable');
  if (vars.length > 500) problems.push('vars may contain at most 500 variables');
  const seen = new Set<string>();
  vars.forEach((envVar, index) => {
    const keyProblem = envKeyProblem(envVar.key);
    if (keyProblem) problems.push(`${label(index)}${keyProblem}`);
    const valueProblem = envValueProblem(envVar.key, envVar.value);
    if (valueProblem) problems.push(`${label(index)}${valueProblem}`);
    if (seen.has(envVar.key)) problems.push(`${label(index)}key ${envVar.key} appears more than once`);
    seen.add(envVar.key);
  });
  return problems;
}

/** Problems of env given as a map (`null` deletes a key; its key must still be a valid name). */
export function envMapProblems(env: Readonly<Record<string, string | null>>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    const keyProblem = envKeyProblem(key);
    if (keyProblem) problems.push(keyProblem);
    const valueProblem = value === null ? null : envValueProblem(key, value);
    if (valueProblem) problems.push(valueProblem);
  }
  if (Object.keys(env).length > 500) problems.push('env may contain at most 500 variables');
  return problems;
}

/**
 * Writes env given as a map: keys set to a string are created or replaced (kept secret if they
 * were), keys set to null are deleted. Returns whether anything changed. Check envMapProblems first.
 */
export async function applyEnvMap(
  deps: Pick<Deps, 'store' | 'clock' | 'ids'>,
  appId: string,
  env: Readonly<Record<string, string | null>>,
  /** Where the values are given (specs 000/002: both; 003's `config.env`: runtime). */
  scope: EnvScope = 'both',
): Promise<boolean> {
  const current = new Map((await deps.store.envVars.list(appId)).map((v) => [v.key, v]));
  const now = deps.clock.now();
  const upserts: EnvVar[] = [];
  const deletes: EnvVar[] = [];
  for (const [key, value] of Object.entries(env)) {
    const existing = current.get(key);
    if (value !== null) {
      const next = existing ? widenScope(existing.scope, scope) : scope;
      if (existing?.value !== value || existing.scope !== next) {
        upserts.push({ id: deps.ids('envVar'), appId, key, value, isSecret: existing?.isSecret ?? false, scope: next, createdAt: now, updatedAt: now });
      }
    } else if (existing) {
      const left = narrowScope(existing.scope, scope);
      if (left === null) deletes.push(existing);
      else if (left !== existing.scope) upserts.push({ ...existing, scope: left, updatedAt: now });
    }
  }
  if (upserts.length > 0) await deps.store.envVars.upsertMany(upserts);
  let deleted = 0;
  for (const existing of deletes) if (await deps.store.envVars.delete(appId, existing.id)) deleted += 1;
  return upserts.length + deleted > 0;
}

/** Sets one or many variables at once; all are checked first, and none is written if any is bad. */
export async function setEnvVars(deps: Deps, input: AppRef & { vars: readonly EnvVarInput[] }): Promise<EnvVar[]> {
  return saveEnvVars(deps, { ...input, label: (index) => `vars[${index}]: ` });
}

async function saveEnvVars(
  deps: Deps,
  input: AppRef & { vars: readonly EnvVarInput[]; label: (index: number) => string },
): Promise<EnvVar[]> {
  const app = await findApp(deps, input, 'env-vars:write');
  const problems = envVarProblems(input.vars, input.label);
  if (problems.length > 0) {
    throw new DomainError('invalid', problems.length === 1 ? (problems[0] ?? 'invalid') : 'Invalid environment variables', problems);
  }
  const now = deps.clock.now();
  const saved = await deps.store.envVars.upsertMany(
    input.vars.map((envVar) => ({
      id: deps.ids('envVar'),
      appId: app.id,
      key: envVar.key,
      value: envVar.value,
      isSecret: envVar.isSecret ?? false,
      scope: 'both' as const,
      createdAt: now,
      updatedAt: now,
    })),
  );
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: app.workspaceId,
    action: 'env_vars.set',
    targetType: 'app',
    targetId: app.id,
    detail: { keys: input.vars.map((envVar) => envVar.key) },
  });
  return saved;
}

export async function deleteEnvVar(deps: Deps, input: AppRef & { envVarId: string }): Promise<void> {
  const app = await findApp(deps, input, 'env-vars:write');
  const existing = (await runtimeVars(deps, app.id)).find((envVar) => envVar.id === input.envVarId || envVar.key === input.envVarId);
  if (!existing) return notFound('Environment variable');
  await deps.store.envVars.delete(app.id, existing.id);
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: app.workspaceId,
    action: 'env_vars.delete',
    targetType: 'app',
    targetId: app.id,
    detail: { key: existing.key },
  });
}

export async function setEnvVar(deps: Deps, input: AppRef & { envVar: EnvVarInput }): Promise<EnvVar> {
  // One variable sent on its own: its problems name it by key, not by a `vars[0]` the caller never sent.
  const [saved] = await saveEnvVars(deps, {
    actor: input.actor,
    workspaceId: input.workspaceId,
    appId: input.appId,
    vars: [input.envVar],
    label: () => '',
  });
  if (!saved) throw new DomainError('internal', 'Environment variable was not saved');
  return saved;
}
