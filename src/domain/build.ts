// Builds: where a deployment's code comes from, and the limits that keep sources honest.
import { field, say } from './wording.js';
import type { Phrase } from './wording.js';

export type BuildSource =
  | { type: 'GIT'; url: string; branch: string; commitSha: string | null }
  | { type: 'UPLOAD'; uploadId: string }
  /** Pulled, not built: `registryAuthRef` names a registry credential of the workspace. */
  | { type: 'IMAGE'; imageRef: string; registryAuthRef: string | null };

export const buildJobStates = ['queued', 'running', 'done'] as const;
export type BuildJobState = (typeof buildJobStates)[number];

export interface BuildJob {
  deploymentId: string;
  appId: string;
  source: BuildSource;
  state: BuildJobState;
  createdAt: Date;
}

export interface BuildLogLine {
  seq: number;
  at: Date;
  line: string;
}

export const uploadStatuses = ['pending', 'uploaded', 'complete'] as const;
export type UploadStatus = (typeof uploadStatuses)[number];

export interface Upload {
  id: string;
  appId: string;
  workspaceId: string;
  /** sha256 of the PUT URL's token: the URL authorizes this one upload. */
  tokenHash: string;
  declaredSize: number;
  declaredSha256: string | null;
  status: UploadStatus;
  sizeBytes: number | null;
  sha256: string | null;
  expiresAt: Date;
  createdAt: Date;
}

/** A full or abbreviated commit id. */
export function commitShaProblem(sha: string): Phrase | null {
  return /^[0-9a-f]{4,64}$/i.test(sha) ? null : say`${field('gitCommitSha')} must be 4 to 64 hexadecimal characters`;
}

export function branchProblem(branch: string): Phrase | null {
  return /^[A-Za-z0-9._/-]{1,255}$/.test(branch) && !branch.includes('..') && !branch.startsWith('-')
    ? null
    : say`${field('gitBranch')} must be a valid branch name`;
}

/** Artifacts are content-addressed: `sha256:<64 hex>`. */
export function artifactImageRef(hex: string): string {
  return `sha256:${hex}`;
}

export function artifactHex(imageRef: string): string | null {
  const match = /^sha256:([0-9a-f]{64})$/.exec(imageRef);
  return match?.[1] ?? null;
}
