// Revisions: immutable artifact + config + env snapshot, and the traffic they receive.
import type { Artifact, ArtifactKind } from './artifact.js';

export const revisionStatuses = ['pending', 'ready', 'failed'] as const;
export type RevisionStatus = (typeof revisionStatuses)[number];

export interface RevisionConfig {
  /** argv run in the artifact directory. */
  command: string[];
  /** false for workers and cron jobs. */
  listens: boolean;
  readinessPath: string;
  readinessType: 'http' | 'tcp';
  cpuLimitMillicores: number;
  memoryLimitMi: number;
  /** Where an image says it listens (its first EXPOSE); absent for trees. */
  exposedPort?: number | null;
  /** The registry credential (by name) an image revision's deploy pulled with; its instances pull with it too. Absent: anonymous. */
  registryAuthRef?: string | null;
}

/** Where a revision's code came from, so deployments that reuse its artifact can say so. */
export interface RevisionProvenance {
  gitBranch: string | null;
  gitCommitSha: string | null;
  gitCommitMessage: string | null;
  buildpack: string | null;
}

export interface Revision {
  id: string;
  appId: string;
  name: string;
  sequence: number;
  /** Content address of the artifact: a tree's `sha256:…`, or an image's `registry/repo@sha256:…`. */
  imageRef: string;
  /** Directory tree the instances run in ('' for images). */
  artifactDir: string;
  /** Which of the two the revision runs. */
  artifactKind: ArtifactKind;
  config: RevisionConfig;
  /** Plain env snapshot (sealed in the store). */
  env: Record<string, string>;
  status: RevisionStatus;
  /** Why the revision failed, when it did. */
  statusMessage: string | null;
  createdAt: Date;
  /** Last time this revision held traffic; recent ones are kept warm for instant rollback. */
  lastServedAt: Date | null;
  /** Null on revisions stored before provenance was recorded. */
  provenance: RevisionProvenance | null;
}

/** A revision serves when it holds a share of traffic; tagged 0 % and warm revisions do not. */
export const isServing = (split: Pick<TrafficSplit, 'percent'>): boolean => split.percent > 0;

export interface TrafficSplit {
  revisionId: string;
  revisionName: string;
  percent: number;
  tag: string | null;
}

/**
 * All traffic to a deploy's new revision (a rollback's too): the other revisions' tags stay, at
 * 0 %, so their tagged URLs keep answering, as Cloud Run keeps tags across deploys. A promote
 * and an explicit split replace the whole split, tags included (spec 001: "removing all other splits").
 */
export function allTrafficTo(revision: { id: string; name: string }, previous: readonly TrafficSplit[]): TrafficSplit[] {
  const ownTag = previous.find((s) => s.revisionId === revision.id)?.tag ?? null;
  const tagged = previous.filter((s) => s.tag !== null && s.revisionId !== revision.id).map((s) => ({ ...s, percent: 0 }));
  return [{ revisionId: revision.id, revisionName: revision.name, percent: 100, tag: ownTag }, ...tagged];
}

/** What the revision's instances run, as the runtime port takes it. */
export function revisionArtifact(revision: Pick<Revision, 'imageRef' | 'artifactDir' | 'artifactKind' | 'config'>): Artifact {
  return revision.artifactKind === 'image'
    ? { kind: 'image', ref: revision.imageRef, ...(revision.config.registryAuthRef ? { registryAuthRef: revision.config.registryAuthRef } : {}) }
    : { kind: 'tree', digest: revision.imageRef, dir: revision.artifactDir };
}
