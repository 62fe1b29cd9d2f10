// How the Dooor dialect (specs 000, 001, 004) says the names the core's messages use. The core's
// own names were chosen from this dialect, so most fields read as they are; the hints name this
// dialect's own calls.
import type { CoreField, Hint, Words } from '../../domain/wording.js';

/** Written out, so a new core field does not compile until this dialect names it. */
const fields: Record<CoreField, string> = {
  name: 'name',
  slug: 'slug',
  description: 'description',
  type: 'type',
  gitRepoUrl: 'gitRepoUrl',
  gitBranch: 'gitBranch',
  gitCommitSha: 'gitCommitSha',
  imageRef: 'imageRef',
  dockerfilePath: 'dockerfilePath',
  releaseCommand: 'releaseCommand',
  buildCommand: 'buildCommand',
  port: 'port',
  replicas: 'replicas',
  minReplicas: 'minReplicas',
  maxReplicas: 'maxReplicas',
  cpuLimitMillicores: 'cpuLimitMillicores',
  memoryLimitMi: 'memoryLimitMi',
  diskLimitMi: 'diskLimitMi',
  cpuTargetUtilization: 'cpuTargetUtilization',
  schedule: 'schedule',
  readinessPath: 'readinessPath',
  env: 'env',
  uploadId: 'source.uploadId',
  template: 'template',
  limit: 'limit',
  sourceType: 'type',
  after: 'after',
  before: 'before',
  defaultVersionId: 'defaultVersionId',
  nodeVersion: 'nodeVersion',
};

const hints: Record<Hint, string> = {
  deployAnUpload: 'deploy an upload with source { type: "UPLOAD", uploadId }',
  setGitRepository: 'set gitRepoUrl to deploy from git',
};

export const dooorWords: Words = { field: (name) => fields[name], source: (source) => source, hint: (name) => hints[name] };
