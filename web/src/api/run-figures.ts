// A cron app's runs over a period, as the Metrics tab shows them: how many, how they ended, and
// how long the finished ones took, from the run history the API keeps (at most `fetched` runs).

export interface RunRow {
  status: string;
  startedAt: string;
  finishedAt: string | null;
}

export interface RunFigures {
  /** `12 runs in the last 1h: 10 succeeded, 1 failed, 1 skipped`, or why there are none. */
  summary: string;
  /** Finished runs, oldest first: when each started and how many seconds it took. */
  durations: { startedAt: string; seconds: number }[];
}

const statusOrder = ['succeeded', 'failed', 'skipped', 'running'];

/** `runs` newest first, as `GET …/cron-runs` answers; `fetched` is the limit it was asked with. */
export function runFigures(runs: readonly RunRow[], period: { label: string; ms: number }, now: Date, fetched: number): RunFigures {
  const since = now.getTime() - period.ms;
  const inPeriod = runs.filter((r) => Date.parse(r.startedAt) >= since);
  // A full page that lies wholly in the period may not be all of it: say which runs were counted.
  const oldest = inPeriod[inPeriod.length - 1];
  const cut = runs.length >= fetched && inPeriod.length === runs.length && oldest !== undefined;
  const scope = cut ? `the last ${inPeriod.length} runs (since ${oldest.startedAt})` : `${inPeriod.length} run${inPeriod.length === 1 ? '' : 's'} in the last ${period.label}`;
  const counts = statusOrder
    .map((status) => [status, inPeriod.filter((r) => r.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  const summary = inPeriod.length === 0 ? `No run in the last ${period.label}` : `${scope}: ${counts.join(', ')}`;
  const durations = inPeriod
    .filter((r): r is RunRow & { finishedAt: string } => r.finishedAt !== null && r.status !== 'skipped')
    .map((r) => ({ startedAt: r.startedAt, seconds: (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000 }))
    .reverse();
  return { summary: summary.charAt(0).toUpperCase() + summary.slice(1), durations };
}
