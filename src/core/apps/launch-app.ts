// Create an app and deploy it, in one call (spec 002): from a git repository (its build is
// queued), a container image (pulled; its deployment fails at once without a container engine),
// or uploads (nothing to deploy until a tarball comes), optionally from a one-click
// template whose fields the request's own override. Everything is checked before anything is
// stored: a refused launch leaves no app, no env and no deployment. The slug comes from the name
// (taken: `-2`, `-3`, …; reserved: refused). Launched apps are public: they are deployed to be
// reached, and spec 002 has no visibility of its own.
import { defaultSettings, replicasProblem, reservedSlugs } from '../../domain/app.js';
import type { App, AppType, SourceType, Visibility } from '../../domain/app.js';
import type { AppTemplate } from '../../domain/app-template.js';
import type { Deployment } from '../../domain/deployment.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { gitProviderOf } from '../../domain/git-url.js';
import { slugCandidate, slugFromName } from '../../domain/slug.js';
import { findTemplate, templateCatalog } from '../../domain/templates/catalog.js';
import { field, say } from '../../domain/wording.js';
import type { Phrase } from '../../domain/wording.js';
import type { Principal } from '../../domain/workspace.js';
import { recordAudit } from '../audit/record-audit.js';
import { authorize } from '../authorize.js';
import { deployApp } from '../deploys/trigger-deploy.js';
import type { Deps } from '../deps.js';
import { applyEnvMap, envMapProblems } from '../env-vars/manage-env-vars.js';
import { mergeAppSettings } from './app-input.js';
import type { AppFields } from './app-input.js';
import { applySource } from './app-source.js';

export interface LaunchInput {
  actor: Principal;
  workspaceId: string;
  name: string;
  /** Where the code comes from; may be left to the template. */
  source?: { type?: SourceType; gitRepoUrl?: string; gitBranch?: string; imageRef?: string };
  port?: number | null;
  buildCommand?: string | null;
  replicas?: number;
  env?: Readonly<Record<string, string>>;
  templateId?: string;
  type?: AppType;
  visibility?: Visibility;
}

export interface LaunchResult {
  app: App;
  /** Null for upload sources: there is nothing to build until a tarball comes. */
  deployment: Deployment | null;
}

/** Slugs tried before giving up on a name (then the caller is told to pick another). */
const maxSlugTries = 50;

function templateOf(id: string | undefined, problems: Phrase[]): AppTemplate | null {
  if (id === undefined) return null;
  const found = findTemplate(id);
  if (!found) problems.push(say`${field('template')} "${id}" does not exist; the catalog has: ${templateCatalog.map((t) => t.id).join(', ')}`);
  return found;
}

/** The request's fields over the template's: every field the request sets wins. */
function settingsFrom(input: LaunchInput, template: AppTemplate | null): AppFields {
  return {
    type: input.type ?? template?.type,
    visibility: input.visibility ?? 'public',
    port: input.port !== undefined ? input.port : (template?.port ?? null),
    buildCommand: input.buildCommand !== undefined ? input.buildCommand : (template?.buildCommand ?? null),
    ...(template
      ? { cpuLimitMillicores: template.resources.cpuMillicores, memoryLimitMi: template.resources.memoryMi, readinessPath: template.readinessPath, readinessType: template.readinessType }
      : {}),
  };
}

