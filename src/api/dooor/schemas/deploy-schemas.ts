// Wire shapes of the Deploy page (spec 001): revisions, traffic, promote, scale, runtime status.
import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from './common.js';

export const RevisionView = Type.Object({
  id: Type.String(),
  revisionName: Type.String(),
  imageRef: Type.String(),
  trafficPercent: Type.Integer(),
  tag: Nullable(Type.String()),
  status: Type.String(),
  statusMessage: Nullable(Type.String()),
  createdAt: Timestamp,
  // Berth's additions: what runs of the revision now (its replicas, or a warm standby; 0 once retired).
  readyInstances: Type.Integer({ description: 'Instances of this revision running and ready now (replicas, or a warm standby of a recently served revision).' }),
  totalInstances: Type.Integer({ description: 'Instances of this revision running now, ready or not; 0: promoting it starts one first.' }),
});

const SplitIn = Type.Object({
  revisionName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  revisionId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  percent: Type.Integer({ minimum: 0, maximum: 100 }),
  tag: Type.Optional(Nullable(Type.String({ maxLength: 63 }))),
});

export const TrafficBody = Type.Object({ splits: Type.Array(SplitIn, { minItems: 1, maxItems: 20 }) });

const SplitOut = Type.Object({
  revisionName: Type.String(),
  revisionId: Type.String(),
  percent: Type.Integer(),
  tag: Type.Optional(Type.String()),
});

export const TrafficView = Type.Object({ appId: Type.String(), splits: Type.Array(SplitOut), updatedAt: Timestamp });

export const PromoteView = Type.Object({
  appId: Type.String(),
  promotedRevision: Type.String(),
  splits: Type.Array(SplitOut),
  updatedAt: Timestamp,
});

export const ScaleBody = Type.Object({
  appId: Type.String({ minLength: 1, maxLength: 200 }),
  replicas: Type.Integer({ minimum: 0, maximum: 10 }),
});

export const ScaleView = Type.Object({
  appId: Type.String(),
  name: Type.String(),
  requestedReplicas: Type.Integer(),
  currentReplicas: Type.Integer({ description: 'Ready instances of the revisions that hold traffic' }),
  warmInstances: Type.Integer({ description: 'Instances kept warm besides (recently served or tagged revisions): not replicas' }),
  stoppingInstances: Type.Integer({ description: 'Instances told to stop whose process has not exited yet (draining, or ignoring SIGTERM until the drain timeout) (Berth)' }),
  status: Type.Union([Type.Literal('stable'), Type.Literal('scaling')], { description: 'stable once currentReplicas is what was asked for and no instance is still stopping' }),
});

export const RuntimeStatusView = Type.Object({
  phase: Type.String(),
  ready: Type.Integer(),
  total: Type.Integer({ description: 'Instances that should exist: the wanted ones (counting any that crashed and wait for their restart)' }),
  restarting: Type.Integer({ description: 'Of total, instances that crashed and wait out their backoff before their restart; the Ready condition says why they failed' }),
  stopping: Type.Integer({ description: 'Besides total: instances told to stop whose process has not exited yet (draining, or ignoring SIGTERM until the drain timeout); phase Stopping while only these run (Berth)' }),
  restarts: Type.Integer(),
  revisionName: Nullable(Type.String()),
  conditions: Type.Array(
    Type.Object({
      type: Type.String(),
      status: Type.String(),
      reason: Nullable(Type.String()),
      message: Nullable(Type.String()),
      lastTransitionTime: Timestamp,
    }),
  ),
});

export const DeploymentView = Type.Object({
  id: Type.String(),
  status: Type.String(),
  appId: Type.String(),
  triggerType: Type.String(),
  gitBranch: Nullable(Type.String()),
  gitCommitSha: Nullable(Type.String()),
  gitCommitMessage: Nullable(Type.String()),
  buildpack: Nullable(Type.String()),
  imageRef: Nullable(Type.String()),
  revisionName: Nullable(Type.String()),
  rolledBackFrom: Nullable(Type.String()),
  error: Nullable(Type.String()),
  durationSeconds: Nullable(Type.Integer()),
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
  createdAt: Timestamp,
});

export const DeployParams = Type.Object({ wsId: Type.String({ maxLength: 200 }), deployId: Type.String({ maxLength: 200 }) });
export const RevisionParams = Type.Object({ wsId: Type.String({ maxLength: 200 }), revisionName: Type.String({ maxLength: 200 }) });

export const CronRunView = Type.Object({
  id: Type.String(),
  status: Type.String(),
  exitCode: Nullable(Type.Integer()),
  scheduledFor: Timestamp,
  startedAt: Timestamp,
  finishedAt: Nullable(Timestamp),
});
