// Turns user-provided app fields into settings and checks them as a whole, one problem per field.
import { appSettingsProblems } from '../../domain/app.js';
import type { AppSettings } from '../../domain/app.js';
import { branchProblem } from '../../domain/build.js';
import { refuse } from '../../domain/errors.js';
import { normaliseGitUrl } from '../../domain/git-url.js';
import type { Phrase } from '../../domain/wording.js';

/** Every setting optional: create requires name and slug, PATCH takes any subset. */
export type AppFields = Partial<AppSettings>;

const emptyToNull = (value: string | null | undefined): string | null =>
  value === undefined || value === null || value.trim() === '' ? null : value.trim();

/** Applies `fields` over `base` and validates the result; throws DomainError('invalid') listing every problem. */
export function mergeAppSettings(base: AppSettings, fields: AppFields, options: { allowHttpGit?: boolean } = {}): AppSettings {
  const problems: Phrase[] = [];
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
  const nullable = (key: 'description' | 'gitInstallationId' | 'dockerfilePath' | 'releaseCommand' | 'schedule' | 'buildCommand') =>
    fields[key] !== undefined ? emptyToNull(fields[key]) : base[key];
  const merged: AppSettings = {
    name: fields.name?.trim() ?? base.name,
    slug: fields.slug ?? base.slug,
    description: nullable('description'),
    type: fields.type ?? base.type,
    gitRepoUrl,
    gitBranch: fields.gitBranch?.trim() || base.gitBranch,
    gitInstallationId: nullable('gitInstallationId'),
    dockerfilePath: nullable('dockerfilePath'),
    autoDeploy: fields.autoDeploy ?? base.autoDeploy,
    releaseCommand: nullable('releaseCommand'),
    visibility: fields.visibility ?? base.visibility,
    cpuLimitMillicores: fields.cpuLimitMillicores ?? base.cpuLimitMillicores,
    memoryLimitMi: fields.memoryLimitMi ?? base.memoryLimitMi,
    diskLimitMi: fields.diskLimitMi ?? base.diskLimitMi,
    port: fields.port !== undefined ? fields.port : base.port,
    minReplicas: fields.minReplicas ?? base.minReplicas,
    // Raising minReplicas alone lifts an implicit maximum with it; an explicit maximum is checked.
    maxReplicas: fields.maxReplicas ?? Math.max(base.maxReplicas, fields.minReplicas ?? 0),
    cpuTargetUtilization: fields.cpuTargetUtilization ?? base.cpuTargetUtilization,
    schedule: nullable('schedule'),
    readinessPath: fields.readinessPath?.trim() || base.readinessPath,
    readinessType: fields.readinessType ?? base.readinessType,
    sessionAffinity: fields.sessionAffinity ?? base.sessionAffinity,
    buildCommand: nullable('buildCommand'),
  };
  const branch = branchProblem(merged.gitBranch);
  if (branch) problems.push(branch);
  problems.push(...appSettingsProblems(merged));
  refuse(problems);
  return merged;
}
