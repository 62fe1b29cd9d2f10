// Where an app's code comes from: a git repository (https only), uploads, or a container image.
import type { App, SourceType } from '../../domain/app.js';
import { refuse } from '../../domain/errors.js';
import { field, say, sourceWord } from '../../domain/wording.js';
import type { Phrase } from '../../domain/wording.js';
import { branchProblem } from '../../domain/build.js';
import { gitProviderOf, normaliseGitUrl } from '../../domain/git-url.js';
import type { GitProvider } from '../../domain/git-url.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';
import { findApp } from './find-app.js';
import type { AppRef } from './find-app.js';

export interface SourceFields {
  type: SourceType;
  gitRepoUrl?: string | null;
  gitBranch?: string | null;
  gitProvider?: GitProvider | null;
  gitInstallationId?: string | null;
  imageRef?: string | null;
  imageRegistryAuthRef?: string | null;
}

export async function getAppSource(deps: Pick<Deps, 'store'>, input: AppRef): Promise<App> {
  return findApp(deps, input, 'apps:read');
}

const imageRefPattern = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

export const isImageRef = (value: string): boolean => imageRefPattern.test(value);
const imageRefProblem = say`${field('imageRef')} must be an image reference such as registry.example.com/org/app:1.2`;

/** What the client set wins; omitted, the stored value stays unless the repository moved to another host. */
function providerAfter(app: Pick<App, 'gitRepoUrl' | 'gitProvider'>, source: SourceFields, gitRepoUrl: string | null): GitProvider | null {
  if (source.gitProvider !== undefined) return source.gitProvider;
  return gitRepoUrl === app.gitRepoUrl ? app.gitProvider : gitProviderOf(gitRepoUrl);
}

/** The app's source fields after `source` is applied, with every problem of the result (pure). */
export function applySource(
  app: Pick<App, 'gitRepoUrl' | 'gitBranch' | 'gitProvider' | 'gitInstallationId' | 'imageRef' | 'imageRegistryAuthRef'>,
  source: SourceFields,
  options: { allowHttpGit: boolean },
): { fields: Pick<App, 'sourceType' | 'gitRepoUrl' | 'gitBranch' | 'gitProvider' | 'gitInstallationId' | 'imageRef' | 'imageRegistryAuthRef'>; problems: Phrase[] } {
  const problems: Phrase[] = [];
  let gitRepoUrl = app.gitRepoUrl;
  if (source.gitRepoUrl !== undefined && source.gitRepoUrl !== null && source.gitRepoUrl.trim() !== '') {
    const result = normaliseGitUrl(source.gitRepoUrl, { allowHttp: options.allowHttpGit });
    if (result.ok) gitRepoUrl = result.url;
    else problems.push(result.problem);
  } else if (source.gitRepoUrl === null) gitRepoUrl = null;
  // A URL that was given but refused has its own problem; "required" would only repeat it.
  if (source.type === 'GIT' && !gitRepoUrl && problems.length === 0) problems.push(say`${field('gitRepoUrl')} is required for a ${sourceWord('GIT')} source`);
  const imageRef = source.imageRef !== undefined ? (source.imageRef?.trim() || null) : app.imageRef;
  if (source.type === 'IMAGE' && !imageRef) problems.push(say`${field('imageRef')} is required for an ${sourceWord('IMAGE')} source`);
  if (imageRef && !imageRefPattern.test(imageRef)) problems.push(imageRefProblem);
  const gitBranch = source.gitBranch?.trim() || app.gitBranch;
  const branch = branchProblem(gitBranch);
  if (branch) problems.push(branch);
  return {
    problems,
    fields: {
      sourceType: source.type,
      gitRepoUrl,
      gitBranch,
      gitProvider: providerAfter(app, source, gitRepoUrl),
      gitInstallationId: source.gitInstallationId !== undefined ? (source.gitInstallationId?.trim() || null) : app.gitInstallationId,
      imageRef,
      imageRegistryAuthRef: source.imageRegistryAuthRef !== undefined ? (source.imageRegistryAuthRef?.trim() || null) : app.imageRegistryAuthRef,
    },
  };
}

export async function setAppSource(deps: Deps, input: AppRef & { source: SourceFields }): Promise<App> {
  const app = await findApp(deps, input, 'apps:write');
  const { source } = input;
  const applied = applySource(app, source, { allowHttpGit: deps.settings.builds.allowPrivateNetworks });
  refuse(applied.problems);
  const updated: App = { ...app, ...applied.fields, updatedAt: deps.clock.now() };
  await deps.store.apps.update(updated);
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: app.workspaceId,
    action: 'app.source.update',
    targetType: 'app',
    targetId: app.id,
    detail: { type: source.type },
  });
  return updated;
}
