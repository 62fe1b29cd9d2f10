// Git repository URLs as users type them: `github.com/org/repo` means https. Berth stores and
// answers the normalised https URL; anything but https is refused, unless the operator allows
// private networks (BERTH_ALLOW_PRIVATE_NETWORKS), which also admits http:// git servers.
import { field, say } from './wording.js';
import type { Phrase } from './wording.js';

export type GitUrlResult = { ok: true; url: string } | { ok: false; problem: Phrase };

const repo = field('gitRepoUrl');

export function normaliseGitUrl(input: string, options: { allowHttp?: boolean } = {}): GitUrlResult {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, problem: say`${repo} must not be empty` };
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, problem: say`${repo} must be a valid URL such as https://github.com/org/repo` };
  }
  if (url.protocol !== 'https:' && !(options.allowHttp && url.protocol === 'http:')) return { ok: false, problem: say`${repo} must use https://` };
  if (url.hostname === '' || url.pathname === '/' || url.pathname === '') {
    return { ok: false, problem: say`${repo} must name a repository, e.g. https://github.com/org/repo` };
  }
  if (url.username || url.password) {
    return { ok: false, problem: say`${repo} must not embed credentials` };
  }
  return { ok: true, url: url.toString().replace(/\/$/, '') };
}

/** The git hosts a client names by provider (client-contract.md types `gitProvider` this way). */
export const gitProviders = ['GITHUB', 'GITLAB', 'BITBUCKET'] as const;
export type GitProvider = (typeof gitProviders)[number];

const providerHosts: Record<string, GitProvider> = {
  'github.com': 'GITHUB',
  'www.github.com': 'GITHUB',
  'gitlab.com': 'GITLAB',
  'www.gitlab.com': 'GITLAB',
  'bitbucket.org': 'BITBUCKET',
  'www.bitbucket.org': 'BITBUCKET',
};

/** The provider of a normalised repository URL; null for other hosts (self-hosted servers). */
export function gitProviderOf(url: string | null): GitProvider | null {
  if (!url) return null;
  try {
    return providerHosts[new URL(url).hostname.toLowerCase()] ?? null;
  } catch {
    return null;
  }
}
