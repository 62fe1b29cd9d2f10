// How the REST dialect (spec 003) says the names the core's messages use: camelCase as its
// requests name them, `handle` for the slug, and its own calls for the next step.
import type { CoreField, Hint, Words } from '../../domain/wording.js';

/** Written out, so a new core field does not compile until this dialect names it. */
const fields: Record<CoreField, string> = {
  name: 'name',
  slug: 'handle',
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
  env: 'config.env',
  uploadId: 'uploadId',
  template: 'template',
  limit: 'limit',
  sourceType: 'sourceType',
  after: 'after',
  before: 'before',
  defaultVersionId: 'defaultVersionId',
  nodeVersion: 'config.nodeVersion',
};

const hints: Record<Hint, string> = {
  deployAnUpload: 'write files into the app version and build it',
  setGitRepository: 'write files into the app version and build it',
};

export const restWords: Words = { field: (name) => fields[name], source: (source) => source.toLowerCase(), hint: (name) => hints[name] };
