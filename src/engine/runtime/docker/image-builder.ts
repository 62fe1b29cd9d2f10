// Dockerfile builds through the engine: the fetched tree is the context, the app's env vars are
// build args, the build gets the build steps' limits, and every line the engine prints goes into
// the deployment's log. The image is tagged per deployment (a tag Berth never moves), pushed to
// BERTH_REGISTRY when one is set and then pinned by the registry's digest.
import { normalize } from 'node:path';
import type Docker from 'dockerode';
import type { DockerfileBuild, PinnedImage } from '../../../core/ports/images.js';
import { DomainError } from '../../../domain/errors.js';
import { signalGroup, spawnChild } from '../../spawn.js';
import { followProgress, type ProgressMessage } from './engine-progress.js';

/** The Dockerfile's path inside the context, or a 4xx-worthy reason. */
export function contextPath(dockerfilePath: string): string {
  const relative = normalize(dockerfilePath.trim()).replace(/^\.\//, '');
  if (relative === '' || relative.startsWith('..') || relative.startsWith('/')) {
    throw new DomainError('invalid', `dockerfilePath must be a path inside the repository, got ${JSON.stringify(dockerfilePath)}`);
  }
  return relative;
}

/** The image's name for one deployment: `{registry}/berth-{appId}:{deploymentId}` or local `berth/{appId}:{deploymentId}`. */
export function builtImageName(registry: string | null, appId: string, deploymentId: string): { repo: string; tag: string } {
  const tag = deploymentId.toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
  const app = appId.toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
  return registry ? { repo: `${registry}/berth-${app}`, tag } : { repo: `berth/${app}`, tag };
}

function engineLines(log: DockerfileBuild['log']): (message: ProgressMessage) => void {
  return (message) => {
    const text = message.stream ?? (message.status ? `${message.status}${(message as { id?: string }).id ? ` ${(message as { id?: string }).id}` : ''}` : message.error);
    if (!text) return;
    for (const line of text.split('\n')) if (line.trim() !== '') log.line(`[docker] ${line.trimEnd()}`);
  };
}

export async function buildWithEngine(docker: Docker, registry: string | null, input: DockerfileBuild): Promise<PinnedImage> {
  const dockerfile = contextPath(input.dockerfilePath);
  const { repo, tag } = builtImageName(registry, input.appId, input.deploymentId);
  input.log.line(`[docker] building ${dockerfile} as ${repo}:${tag}`);
  const tar = spawnChild(['tar', '-C', input.contextDir, '--exclude=./.git', '-c', '.'], { env: { PATH: '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'ignore'] });
  const onAbort = () => signalGroup(tar, 'SIGKILL');
  input.signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (!tar.stdout) throw new Error('tar gave no output');
    const cpuPeriod = 100_000;
    const stream = await docker.buildImage(tar.stdout, {
      t: `${repo}:${tag}`,
      dockerfile,
      buildargs: { ...input.buildArgs },
      rm: true,
      forcerm: true,
      ...(input.limits.memoryMi > 0 ? { memory: input.limits.memoryMi * 1024 * 1024, memswap: input.limits.memoryMi * 1024 * 1024 } : {}),
      ...(input.limits.cpuMillicores > 0 ? { cpuperiod: cpuPeriod, cpuquota: Math.round((input.limits.cpuMillicores / 1000) * cpuPeriod) } : {}),
      labels: { 'berth.app': input.appId, 'berth.deployment': input.deploymentId },
    });
    await followProgress(docker, stream, engineLines(input.log)).catch((error: unknown) => {
      throw new DomainError('invalid', `the Dockerfile build failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  } finally {
    input.signal.removeEventListener('abort', onAbort);
  }
  if (!registry) return { pinned: `${repo}:${tag}`, exposedPort: await exposedPort(docker, `${repo}:${tag}`) };
  input.log.line(`[docker] pushing ${repo}:${tag}`);
  const pushed = await followProgress(docker, await docker.getImage(`${repo}:${tag}`).push({ tag }), engineLines(input.log));
  const digest = pushed.map((m) => m.aux?.Digest).find((d): d is string => typeof d === 'string');
  if (!digest) throw new DomainError('invalid', `the registry gave no digest for ${repo}:${tag}`);
  return { pinned: `${repo}@${digest}`, exposedPort: await exposedPort(docker, `${repo}:${tag}`) };
}

async function exposedPort(docker: Docker, ref: string): Promise<number | null> {
  const info = await docker.getImage(ref).inspect();
  const ports = Object.keys(info.Config.ExposedPorts ?? {}).map((p) => Number(p.split('/')[0])).filter((p) => Number.isInteger(p) && p > 0);
  return ports.sort((a, b) => a - b)[0] ?? null;
}
