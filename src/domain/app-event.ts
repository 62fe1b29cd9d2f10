// Events of an app, as Kubernetes reports them: a type, a reason from a closed list, a message,
// the object it is about, and how often it happened (repeats of the same event are folded).

export const eventTypes = ['Normal', 'Warning'] as const;
export type EventType = (typeof eventTypes)[number];

export const eventReasons = [
  /** An instance was placed on a node. */
  'Scheduled',
  /** A deployment's source was fetched (git commit, upload) or an image pulled. */
  'Pulled',
  'Built',
  'BuildFailed',
  /** A deployment could not fetch its source (or pull its image). */
  'Failed',
  'Started',
  'Ready',
  /** An instance did not pass its readiness probe. */
  'Unhealthy',
  /** Berth stopped an instance (scaled down, replaced, its revision no longer wanted). */
  'Killing',
  'OOMKilled',
  /** An instance exited on its own and will be started again after a delay. */
  'BackOff',
  /** Replicas set by hand. */
  'ScalingReplicaSet',
  /** Replicas set by the autoscaler, with its reason. */
  'SuccessfulRescale',
  'RolloutStarted',
  'RolloutSucceeded',
  'RolloutFailed',
  'Restarted',
] as const;
export type EventReason = (typeof eventReasons)[number];

export const eventObjectKinds = ['App', 'Deployment', 'Build', 'Revision', 'Instance'] as const;
export type EventObjectKind = (typeof eventObjectKinds)[number];

export interface AppEventInput {
  appId: string;
  type: EventType;
  reason: EventReason;
  message: string;
  object: { kind: EventObjectKind; name: string };
}

export interface AppEvent extends AppEventInput {
  id: string;
  /** Times this event happened; the first and last time. */
  count: number;
  firstAt: Date;
  lastAt: Date;
}

/** Events that are the same but for their time fold into one (Kubernetes' event aggregation). */
export function foldKey(event: AppEventInput): string {
  return JSON.stringify([event.object.kind, event.object.name, event.type, event.reason, event.message]);
}
