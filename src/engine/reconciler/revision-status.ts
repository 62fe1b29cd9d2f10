// A revision's runtime status in the shape of spec 001's runtime-status (Kubernetes-like
// phase, ready/total and conditions), computed from what the reconciler tracks.
import type { RevisionRuntimeStatus, RuntimeCondition, RuntimePhase } from '../../core/ports/orchestrator.js';
import type { CrashRecord } from './crash-backoff.js';
import type { TrackedInstance } from './instance-table.js';

export interface RevisionStatusInput {
  instances: readonly TrackedInstance[];
  crash: CrashRecord;
  crashLooping: boolean;
  transitions: (type: string) => string | null;
}

export function revisionStatus(input: RevisionStatusInput): RevisionRuntimeStatus {
  const live = input.instances.filter((i) => !i.stopping);
  const ready = live.filter((i) => i.ready).length;
  const total = live.length;
  const phase: RuntimePhase = input.crashLooping
    ? 'CrashLoopBackOff'
    : total === 0
      ? input.crash.lastReason
        ? 'Failed'
        : 'Stopped'
      : ready > 0
        ? 'Running'
        : 'Pending';
  const at = (type: string) => input.transitions(type) ?? new Date(0).toISOString();
  const conditions: RuntimeCondition[] = [
    {
      type: 'Available',
      status: ready > 0 ? 'True' : 'False',
      reason: null,
      message: null,
      lastTransitionTime: at('Ready'),
    },
    {
      type: 'Progressing',
      status: ready < total ? 'True' : 'False',
      reason: ready < total ? 'StartingInstances' : null,
      message: null,
      lastTransitionTime: at('Ready'),
    },
  ];
  if (input.crashLooping) {
    conditions.push({
      type: 'CrashLoop',
      status: 'True',
      reason: 'CrashLoopBackOff',
      message: input.crash.lastReason,
      lastTransitionTime: at('CrashLoop'),
    });
  }
  if (input.crash.lastReason?.startsWith('OOMKilled')) {
    conditions.push({
      type: 'OOMKilled',
      status: 'True',
      reason: 'OOMKilled',
      message: input.crash.lastReason,
      lastTransitionTime: at('OOMKilled'),
    });
  }
  return { phase, ready, total, restarts: input.crash.totalRestarts, conditions };
}
