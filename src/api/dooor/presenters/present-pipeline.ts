// The pipeline-state answer (spec 000): the core decides each stage; this only words it.
import type { PipelineState } from '../../../core/apps/pipeline-state.js';
import { appStatusWords, deploymentStatusWords, sourceTypeWords } from '../../dialect-words.js';

const durationSeconds = (start: Date | null, end: Date | null): number | null =>
  start && end ? Math.round((end.getTime() - start.getTime()) / 1000) : null;

function presentBuild(build: PipelineState['build']) {
  if (build.status === 'no_data') return { status: build.status, buildpack: null, imageTag: null, durationSeconds: null, message: build.message };
  const d = build.deployment;
  const ran = build.status === 'succeeded';
  return {
    status: build.status,
    buildpack: d.buildpack,
    imageTag: ran || build.status === 'skipped' ? d.imageRef : null,
    durationSeconds: ran ? durationSeconds(d.startedAt, d.builtAt ?? d.finishedAt) : null,
    ...(build.message ? { message: build.message } : {}),
  };
}

export function presentPipeline(state: PipelineState) {
  const { app, latest } = state;
  const repo = app.gitRepoUrl ? app.gitRepoUrl.replace(/^https?:\/\//, '') : null;
  const source = {
    status: state.source.status,
    type: sourceTypeWords.dooor[app.sourceType],
    gitRepo: app.sourceType === 'GIT' ? repo : null,
    branch: app.sourceType === 'GIT' ? app.gitBranch : null,
    lastCommitSha: latest?.gitCommitSha ?? null,
    lastCommitMessage: latest?.gitCommitMessage ?? null,
    ...(app.sourceType === 'IMAGE' ? { imageRef: app.imageRef } : {}),
    ...(state.source.message ? { message: state.source.message } : {}),
  };
  const deploy =
    state.deploy.status === 'no_data'
      ? { status: 'no_data', deployedAt: null, revisionName: null, message: 'No deployment yet' }
      : { status: deploymentStatusWords.dooor[state.deploy.status], deployedAt: state.deploy.deployedAt?.toISOString() ?? null, revisionName: state.deploy.revisionName };
  // Berth evaluates no Harbor guards: with a project configured, Harbor is active and unguarded.
  const harbor = state.harbor.configured
    ? { status: 'active', project: state.harbor.project, guardsEnabled: false, lastEvalAt: null }
    : { status: 'inactive', guardsEnabled: false, lastEvalAt: null };
  const r = state.runtime;
  const runtime = {
    status: r.status,
    readyReplicas: r.summary.readyReplicas,
    totalReplicas: r.summary.totalReplicas,
    desiredReplicas: r.summary.desiredReplicas,
    warmInstances: r.summary.warmInstances,
    stoppingInstances: r.summary.stoppingInstances,
    cpuUsageMillicores: r.summary.cpuUsageMillicores,
    memoryUsageMi: r.summary.memoryUsageMi,
    ...('message' in r ? { message: r.message } : {}),
  };
  return { source, build: presentBuild(state.build), deploy, harbor, runtime, overallStatus: appStatusWords.dooor[app.status] };
}
