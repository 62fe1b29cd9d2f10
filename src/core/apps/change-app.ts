// Changing an app in one call (spec 002's PATCH): its settings and source, its replicas (a scale)
// and its env as a map merged into what it has (a key set to null is deleted), which rolls the
// serving revision onto the new env (an ENV_CHANGE deployment) when anything changed. Everything
// is checked first: a refused change changes nothing.
import { refuseReplicasOfPinned } from './pin-one-replica.js';
import { replicasProblem, settingsOf } from '../../domain/app.js';
import type { App } from '../../domain/app.js';
import type { Deployment } from '../../domain/deployment.js';
import type { EnvScope } from '../../domain/env-var-record.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { field, say } from '../../domain/wording.js';
import type { Phrase } from '../../domain/wording.js';
import { recordAudit } from '../audit/record-audit.js';
import { authorize } from '../authorize.js';
import { syncEnvVars } from '../deploys/redeploy.js';
import type { Deps } from '../deps.js';
import { applyEnvMap, envMapProblems } from '../env-vars/manage-env-vars.js';
import { scaleApp } from '../revisions/scale-app.js';
import { mergeAppSettings } from './app-input.js';
import { saveChangedApp } from './manage-apps.js';
import type { AppFields } from './app-input.js';
import { applySource } from './app-source.js';
import type { SourceFields } from './app-source.js';
import { findApp } from './find-app.js';
import type { AppRef } from './find-app.js';

export interface ChangeInput extends AppRef {
  settings?: AppFields;
  /** Source fields to change; `type` defaults to the app's. */
  source?: Omit<SourceFields, 'type'> & { type?: SourceFields['type'] };
  replicas?: number;
  env?: Readonly<Record<string, string | null>>;
  /** Where `env` is given (default both, as specs 000/002 do; spec 003's config.env: runtime). */
  envScope?: EnvScope;
  /** Spec 003: the version builds and previews default to, and the Node.js version they ask for. */
  versioning?: { defaultVersionId?: string; nodeVersion?: string | null };
}

export interface ChangeResult {
  app: App;
  /** The rollout onto the new env, when the env changed and a revision serves. */
  deployment: Deployment | null;
}

export async function changeApp(deps: Deps, input: ChangeInput): Promise<ChangeResult> {
  const current = await findApp(deps, input, 'apps:write');
  if (input.replicas !== undefined) authorize(input.actor, input.workspaceId, 'deploy:write');
  if (input.env !== undefined) authorize(input.actor, input.workspaceId, 'env-vars:write');
  const allowHttpGit = deps.settings.builds.allowPrivateNetworks;
  const problems: Phrase[] = [];
  let settings = settingsOf(current);
  try {
    if (input.settings) settings = mergeAppSettings(settings, input.settings, { allowHttpGit });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    problems.push(...error.problems);
  }
  const source = input.source ? applySource(current, { ...input.source, type: input.source.type ?? current.sourceType }, { allowHttpGit }) : null;
  if (source) problems.push(...source.problems);
  const replicaProblem = input.replicas === undefined ? null : replicasProblem(input.replicas);
  if (replicaProblem) problems.push(replicaProblem);
  if (input.env) problems.push(...envMapProblems(input.env).map((text) => say`${field('env')}: ${text}`));
  problems.push(...(await versioningProblems(deps, current, input.versioning)));
  refuse(problems);
  await refuseReplicasOfPinned(deps, current.id, { maxReplicas: settings.maxReplicas, ...(input.replicas === undefined ? {} : { replicas: input.replicas }) });
  if (source?.fields.sourceType === 'GIT' && source.fields.gitRepoUrl && source.fields.gitRepoUrl !== current.gitRepoUrl) {
    await deps.builder.checkGitUrl(source.fields.gitRepoUrl);
  }

  let app: App = current;
  const changedSettings = input.settings !== undefined || source !== null || input.versioning !== undefined;
  if (changedSettings) {
    app = { ...current, ...settings, ...(source?.fields ?? {}), ...definedOnly(input.versioning), updatedAt: deps.clock.now() };
    const sourceFields = Object.keys(input.source ?? {}).map((key) => (key === 'type' ? 'sourceType' : key));
    await saveChangedApp(deps, input.actor, app, [...Object.keys(input.settings ?? {}), ...sourceFields, ...Object.keys(definedOnly(input.versioning))]);
  }
  if (input.replicas !== undefined) app = (await scaleApp(deps, { actor: input.actor, workspaceId: input.workspaceId, appId: app.id, replicas: input.replicas })).app;
  let deployment: Deployment | null = null;
  if (input.env && (await applyEnvMap(deps, app.id, input.env, input.envScope))) {
    await recordAudit(deps, { actor: input.actor, workspaceId: app.workspaceId, action: 'env_vars.set', targetType: 'app', targetId: app.id, detail: { keys: Object.keys(input.env).filter((k) => input.env?.[k] !== null), deleted: Object.keys(input.env).filter((k) => input.env?.[k] === null) } });
    const serving = (await deps.store.traffic.get(app.id)).some((split) => split.percent > 0);
    if (serving) deployment = await syncEnvVars(deps, { actor: input.actor, workspaceId: input.workspaceId, appId: app.id });
  }
  return { app, deployment };
}

/** `22`, `20.19`, `20.19.1`: a Node.js version as builds and previews ask for it. */
const nodeVersionPattern = /^[1-9][0-9]?(\.[0-9]{1,3}){0,2}$/;

async function versioningProblems(deps: Pick<Deps, 'store'>, app: App, versioning: ChangeInput['versioning']): Promise<Phrase[]> {
  const problems: Phrase[] = [];
  if (versioning?.defaultVersionId !== undefined) {
    const version = await deps.store.appVersions.byId(versioning.defaultVersionId);
    if (version?.appId !== app.id) problems.push(say`${field('defaultVersionId')} "${versioning.defaultVersionId}" is not a version of this app`);
  }
  const node = versioning?.nodeVersion;
  if (node !== undefined && node !== null && !nodeVersionPattern.test(node)) problems.push(say`${field('nodeVersion')} must be a Node.js version such as "20" or "22.11"`);
  return problems;
}

function definedOnly(versioning: ChangeInput['versioning']): Partial<Pick<App, 'defaultVersionId' | 'nodeVersion'>> {
  return {
    ...(versioning?.defaultVersionId !== undefined ? { defaultVersionId: versioning.defaultVersionId } : {}),
    ...(versioning?.nodeVersion !== undefined ? { nodeVersion: versioning.nodeVersion } : {}),
  };
}
