// What a revision runs: a content-addressed tree that Berth built and checks out on this machine,
// or a container image pinned by digest (`registry/repo@sha256:…`), which any engine can pull.

export const artifactKinds = ['tree', 'image'] as const;
export type ArtifactKind = (typeof artifactKinds)[number];

export type Artifact =
  /** `digest` names the stored tree (`sha256:…`); `dir` is this revision's checked-out copy. */
  | { kind: 'tree'; digest: string; dir: string }
  | { kind: 'image'; ref: string };

const pinned = /^[^\s@]+@sha256:[0-9a-f]{64}$/;

/** An image reference that names its bytes (`repo@sha256:…`), not a tag that may move. */
export const isPinnedImageRef = (ref: string): boolean => pinned.test(ref);
