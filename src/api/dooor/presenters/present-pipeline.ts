// The pipeline-state answer (spec 000). Stages Berth has no data for say so (`no_data`)
// with null figures, instead of inventing values.
import type { PipelineState } from '../../../core/apps/pipeline-state.js';
import type { Deployment } from '../../../domain/deployment.js';

const durationSeconds = (start: Date | null, end: Date | null): number | null =>
  start && end ? Math.round((end.getTime() - start.getTime()) / 1000) : null;

function buildStatus(deployment: Deployment): string {
  switch (deployment.status) {
    case 'queued':
    case 'building':
    case 'cancelled':
      return deployment.status;
    case 'deploying':
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      // A deployment that failed after its build produced an artifact still had a good build.
      return deployment.imageRef ? 'succeeded' : 'failed';
  }
}

export function presentPipeline(state: PipelineState) {
  const { app, latest, lastSucceeded } = state;
  const repo = app.gitRepoUrl ? app.gitRepoUrl.replace(/^https:\/\//, '') : null;
  const source =
    app.sourceType === 'GIT'
      ? {
          status: repo ? 'ok' : 'not_configured',
          type: app.sourceType,
          gitRepo: repo,
          branch: app.gitBranch,
          lastCommitSha: latest?.gitCommitSha ?? null,
          lastCommitMessage: latest?.gitCommitMessage ?? null,
        }
      : {
          status: app.sourceType === 'IMAGE' && !app.imageRef ? 'not_configured' : 'ok',
          type: app.sourceType,
          gitRepo: null,
          branch: null,
          lastCommitSha: null,
          lastCommitMessage: null,
          imageRef: app.imageRef,
        };
  const build = latest
    ? {
        status: buildStatus(latest),
        buildpack: latest.buildpack,
        imageTag: latest.imageRef,
        durationSeconds: durationSeconds(latest.startedAt, latest.finishedAt),
      }
    : { status: 'no_data', buildpack: null, imageTag: null, durationSeconds: null, message: 'No build has run yet' };
  const deploy = latest
    ? {
        status: latest.status,
        deployedAt: lastSucceeded?.finishedAt?.toISOString() ?? null,
        revisionName: lastSucceeded?.revisionName ?? null,
      }
    : { status: 'no_data', deployedAt: null, revisionName: null, message: 'No deployment yet' };
  const harbor = state.harborProject
    ? { status: 'configured', project: state.harborProject, guardsEnabled: null, lastEvalAt: null }
    : { status: 'not_configured', guardsEnabled: null, lastEvalAt: null };
  const live = state.runtime;
  const runtime =
    live.totalReplicas === 0
      ? {
          status: app.status === 'stopped' || app.replicas === 0 ? 'stopped' : 'no_data',
          readyReplicas: 0,
          totalReplicas: 0,
          cpuUsageMillicores: null,
          memoryUsageMi: null,
          message: 'No instance is running',
        }
      : {
          status: live.readyReplicas === live.totalReplicas ? 'healthy' : live.readyReplicas > 0 ? 'degraded' : 'starting',
          readyReplicas: live.readyReplicas,
          totalReplicas: live.totalReplicas,
          cpuUsageMillicores: live.cpuUsageMillicores,
          memoryUsageMi: live.memoryUsageMi,
        };
  return { source, build, deploy, harbor, runtime, overallStatus: app.status };
}
