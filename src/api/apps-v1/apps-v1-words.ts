// How the Apps API (spec 002) says the names the core's messages use: snake_case fields as its
// requests name them, lowercase sources, and its own calls for the next step.
import type { CoreField, Hint, Words } from '../../domain/wording.js';
import { sourceTypeWords } from '../dialect-words.js';

/** Written out, so a new core field does not compile until this dialect names it. */
export const appsV1Fields: Record<CoreField, string> = {
  name: 'name',
  slug: 'slug',
  description: 'description',
  type: 'type',
  gitRepoUrl: 'repo_url',
  gitBranch: 'repo_branch',
  gitCommitSha: 'commit_sha',
  imageRef: 'image_url',
  dockerfilePath: 'dockerfile_path',
  releaseCommand: 'release_command',
  buildCommand: 'build_command',
  port: 'port',
  replicas: 'replicas',
  minReplicas: 'min_replicas',
  maxReplicas: 'max_replicas',
  cpuLimitMillicores: 'cpu_millicores',
  memoryLimitMi: 'memory_mib',
  diskLimitMi: 'disk_mib',
  cpuTargetUtilization: 'cpu_target_utilization',
  schedule: 'schedule',
  readinessPath: 'readiness_path',
  env: 'env',
  uploadId: 'tarball',
  template: 'template',
  limit: 'lines',
  sourceType: 'source_type',
  after: 'after',
  before: 'before',
  defaultVersionId: 'default_version_id',
  nodeVersion: 'node_version',
};

const hints: Record<Hint, string> = {
  deployAnUpload: 'upload a tarball to POST /api/v1/apps/{id}/build',
  setGitRepository: 'set repo_url to deploy from git',
};

export const appsV1Words: Words = {
  field: (name) => appsV1Fields[name],
  source: (source) => sourceTypeWords.appsV1[source],
  hint: (name) => hints[name],
};
