// A deployment's build log: all of it at once, or followed live (everything written so far,
// then each new line, until the deployment finishes or the caller goes away).
import type { BuildLogLine } from '../../domain/build.js';
import { terminalDeploymentStatuses } from '../../domain/deployment.js';
import type { Principal } from '../../domain/workspace.js';
import type { Deps } from '../deps.js';
import { getDeployment } from '../revisions/get-deployment.js';

const maxLines = 50_000;

export async function getBuildLogs(
  deps: Pick<Deps, 'store' | 'buildLogs'>,
  input: { actor: Principal; workspaceId: string; deploymentId: string },
): Promise<string[]> {
  const deployment = await getDeployment(deps, input);
  // Memory first: a build that ends between the two reads has stored every line by then.
  const inMemory = deps.buildLogs.unflushed(deployment.id) ?? [];
  const stored = await deps.store.buildLogs.list(deployment.id, maxLines);
  const bySeq = new Map<number, string>();
  for (const line of [...stored, ...inMemory]) bySeq.set(line.seq, line.line);
  return [...bySeq.entries()]
    .sort(([a], [b]) => a - b)
    .slice(0, maxLines)
    .map(([, line]) => line);
}

export interface FollowInput {
  actor: Principal;
  workspaceId: string;
  deploymentId: string;
  onLine(line: BuildLogLine): void;
  signal: AbortSignal;
  /** How often to re-check a deployment whose writer is not running here. */
  pollMs?: number;
}

/** Resolves when the log is complete (the deployment finished) or the signal aborts. */
export async function followBuildLogs(deps: Pick<Deps, 'store' | 'buildLogs'>, input: FollowInput): Promise<void> {
  const deployment = await getDeployment(deps, input);
  let last = 0;
  const emit = (line: BuildLogLine) => {
    if (line.seq <= last) return;
    last = line.seq;
    input.onLine(line);
  };
  let ended!: () => void;
  const done = new Promise<void>((resolve) => (ended = resolve));
  let subscription = deps.buildLogs.follow(deployment.id, emit, () => ended());
  if (!subscription) {
    const stored = await deps.store.buildLogs.list(deployment.id, maxLines);
    const current = await deps.store.deployments.byId(deployment.id);
    if (!current || terminalDeploymentStatuses.includes(current.status)) {
      stored.forEach(emit);
      return;
    }
    deps.buildLogs.expect(deployment.id);
    subscription = deps.buildLogs.follow(deployment.id, emit, () => ended());
    stored.forEach(emit);
  }
  subscription?.replay.forEach(emit);
  // A writer closes the log as the deployment ends; one that finished elsewhere (failed by a
  // restart, or between our reads) is noticed here, after a second look to let a writer close first.
  let terminalSeen = 0;
  const poll = setInterval(() => {
    void deps.store.deployments.byId(deployment.id).then(async (current) => {
      if (current && !terminalDeploymentStatuses.includes(current.status)) return;
      terminalSeen += 1;
      if (terminalSeen < 2) return;
      (await deps.store.buildLogs.list(deployment.id, maxLines)).forEach(emit);
      ended();
    }, () => undefined);
  }, input.pollMs ?? 2_000);
  const onAbort = () => ended();
  input.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await done;
  } finally {
    clearInterval(poll);
    input.signal.removeEventListener('abort', onAbort);
    subscription?.stop();
  }
}
