// What IMAGE deploys need from a container engine: pull an image by reference and pin it to the
// digest the registry gave, so the revision (and any rollback to it) runs exactly those bytes.
import type { BuildLog } from './builds.js';

export interface RegistryLogin {
  registry: string;
  username: string;
  password: string;
}

export interface PinnedImage {
  /** `registry/repo@sha256:…`. */
  pinned: string;
  /** The first port the image EXPOSEs, or null. */
  exposedPort: number | null;
}

export interface ContainerImages {
  /** Pulls `ref` (a tag may have moved since the last pull) and pins it; throws DomainError('invalid') with the engine's reason. */
  pin(input: { ref: string; login: RegistryLogin | null; log: BuildLog; signal: AbortSignal }): Promise<PinnedImage>;
}
