// Deployments, revisions and traffic on the wire (spec 001).
import type { RevisionWithTraffic } from '../../../core/revisions/manage-traffic.js';
import type { Deployment } from '../../../domain/deployment.js';
import type { TrafficSplit } from '../../../domain/revision.js';

export function presentRevision(entry: RevisionWithTraffic) {
  return {
    id: entry.revision.id,
    revisionName: entry.revision.name,
    imageRef: entry.revision.imageRef,
    trafficPercent: entry.percent,
    tag: entry.tag,
    status: entry.revision.status,
    statusMessage: entry.revision.statusMessage,
    createdAt: entry.revision.createdAt.toISOString(),
  };
}

export function presentSplit(split: TrafficSplit) {
  return {
    revisionName: split.revisionName,
    revisionId: split.revisionId,
    percent: split.percent,
    ...(split.tag ? { tag: split.tag } : {}),
  };
}

export function presentDeployment(d: Deployment) {
  return {
    id: d.id,
    status: d.status,
    appId: d.appId,
    triggerType: d.triggerType,
    gitBranch: d.gitBranch,
    gitCommitSha: d.gitCommitSha,
    gitCommitMessage: d.gitCommitMessage,
    buildpack: d.buildpack,
    imageRef: d.imageRef,
    revisionName: d.revisionName,
    rolledBackFrom: d.rolledBackFrom,
    error: d.error,
    durationSeconds: d.startedAt && d.finishedAt ? Math.round((d.finishedAt.getTime() - d.startedAt.getTime()) / 1000) : null,
    startedAt: d.startedAt?.toISOString() ?? null,
    finishedAt: d.finishedAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}
