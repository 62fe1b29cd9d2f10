// Images on the engine: pulled by reference when missing (with a registry credential when one
// is known for the registry), and a tag resolved to the digest it names now, so a revision pins
// the bytes it runs and a rollback runs them again.
import type Docker from 'dockerode';
import { followProgress } from './engine-progress.js';

export interface RegistryAuth {
  username: string;
  password: string;
  serveraddress: string;
}

/** The credential to pull with, or null (anonymous); asked only when the engine lacks the image. */
export type RegistryAuthLookup = () => Promise<RegistryAuth | null>;

/** The registry part of a reference (`docker.io` when it names none). */
export function registryOf(ref: string): string {
  const first = ref.split('/')[0] ?? '';
  return ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

/** `repo:tag` / `repo@sha256:…` without the tag or digest. */
export function repositoryOf(ref: string): string {
  const noDigest = ref.split('@')[0] ?? ref;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

async function present(docker: Docker, ref: string): Promise<Docker.ImageInspectInfo | null> {
  try {
    return await docker.getImage(ref).inspect();
  } catch {
    return null;
  }
}

export async function pullImage(docker: Docker, ref: string, auth: RegistryAuth | null): Promise<void> {
  const stream = (await docker.pull(ref, auth ? { authconfig: auth } : {})) as NodeJS.ReadableStream;
  await followProgress(docker, stream);
}

/** Pulls `ref` unless the engine has it; true when it pulled. */
export async function ensureImage(docker: Docker, ref: string, lookup?: RegistryAuthLookup): Promise<boolean> {
  if (await present(docker, ref)) return false;
  await pullImage(docker, ref, (await lookup?.()) ?? null);
  return true;
}

export interface ResolvedImage {
  /** `repo@sha256:…`: the bytes the tag named when resolved. */
  pinned: string;
  /** The first port the image EXPOSEs, or null. */
  exposedPort: number | null;
  /** The image's own command (entrypoint + cmd). */
  command: string[];
}

/** Pulls `ref` (always: a tag may have moved) and pins it to the digest the registry gave. */
export async function resolveImage(docker: Docker, ref: string, auth: RegistryAuth | null): Promise<ResolvedImage> {
  if (/@sha256:[0-9a-f]{64}$/.test(ref)) await ensureImage(docker, ref, async () => auth);
  else await pullImage(docker, ref, auth);
  const info = await docker.getImage(ref).inspect();
  const repository = repositoryOf(ref);
  const digest = (info.RepoDigests ?? []).find((d) => d.startsWith(`${repository}@`)) ?? info.RepoDigests?.[0];
  if (!digest) throw new Error(`the engine knows no registry digest for ${ref}`);
  const exposed = Object.keys(info.Config.ExposedPorts ?? {})
    .map((p) => Number(p.split('/')[0]))
    .filter((p) => Number.isInteger(p) && p > 0)
    .sort((a, b) => a - b);
  return { pinned: digest, exposedPort: exposed[0] ?? null, command: [...(info.Config.Entrypoint ?? []), ...(info.Config.Cmd ?? [])] };
}
