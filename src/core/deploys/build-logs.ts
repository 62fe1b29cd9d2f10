// A deployment's build log: all of it at once, or followed live (everything written so far,
// then each new line, until the deployment finishes or the caller goes away); and the log of an
// app's latest deployment.
import type { BuildLogLine } from '../../domain/build.js';
import { standingOf, terminalDeploymentStatuses } from '../../domain/deployment.js';
import type { Deployment, DeploymentStanding } from '../../domain/deployment.js';
import type { App } from '../../domain/app.js';
import { isServing } from '../../domain/revision.js';
import type { Principal } from '../../domain/workspace.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import type { Deps } from '../deps.js';
import type { BuildLogHub, BuildLogRepository } from '../ports/builds.js';
import { getDeployment } from '../revisions/get-deployment.js';

const maxLines = 50_000;

export async function getBuildLogs(
  deps: Pick<Deps, 'store' | 'buildLogs'>,
  input: { actor: Principal; workspaceId: string; deploymentId: string },
): Promise<string[]> {
  return logLines(deps, (await getDeployment(deps, input)).id);
}

function logLines(deps: Pick<Deps, 'store' | 'buildLogs'>, deploymentId: string): Promise<string[]> {
  return storedAndUnflushed(deps.buildLogs, deps.store.buildLogs, deploymentId);
}

/** Every line of one log so far: those stored and those still in memory, in order. */
export async function storedAndUnflushed(hub: BuildLogHub, repository: BuildLogRepository, id: string): Promise<string[]> {
  // Memory first: a build that ends between the two reads has stored every line by then.
  const inMemory = hub.unflushed(id) ?? [];
  const stored = await repository.list(id, maxLines);
  const bySeq = new Map<number, string>();
  for (const line of [...stored, ...inMemory]) bySeq.set(line.seq, line.line);
  return [...bySeq.entries()]
    .sort(([a], [b]) => a - b)
    .slice(0, maxLines)
    .map(([, line]) => line);
}

/** The build log of the app's latest deployment and where it stands (null: it has none yet). */
export async function latestBuildLog(
  deps: Pick<Deps, 'store' | 'buildLogs'>,
  input: AppRef,
): Promise<{ app: App; deployment: Deployment | null; standing: DeploymentStanding | null; lines: string[] }> {
  const app = await findApp(deps, input, 'deploy:read');
  const deployment = await deps.store.deployments.latest(app.id);
  if (!deployment) return { app, deployment, standing: null, lines: [] };
  const serving = new Set((await deps.store.traffic.get(app.id)).filter(isServing).map((s) => s.revisionName));
  return { app, deployment, standing: standingOf(deployment, serving), lines: await logLines(deps, deployment.id) };
}

export interface FollowInput {
  actor: Principal;
  workspaceId: string;
  deploymentId: string;
  /** Called once the caller may read the log, before any line (a refusal throws before it). */
  onStart?(deployment: Deployment): void;
  onLine(line: BuildLogLine): void;
  signal: AbortSignal;
  /** How often to re-check a deployment whose writer is not running here. */
  pollMs?: number;
}

/** Resolves with the deployment as it is when the log is complete (it finished) or the signal aborts. */
export async function followBuildLogs(deps: Pick<Deps, 'store' | 'buildLogs'>, input: FollowInput): Promise<Deployment> {
  const deployment = await getDeployment(deps, input);
  input.onStart?.(deployment);
  const final = async () => (await deps.store.deployments.byId(deployment.id)) ?? deployment;
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
      return current ?? deployment;
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
  return final();
}
