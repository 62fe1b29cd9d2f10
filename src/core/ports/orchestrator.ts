// What the core needs from the engine's reconciler: warm a revision before traffic moves to it,
// apply the store's desired state now, and report what is running.

export interface RuntimeCondition {
  type: 'Available' | 'Progressing' | 'Ready' | 'CrashLoop' | 'OOMKilled';
  status: 'True' | 'False';
  reason: string | null;
  message: string | null;
  lastTransitionTime: string;
}

export type RuntimePhase = 'Pending' | 'Running' | 'Failed' | 'Stopped' | 'CrashLoopBackOff';

export interface RevisionRuntimeStatus {
  phase: RuntimePhase;
  ready: number;
  total: number;
  restarts: number;
  conditions: RuntimeCondition[];
}

export interface AppRuntimeSummary {
  readyReplicas: number;
  totalReplicas: number;
  cpuUsageMillicores: number | null;
  memoryUsageMi: number | null;
}

export interface Orchestrator {
  /**
   * Ensures `replicas` instances of the revision run and are ready; resolves when they are,
   * rejects with the reason (exit, timeout, OOM) when they cannot be. Idempotent.
   */
  warm(revisionId: string, replicas: number): Promise<void>;
  /** Applies the store's desired state now; resolves once the edge routes by it. */
  reconcileNow(): Promise<void>;
  revisionStatus(revisionId: string): RevisionRuntimeStatus;
  appSummary(appId: string): Promise<AppRuntimeSummary>;
}
