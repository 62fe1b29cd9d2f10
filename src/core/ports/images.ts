// What image deploys need from a container engine: pull an image by reference, or build one from a
// Dockerfile, and pin it to its digest, so the revision (and any rollback to it) runs exactly those bytes.
import type { BuildLog } from './builds.js';

export interface RegistryLogin {
  registry: string;
  username: string;
  password: string;
}

/**
 * The login an instance's image pull uses: the credential its revision names, by name in the
 * app's workspace, read at pull time (so a rotated password applies). Throws, saying so, when
 * the workspace no longer has it. Given to the runtime driver by the composition root.
 */
export type PullLogins = (input: { appId: string; registryAuthRef: string }) => Promise<RegistryLogin>;

export interface PinnedImage {
  /** `registry/repo@sha256:…`. */
  pinned: string;
  /** The first port the image EXPOSEs, or null. */
  exposedPort: number | null;
}

export interface DockerfileBuild {
  appId: string;
  deploymentId: string;
  /** The fetched source tree: the build context. */
  contextDir: string;
  /** Relative to the context. */
  dockerfilePath: string;
  /** The app's env vars, as build args. */
  buildArgs: Readonly<Record<string, string>>;
  limits: { memoryMi: number; cpuMillicores: number };
  log: BuildLog;
  signal: AbortSignal;
}

/** Gets images Berth did not build: IMAGE sources. */
export interface ImagePuller {
  /** Pulls `ref` (a tag may have moved since the last pull) and pins it; throws DomainError('invalid') with the engine's reason. */
  pin(input: { ref: string; login: RegistryLogin | null; log: BuildLog; signal: AbortSignal }): Promise<PinnedImage>;
}

/** The image builder, one of the two builder drivers (the other builds trees: ports/builds.ts TreeBuilder). */
export interface ImageBuilder {
  /**
   * Builds the context with its Dockerfile through the engine (its layer cache reused between
   * builds), the log streamed line by line; pushed to BERTH_REGISTRY when set (pinned by the
   * registry's digest), else kept in the engine under a tag Berth never moves.
   */
  build(input: DockerfileBuild): Promise<PinnedImage>;
}

/** What the core's `images` is: a container engine's pulls and builds (null without an engine). */
export type ContainerImages = ImagePuller & ImageBuilder;
