// Fetches a deployment's source into its scratch space: a git clone (URL checked against the
// private-network policy first), an upload extracted with size and count limits, or a snapshot's
// files written out. IMAGE sources are not trees: the container engine pulls them.
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Builder, FetchedSource } from '../../core/ports/builds.js';
import { prunedUploadMessage } from '../../domain/upload-retention.js';
import { gitFetch, SourceError } from '../sources/git-fetch.js';
import { safeExtract } from '../sources/safe-extract.js';
import { writeSnapshot } from '../sources/snapshot-files.js';
import { uploadFile } from '../sources/upload-files.js';
import { checkGitUrl } from '../sources/url-policy.js';
import { fallbackDockerfile } from './detect-plan.js';
import { treeProbe } from './tree-probe.js';
import { exists } from './tree-store.js';

export interface FetchOptions {
  /** The deployment's scratch space (emptied first). */
  workDir: string;
  uploadsDir: string;
  allowPrivateNetworks: boolean;
  timeoutMs: number;
  maxExtractedBytes: number;
  maxExtractedFiles: number;
}

/** A tarball of one top-level folder holds the project inside it. */
async function projectRoot(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  const only = entries[0];
  return entries.length === 1 && only?.isDirectory() ? path.join(dir, only.name) : dir;
}

/** The fetched tree, with the Dockerfile to build it by when no plan of Berth's fits it. */
export async function fetchSource(options: FetchOptions, input: Parameters<Builder['fetch']>[0]): Promise<FetchedSource> {
  const fetched = await fetchTree(options, input);
  return { ...fetched, dockerfile: await fallbackDockerfile(treeProbe(fetched.dir)) };
}

async function fetchTree(options: FetchOptions, input: Parameters<Builder['fetch']>[0]): Promise<FetchedSource> {
  const work = options.workDir;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true, mode: 0o700 });
  const dir = path.join(work, 'src');
  if (input.source.type === 'GIT') {
    const checked = await checkGitUrl(input.source.url, { allowPrivateNetworks: options.allowPrivateNetworks });
    const commit = await gitFetch({
      checked,
      branch: input.source.branch,
      commitSha: input.source.commitSha,
      dir,
      log: input.log,
      signal: input.signal,
      timeoutMs: options.timeoutMs,
    });
    return { dir, gitCommitSha: commit.sha, gitCommitMessage: commit.message };
  }
  if (input.source.type === 'IMAGE') throw new Error('IMAGE sources are pulled by the container engine, not fetched');
  await mkdir(dir, { mode: 0o700 });
  input.log.line(`[source] extracting upload ${input.source.uploadId}`);
  const tarball = uploadFile(options.uploadsDir, input.source.uploadId);
  // Deploys refuse a pruned upload, so this is a tarball removed by hand: say so, never the path.
  if (!(await exists(tarball))) throw new SourceError(prunedUploadMessage(input.source.uploadId));
  const extracted = await safeExtract(tarball, dir, {
    maxBytes: options.maxExtractedBytes,
    maxFiles: options.maxExtractedFiles,
  });
  input.log.line(`[source] ${extracted.files} entries, ${extracted.bytes} bytes`);
  return { dir: await projectRoot(dir), gitCommitSha: null, gitCommitMessage: null };
}

/** Writes a snapshot's files (an app version's) into fresh scratch space, as fetchSource does a source. */
export async function materializeSnapshot(workDir: string, input: Parameters<Builder['materialize']>[0]): Promise<FetchedSource> {
  await rm(workDir, { recursive: true, force: true });
  const dir = path.join(workDir, 'src');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const written = await writeSnapshot(dir, input.files);
  input.log.line(`[source] ${written.files} files, ${written.bytes} bytes`);
  return { dir, gitCommitSha: null, gitCommitMessage: null };
}
