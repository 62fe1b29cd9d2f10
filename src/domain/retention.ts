// Which build output Berth keeps (BERTH_KEEP_REVISIONS): a pure choice over what the store and
// the reconciler say, so the builder deletes only what this leaves out. Artifacts are
// content-addressed, so one is kept as soon as any kept revision or build refers to it.

export interface RetainedRevision {
  id: string;
  name: string;
  imageRef: string;
  /** The revision's own tree ('' for an image). */
  artifactDir: string;
}

export interface AppRetention {
  /** Newest first. */
  revisions: readonly RetainedRevision[];
  /** Revisions in the app's traffic table: any percent, tagged ones too. */
  inTraffic: ReadonlySet<string>;
  /** Revisions with instances running, starting or kept warm. */
  running: ReadonlySet<string>;
  /** Revisions whose instances are draining: they still run from their tree, but need no artifact. */
  stopping: ReadonlySet<string>;
  /** Deployments that have not ended: the revision they create and the artifact they roll out. */
  inFlight: readonly { revisionName: string | null; imageRef: string | null }[];
}

export interface RetentionInput {
  apps: readonly AppRetention[];
  /** Artifacts of each app's newest successful builds (spec 003), already cut to the limit. */
  buildImageRefs: Iterable<string>;
  /** BERTH_KEEP_REVISIONS: the newest revisions of each app that keep their artifacts. */
  keepRevisions: number;
}

export interface KeptTrees {
  imageRefs: Set<string>;
  revisionDirs: Set<string>;
}

export function keptTrees(input: RetentionInput): KeptTrees {
  const kept: KeptTrees = { imageRefs: new Set(input.buildImageRefs), revisionDirs: new Set() };
  for (const app of input.apps) {
    const inFlightRevisions = new Set(app.inFlight.map((d) => d.revisionName));
    for (const d of app.inFlight) if (d.imageRef) kept.imageRefs.add(d.imageRef);
    app.revisions.forEach((revision, index) => {
      const keep = index < input.keepRevisions || app.inTraffic.has(revision.id) || app.running.has(revision.id) || inFlightRevisions.has(revision.name);
      if (keep) kept.imageRefs.add(revision.imageRef);
      if ((keep || app.stopping.has(revision.id)) && revision.artifactDir !== '') kept.revisionDirs.add(revision.artifactDir);
    });
  }
  return kept;
}

/** What deploying (or routing to) pruned build output answers, naming the setting that decides. */
export function prunedArtifactMessage(label: string, imageRef: string): string {
  return `The artifact ${imageRef} of ${label} was pruned: Berth keeps the artifacts of each app's newest BERTH_KEEP_REVISIONS revisions and of those that hold traffic or run; deploy from source again`;
}

export interface AppPruneInput extends RetentionInput {
  /** The output of the app being pruned (its revisions' and builds' artifacts, its revisions' trees). */
  own: { imageRefs: Iterable<string>; revisionDirs: Iterable<string> };
}

/**
 * What one app's prune removes: its own output that no app keeps. `apps` holds the app (when it
 * is live) and every live app sharing one of its artifacts, so the answer is the one a prune of
 * every app would give for these artifacts.
 */
export function prunableOfApp(input: AppPruneInput): KeptTrees {
  const kept = keptTrees(input);
  return {
    imageRefs: new Set([...input.own.imageRefs].filter((ref) => ref !== '' && !kept.imageRefs.has(ref))),
    revisionDirs: new Set([...input.own.revisionDirs].filter((dir) => dir !== '' && !kept.revisionDirs.has(dir))),
  };
}
