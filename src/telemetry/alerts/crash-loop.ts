// The crash-loop rule: any revision that serves the app is in CrashLoopBackOff (the reconciler's
// backoff decides what a crash loop is; this rule only reports it).
import type { Orchestrator } from '../../core/ports/orchestrator.js';
import type { TrafficSplit } from '../../domain/revision.js';
import type { Condition } from './alert-rules.js';

export function crashLoopCondition(splits: readonly TrafficSplit[], orchestrator: Pick<Orchestrator, 'revisionStatus'>): Condition {
  const looping = splits.filter((s) => s.percent > 0 && orchestrator.revisionStatus(s.revisionId).phase === 'CrashLoopBackOff');
  const names = looping.map((s) => s.revisionName).join(', ');
  return {
    type: 'crash_loop',
    firing: looping.length > 0,
    severity: 'critical',
    message: `Revision ${names || '(none)'} is crash-looping: its instances keep exiting and are restarted with backoff`,
  };
}
