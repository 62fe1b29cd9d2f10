// What a revision runs: a content-addressed tree that Berth built and checks out on this machine,
// or a container image pinned by digest (`registry/repo@sha256:…`), which any engine can pull
// (with the workspace's registry credential its deploy named, looked up by name at each pull).

export const artifactKinds = ['tree', 'image'] as const;
export type ArtifactKind = (typeof artifactKinds)[number];

export type Artifact =
  /** `digest` names the stored tree (`sha256:…`); `dir` is this revision's checked-out copy. */
  | { kind: 'tree'; digest: string; dir: string }
  /**
   * `registryAuthRef` names the registry credential (of the app's workspace) that the image is
   * pulled with; absent or null: anonymous. A name, not a password: the password is read at each
   * pull, so a rotated one is used and a deleted one says so.
   */
  | { kind: 'image'; ref: string; registryAuthRef?: string | null };

const pinned = /^[^\s@]+@sha256:[0-9a-f]{64}$/;

/** An image reference that names its bytes (`repo@sha256:…`), not a tag that may move. */
export const isPinnedImageRef = (ref: string): boolean => pinned.test(ref);
