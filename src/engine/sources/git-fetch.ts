// Clones one branch or one commit, shallow where the server allows (in full where it cannot), with
// git's own protocol allow-list (no file://, ext:: or submodules), no credential prompts and no
// HTTP redirects (a redirect could lead anywhere, the platform's own network included). The .git
// directory is moved out of the tree afterwards (to `<dir>.git-history`, inside the caller's
// scratch space): an artifact holds the tree, not the history.
import { rename, rm } from 'node:fs/promises';
import net from 'node:net';
import type { BuildLog } from '../../core/ports/builds.js';
import { DomainError } from '../../domain/errors.js';
import { runCommand } from '../spawn.js';
import type { CheckedUrl } from './url-policy.js';

export interface GitFetchInput {
  checked: CheckedUrl;
  branch: string;
  commitSha: string | null;
  dir: string;
  log: BuildLog;
  signal: AbortSignal;
  timeoutMs: number;
  gitPath?: string;
}

/** A source that cannot be used, said in words the user can act on. */
export class SourceError extends DomainError {
  constructor(message: string) {
    super('invalid', message);
  }
}

function gitEnv(): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: '/nonexistent',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ASKPASS: '/bin/false',
    LANG: 'C',
  };
}

function configArgs(checked: CheckedUrl): string[] {
  const schemes = checked.url.protocol === 'http:' ? ['https', 'http'] : ['https'];
  const args = ['-c', 'protocol.allow=never', ...schemes.flatMap((s) => ['-c', `protocol.${s}.allow=always`]), '-c', 'http.followRedirects=false', '-c', 'core.symlinks=true', '-c', 'advice.detachedHead=false'];
  // A literal address is connected to as it is: pinning it is pointless (and curl cannot parse an IPv6 one).
  const literal = net.isIP(checked.url.hostname.replace(/^\[|\]$/g, '')) !== 0;
  if (checked.pinnedAddress && !literal) {
    const port = checked.url.port || (checked.url.protocol === 'https:' ? '443' : '80');
    args.push('-c', `http.curloptResolve=${checked.url.hostname}:${port}:${checked.pinnedAddress}`);
  }
  return args;
}

/**
 * Servers that cannot serve a shallow history say so: git's dumb HTTP transport ("dumb http
 * transport does not support shallow capabilities") and old smart servers ("Server does not
 * support shallow clients"). A full fetch works with both.
 */
const refusesShallow = (stderr: string) => /does not support shallow/i.test(stderr);

export async function gitFetch(input: GitFetchInput): Promise<{ sha: string; message: string }> {
  const git = input.gitPath ?? '/usr/bin/git';
  const base = configArgs(input.checked);
  const run = async (args: string[], cwd?: string) => {
    const result = await runCommand([git, ...base, ...args], { env: gitEnv(), cwd, timeoutMs: input.timeoutMs, signal: input.signal, maxOutputBytes: 256 * 1024 });
    if (result.aborted) throw new SourceError('cancelled');
    return result;
  };
  const fail = (what: string, stderr: string): never => {
    for (const line of stderr.trim().split('\n').slice(-5)) if (line) input.log.line(line);
    throw new SourceError(`${what}: ${stderr.trim().split('\n').pop() ?? 'git failed'}`);
  };
  const url = input.checked.url.toString();
  if (input.commitSha) {
    input.log.line(`[source] fetching commit ${input.commitSha} of ${url}`);
    const init = await run(['init', '-q', input.dir]);
    if (init.exitCode !== 0) fail('git init failed', init.stderr);
    await run(['remote', 'add', 'origin', url], input.dir);
    const shallow = input.commitSha.length === 40 ? await run(['fetch', '-q', '--depth', '1', 'origin', input.commitSha], input.dir) : null;
    if (shallow?.exitCode === 0) {
      const co = await run(['checkout', '-q', 'FETCH_HEAD'], input.dir);
      if (co.exitCode !== 0) fail('checkout failed', co.stderr);
    } else {
      // An abbreviated sha, a server that refuses a bare sha or cannot serve a shallow history:
      // fetch everything and look it up.
      if (shallow && refusesShallow(shallow.stderr)) input.log.line('[source] the server cannot serve a shallow history (a dumb HTTP server): fetching every branch in full');
      const all = await run(['fetch', '-q', 'origin', '+refs/heads/*:refs/remotes/origin/*'], input.dir);
      if (all.exitCode !== 0) fail(`could not fetch ${url}`, all.stderr);
      const co = await run(['checkout', '-q', input.commitSha], input.dir);
      if (co.exitCode !== 0) fail(`commit ${input.commitSha} was not found in ${url}`, co.stderr);
    }
  } else {
    input.log.line(`[source] cloning branch ${input.branch} of ${url}`);
    const branchArgs = ['--single-branch', '--no-tags', '--branch', input.branch, '--', url, input.dir];
    let clone = await run(['clone', '-q', '--depth', '1', ...branchArgs]);
    if (clone.exitCode !== 0 && refusesShallow(clone.stderr)) {
      input.log.line('[source] the server cannot serve a shallow clone (a dumb HTTP server): cloning the branch with its full history');
      await rm(input.dir, { recursive: true, force: true });
      clone = await run(['clone', '-q', ...branchArgs]);
    }
    if (clone.exitCode !== 0) fail(`could not clone branch ${input.branch} of ${url}`, clone.stderr);
  }
  const show = await run(['log', '-1', '--format=%H%n%B'], input.dir);
  if (show.exitCode !== 0) fail('could not read the commit', show.stderr);
  const [sha = '', ...rest] = show.stdout.split('\n');
  const message = rest.join('\n').trim().split('\n')[0] ?? '';
  // Out of the tree at once; removed with the caller's scratch space, off the deploy's path.
  await rename(`${input.dir}/.git`, `${input.dir}.git-history`);
  input.log.line(`[source] commit ${sha.slice(0, 12)} ${message}`);
  return { sha, message };
}
