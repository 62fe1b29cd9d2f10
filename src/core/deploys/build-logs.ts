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
  return followLog(
    {
      id: deployment.id,
      hub: deps.buildLogs,
      lines: deps.store.buildLogs,
      current: () => deps.store.deployments.byId(deployment.id),
      ended: (current) => terminalDeploymentStatuses.includes(current.status),
    },
    deployment,
    input,
  );
}

/** A log to follow: its writer's hub, its stored lines, and the thing it is the log of. */
export interface FollowedLog<T> {
  id: string;
  hub: BuildLogHub;
  lines: BuildLogRepository;
  current(): Promise<T | null>;
  ended(current: T): boolean;
}

/**
 * Every line so far, then each new one, until the log's owner ends (deployments, app builds) or
 * the signal aborts; resolves with the owner as it is then (`known` when it is gone).
 */
export async function followLog<T>(log: FollowedLog<T>, known: T, input: Pick<FollowInput, 'onLine' | 'signal' | 'pollMs'>): Promise<T> {
  const final = async () => (await log.current()) ?? known;
  let last = 0;
  const emit = (line: BuildLogLine) => {
    if (line.seq <= last) return;
    last = line.seq;
    input.onLine(line);
  };
  let ended!: () => void;
  const done = new Promise<void>((resolve) => (ended = resolve));
  let subscription = log.hub.follow(log.id, emit, () => ended());
  if (!subscription) {
    const stored = await log.lines.list(log.id, maxLines);
    const current = await log.current();
    if (!current || log.ended(current)) {
      stored.forEach(emit);
      return current ?? known;
    }
    log.hub.expect(log.id);
    subscription = log.hub.follow(log.id, emit, () => ended());
    stored.forEach(emit);
  }
  subscription?.replay.forEach(emit);
  // A writer closes the log as its owner ends; one that finished elsewhere (failed by a restart,
  // or between our reads) is noticed here, after a second look to let a writer close first.
  let terminalSeen = 0;
  const poll = setInterval(() => {
    void log.current().then(async (current) => {
      if (current && !log.ended(current)) return;
      terminalSeen += 1;
      if (terminalSeen < 2) return;
      (await log.lines.list(log.id, maxLines)).forEach(emit);
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
