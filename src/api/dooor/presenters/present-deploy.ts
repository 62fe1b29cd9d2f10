// Deployments, revisions, traffic, scale, runtime status and uploads on the wire (spec 001).
import type { RevisionRuntimeStatus } from '../../../core/ports/orchestrator.js';
import type { RevisionWithTraffic } from '../../../core/revisions/manage-traffic.js';
import type { ScaleResult } from '../../../core/revisions/scale-app.js';
import type { Upload } from '../../../domain/build.js';
import type { Deployment } from '../../../domain/deployment.js';
import type { TrafficSplit } from '../../../domain/revision.js';
import { deploymentStatusWords, triggerWords } from '../../dialect-words.js';

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
    readyInstances: entry.instances.ready,
    totalInstances: entry.instances.total,
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
    status: deploymentStatusWords.dooor[d.status],
    appId: d.appId,
    triggerType: triggerWords.dooor[d.triggerType],
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

export function presentScale(result: ScaleResult) {
  return {
    appId: result.app.id,
    name: result.app.name,
    requestedReplicas: result.replicas,
    currentReplicas: result.runtime.readyReplicas,
    warmInstances: result.runtime.warmInstances,
    stoppingInstances: result.runtime.stoppingInstances,
    status: result.settled ? ('stable' as const) : ('scaling' as const),
  };
}

export function presentRuntimeStatus(status: RevisionRuntimeStatus & { revisionName: string | null }) {
  return {
    phase: status.phase,
    ready: status.ready,
    total: status.total,
    restarting: status.restarting,
    stopping: status.stopping,
    restarts: status.restarts,
    revisionName: status.revisionName,
    conditions: status.conditions.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, lastTransitionTime: c.lastTransitionTime })),
  };
}

export function presentUpload(upload: Upload) {
  return { uploadId: upload.id, status: upload.status, sizeBytes: upload.sizeBytes ?? 0 };
}