export async function launchApp(deps: Deps, input: LaunchInput): Promise<LaunchResult> {
  authorize(input.actor, input.workspaceId, 'apps:write');
  authorize(input.actor, input.workspaceId, 'deploy:write');
  const problems: Phrase[] = [];
  const template = templateOf(input.templateId, problems);
  const derived = slugFromName(input.name);
  // A reserved slug is refused in the name's terms: the caller chose the name, not the slug.
  if (reservedSlugs.has(derived)) problems.push(say`${field('name')} "${input.name}" gives the slug "${derived}", which is reserved by Berth (it names a fixed route or host): choose another name`);
  const baseSlug = reservedSlugs.has(derived) ? 'app' : derived;
  const allowHttpGit = deps.settings.builds.allowPrivateNetworks;
  const sourceType = input.source?.type ?? template?.source.type;
  // An unknown template has its own problem; "required" would only repeat it.
  if (!sourceType && !(input.templateId && !template)) problems.push(say`${field('sourceType')} is required (or a template that names one)`);

  let settings = defaultSettings(input.name, baseSlug);
  try {
    settings = mergeAppSettings(settings, settingsFrom(input, template), { allowHttpGit });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    problems.push(...error.problems);
  }
  const byTemplate = template?.source.type === sourceType ? template?.source : undefined;
  const source = applySource(
    { gitRepoUrl: null, gitBranch: settings.gitBranch, gitProvider: null, gitInstallationId: null, imageRef: null, imageRegistryAuthRef: null },
    {
      type: sourceType ?? 'UPLOAD',
      gitRepoUrl: input.source?.gitRepoUrl ?? byTemplate?.gitRepoUrl ?? undefined,
      gitBranch: input.source?.gitBranch ?? byTemplate?.gitBranch ?? undefined,
      imageRef: input.source?.imageRef ?? byTemplate?.imageRef ?? undefined,
    },
    { allowHttpGit },
  );
  if (sourceType) problems.push(...source.problems);
  const replicas = input.replicas ?? template?.replicas ?? null;
  const replicaProblem = replicas === null ? null : replicasProblem(replicas);
  if (replicaProblem) problems.push(replicaProblem);
  const env = { ...template?.env, ...input.env };
  problems.push(...envMapProblems(env).map((text) => say`${field('env')}: ${text}`));
  refuse(problems);
  // DNS and address checks of the repository: refused here, before anything is stored.
  if (source.fields.sourceType === 'GIT' && source.fields.gitRepoUrl) await deps.builder.checkGitUrl(source.fields.gitRepoUrl);

  const app = await createWithFreeSlug(deps, input, {
    ...settings,
    ...source.fields,
    gitProvider: source.fields.gitProvider ?? gitProviderOf(source.fields.gitRepoUrl),
    replicas,
    defaultVersionId: null,
    nodeVersion: null,
  });
  if (Object.keys(env).length > 0) {
    await applyEnvMap(deps, app.id, env);
    await recordAudit(deps, { actor: input.actor, workspaceId: app.workspaceId, action: 'env_vars.set', targetType: 'app', targetId: app.id, detail: { keys: Object.keys(env) } });
  }
  const deployment = app.sourceType === 'UPLOAD' ? null : await deployApp(deps, { app, actor: input.actor });
  return { app, deployment };
}

export type NewAppFields = Omit<App, 'id' | 'workspaceId' | 'status' | 'createdBy' | 'createdAt' | 'updatedAt' | 'deletedAt'>;

/** Stores the app under its name's slug, or the first free numbered one; a reserved slug was refused before. */
export async function createWithFreeSlug(deps: Deps, input: Pick<LaunchInput, 'actor' | 'workspaceId' | 'name'>, fields: NewAppFields): Promise<App> {
  const now = deps.clock.now();
  const id = deps.ids('app');
  for (let n = 1; n <= maxSlugTries; n++) {
    const slug = slugCandidate(fields.slug, n);
    if (n > 1 && (await deps.store.apps.find(input.workspaceId, slug))) continue;
    const app: App = { ...fields, slug, id, workspaceId: input.workspaceId, status: 'stopped', createdBy: input.actor.keyId, createdAt: now, updatedAt: now, deletedAt: null };
    try {
      await deps.store.apps.create(app);
    } catch (error) {
      // Taken meanwhile (another create with the same name): try the next suffix.
      if (error instanceof DomainError && error.code === 'conflict') continue;
      throw error;
    }
    await recordAudit(deps, { actor: input.actor, workspaceId: input.workspaceId, action: 'app.create', targetType: 'app', targetId: app.id, detail: { slug: app.slug } });
    return app;
  }
  throw new DomainError('conflict', say`Every slug from ${field('name')} "${input.name}" is taken: choose another name`);
}
