// Turns user-provided app fields into settings and checks them as a whole, one problem per field.
import { appDefaults, appSettingsProblems } from '../../domain/app.js';
import type { App, AppSettings, AppType, ReadinessType, Visibility } from '../../domain/app.js';
import { DomainError } from '../../domain/errors.js';
import { normaliseGitUrl } from '../../domain/git-url.js';

/** Every field optional: create requires name and slug, PATCH takes any subset. */
export interface AppFields {
  name?: string;
  slug?: string;
  description?: string | null;
  type?: AppType;
  gitRepoUrl?: string | null;
  gitBranch?: string;
  gitInstallationId?: string | null;
  dockerfilePath?: string | null;
  autoDeploy?: boolean;
  releaseCommand?: string | null;
  visibility?: Visibility;
  cpuLimitMillicores?: number;
  memoryLimitMi?: number;
  minReplicas?: number;
  maxReplicas?: number;
  cpuTargetUtilization?: number;
  schedule?: string | null;
  readinessPath?: string;
  readinessType?: ReadinessType;
}

const emptyToNull = (value: string | null | undefined): string | null =>
  value === undefined || value === null || value.trim() === '' ? null : value.trim();

/** Applies `fields` over `base` and validates the result; throws DomainError('invalid') listing every problem. */
export function mergeAppSettings(base: AppSettings, fields: AppFields, options: { allowHttpGit?: boolean } = {}): AppSettings {
  const problems: string[] = [];
  let gitRepoUrl = base.gitRepoUrl;
  if (fields.gitRepoUrl !== undefined) {
    const raw = emptyToNull(fields.gitRepoUrl);
    if (raw === null) gitRepoUrl = null;
    else {
      const result = normaliseGitUrl(raw, { allowHttp: options.allowHttpGit });
      if (result.ok) gitRepoUrl = result.url;
      else problems.push(result.problem);
    }
  }
  const minReplicas = fields.minReplicas ?? base.minReplicas;
  const merged: AppSettings = {
    name: fields.name?.trim() ?? base.name,
    slug: fields.slug ?? base.slug,
    description: fields.description !== undefined ? emptyToNull(fields.description) : base.description,
    type: fields.type ?? base.type,
    gitRepoUrl,
    gitBranch: fields.gitBranch?.trim() || base.gitBranch,
    gitInstallationId: fields.gitInstallationId !== undefined ? emptyToNull(fields.gitInstallationId) : base.gitInstallationId,
    dockerfilePath: fields.dockerfilePath !== undefined ? emptyToNull(fields.dockerfilePath) : base.dockerfilePath,
    autoDeploy: fields.autoDeploy ?? base.autoDeploy,
    releaseCommand: fields.releaseCommand !== undefined ? emptyToNull(fields.releaseCommand) : base.releaseCommand,
    visibility: fields.visibility ?? base.visibility,
    cpuLimitMillicores: fields.cpuLimitMillicores ?? base.cpuLimitMillicores,
    memoryLimitMi: fields.memoryLimitMi ?? base.memoryLimitMi,
    minReplicas,
    // Raising minReplicas alone lifts an implicit maximum with it; an explicit maximum is checked.
    maxReplicas: fields.maxReplicas ?? Math.max(base.maxReplicas, fields.minReplicas ?? 0),
    cpuTargetUtilization: fields.cpuTargetUtilization ?? base.cpuTargetUtilization,
    schedule: fields.schedule !== undefined ? emptyToNull(fields.schedule) : base.schedule,
    readinessPath: fields.readinessPath?.trim() || base.readinessPath,
    readinessType: fields.readinessType ?? base.readinessType,
  };
  if (!/^[A-Za-z0-9._/-]{1,255}$/.test(merged.gitBranch) || merged.gitBranch.includes('..')) {
    problems.push('gitBranch must be a valid branch name');
  }
  problems.push(...appSettingsProblems(merged));
  if (problems.length > 0) throw new DomainError('invalid', problems[0] ?? 'invalid', problems);
  return merged;
}

export function defaultSettings(name: string, slug: string): AppSettings {
  return {
    name,
    slug,
    description: null,
    type: appDefaults.type,
    gitRepoUrl: null,
    gitBranch: appDefaults.gitBranch,
    gitInstallationId: null,
    dockerfilePath: null,
    autoDeploy: appDefaults.autoDeploy,
    releaseCommand: null,
    visibility: appDefaults.visibility,
    cpuLimitMillicores: appDefaults.cpuLimitMillicores,
    memoryLimitMi: appDefaults.memoryLimitMi,
    minReplicas: appDefaults.minReplicas,
    maxReplicas: appDefaults.maxReplicas,
    cpuTargetUtilization: appDefaults.cpuTargetUtilization,
    schedule: null,
    readinessPath: appDefaults.readinessPath,
    readinessType: appDefaults.readinessType,
  };
}

export function settingsOf(app: App): AppSettings {
  return {
    name: app.name,
    slug: app.slug,
    description: app.description,
    type: app.type,
    gitRepoUrl: app.gitRepoUrl,
    gitBranch: app.gitBranch,
    gitInstallationId: app.gitInstallationId,
    dockerfilePath: app.dockerfilePath,
    autoDeploy: app.autoDeploy,
    releaseCommand: app.releaseCommand,
    visibility: app.visibility,
    cpuLimitMillicores: app.cpuLimitMillicores,
    memoryLimitMi: app.memoryLimitMi,
    minReplicas: app.minReplicas,
    maxReplicas: app.maxReplicas,
    cpuTargetUtilization: app.cpuTargetUtilization,
    schedule: app.schedule,
    readinessPath: app.readinessPath,
    readinessType: app.readinessType,
  };
}
