// Horizontal autoscaling decisions (pure), after Kubernetes' HPA: the replica count that would
// bring average CPU utilisation to its target, clamped to min..max, ignoring small deviations;
// scale-ups apply at once, scale-downs only to the highest recommendation of the stabilisation
// window, so a brief dip does not make the app flap.

export interface AutoscaleInput {
  current: number;
  /** Average CPU use of the ready instances as a share of each instance's limit, in %. */
  utilizationPercent: number;
  targetPercent: number;
  min: number;
  max: number;
  /** Deviation from the target, as a fraction, that does not trigger a change. */
  tolerance?: number;
}

export function recommendReplicas(input: AutoscaleInput): number {
  const tolerance = input.tolerance ?? 0.1;
  const ratio = input.utilizationPercent / input.targetPercent;
  const raw = Math.abs(ratio - 1) <= tolerance ? input.current : Math.ceil(input.current * ratio);
  return Math.min(input.max, Math.max(input.min, raw));
}

export interface Recommendation {
  at: number;
  replicas: number;
}

/** The count to apply now, given the recommendations seen within the window (newest last). */
export function stabilizedReplicas(
  current: number,
  history: readonly Recommendation[],
  now: number,
  windowMs: number,
): number {
  const recent = history.filter((r) => now - r.at <= windowMs);
  const latest = recent[recent.length - 1];
  if (!latest) return current;
  if (latest.replicas >= current) return latest.replicas;
  const highest = Math.max(...recent.map((r) => r.replicas));
  return Math.min(current, highest);
}

/** CPU use as a share of the instance's limit: cpuPercent is % of one core, the limit is in millicores. */
export function utilizationOfLimit(cpuPercent: number, cpuLimitMillicores: number): number {
  return (cpuPercent * 1000) / cpuLimitMillicores;
}
