// Revisions and traffic (spec 001): list with their share of traffic, set a split, promote.
// Every revision that will receive traffic is warmed (started and ready) before the split is
// written, so a change never routes requests to instances that cannot answer.
import type { App } from '../../domain/app.js';
import { DomainError, notFound } from '../../domain/errors.js';
import { prunedArtifactMessage } from '../../domain/retention.js';
import type { Revision, TrafficSplit } from '../../domain/revision.js';
import { splitProblems } from '../../domain/traffic.js';
import type { Principal } from '../../domain/workspace.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import { recordAudit } from '../audit/record-audit.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';
import { requestedReplicas } from '../../domain/app.js';

export interface RevisionWithTraffic {
  revision: Revision;
  percent: number;
  tag: string | null;
  /** What runs of it now: replicas of a serving revision, a warm standby, or nothing. */
  instances: { ready: number; total: number };
}

export async function listRevisions(deps: Pick<Deps, 'store' | 'orchestrator'>, input: AppRef): Promise<RevisionWithTraffic[]> {
  const app = await findApp(deps, input, 'deploy:read');
  const [revisions, splits] = await Promise.all([deps.store.revisions.list(app.id), deps.store.traffic.get(app.id)]);
  return revisions.map((revision) => {
    const split = splits.find((s) => s.revisionId === revision.id);
    const { ready, total } = deps.orchestrator.revisionStatus(revision.id);
    return { revision, percent: split?.percent ?? 0, tag: split?.tag ?? null, instances: { ready, total } };
  });
}

export interface SplitRequest {
  /** Name (seed) or id (client) of the revision. */
  revision: string;
  /** Which field named it, so a problem names the field the client sent. */
  field: 'revisionName' | 'revisionId';
  percent: number;
  tag: string | null;
}

export async function setTraffic(
  deps: Deps,
  input: AppRef & { splits: readonly SplitRequest[] },
): Promise<{ appId: string; splits: TrafficSplit[]; updatedAt: Date }> {
  const app = await findApp(deps, input, 'deploy:write');
  const problems = splitProblems(
    input.splits.map((s) => ({ revision: s.revision, revisionField: s.field, percent: s.percent, tag: s.tag })),
    { slug: app.slug },
  );
  const resolved: TrafficSplit[] = [];
  for (const [i, split] of input.splits.entries()) {
    if (split.revision === '') {
      problems.push(`splits[${i}].revisionName is required (or revisionId)`);
      continue;
    }
    const revision = await deps.store.revisions.find(app.id, split.revision);
    if (!revision) problems.push(`splits[${i}].${split.field}: revision "${split.revision}" does not exist for this app`);
    else if (revision.status === 'failed') problems.push(`splits[${i}].${split.field}: revision ${revision.name} failed and cannot receive traffic`);
    else resolved.push({ revisionId: revision.id, revisionName: revision.name, percent: split.percent, tag: split.tag });
  }
  if (resolved.length !== new Set(resolved.map((s) => s.revisionId)).size && !problems.some((p) => p.includes('listed more than once'))) {
    problems.push('splits: a revision is listed more than once (by name and by id)');
  }
  if (problems.length > 0) throw new DomainError('invalid', problems[0] ?? 'invalid', problems);
  const release = await holdTrees(deps, resolved);
  try {
    return await applySplits(deps, { app, resolved, actor: input.actor });
  } finally {
    release();
  }
}

/**
 * Holds the trees of the revisions that will receive traffic (a prune spares them from here on)
 * and answers 409 for one that was pruned already: its instances could not start.
 */
async function holdTrees(deps: Deps, splits: readonly TrafficSplit[]): Promise<() => void> {
  const revisions = await Promise.all(splits.filter((s) => s.percent > 0 || s.tag).map((s) => deps.store.revisions.byId(s.revisionId)));
  const trees = revisions.filter((r): r is Revision => r !== null && r.artifactKind === 'tree' && r.artifactDir !== '');
  const release = deps.pins.hold(trees.map((r) => r.artifactDir));
  for (const revision of trees) {
    if (await deps.builder.hasTree(revision.artifactDir)) continue;
    release();
    throw new DomainError('conflict', prunedArtifactMessage(revision.name, revision.imageRef));
  }
  return release;
}

async function applySplits(deps: Deps, input: { app: App; resolved: TrafficSplit[]; actor: Principal }): Promise<{ appId: string; splits: TrafficSplit[]; updatedAt: Date }> {
  const { app, resolved } = input;
  // One ready instance per revision is enough to move traffic: a revision kept warm switches in
  // milliseconds, and the reconciler brings it to the app's full replica count right after.
  if (requestedReplicas(app) > 0) {
    const warmUps = resolved.filter((s) => s.percent > 0 || s.tag).map((s) => deps.orchestrator.warm(s.revisionId, 1, deps.settings.readyTimeoutMs));
    try {
      await Promise.all(warmUps);
    } catch (error) {
      throw new DomainError('unavailable', `Traffic unchanged: a revision could not start: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const now = deps.clock.now();
  const previous = await deps.store.traffic.get(app.id);
  await deps.store.traffic.set(app.id, resolved, now);
  await deps.store.revisions.markServed([...resolved.map((s) => s.revisionId), ...previous.map((s) => s.revisionId)], now);
  await deps.orchestrator.reconcileNow();
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: app.workspaceId,
    action: 'traffic.set',
    targetType: 'app',
    targetId: app.id,
    detail: { splits: resolved.map((s) => ({ revision: s.revisionName, percent: s.percent, tag: s.tag })) },
  });
  return { appId: app.id, splits: resolved, updatedAt: now };
}

export async function promoteRevision(deps: Deps, input: { actor: Principal; workspaceId: string; revisionName: string }) {
  authorize(input.actor, input.workspaceId, 'deploy:write');
  const revision = (await deps.store.revisions.byName(input.revisionName)) ?? notFound('Revision');
  const app = await findApp(deps, { actor: input.actor, workspaceId: input.workspaceId, appId: revision.appId }, 'deploy:write');
  return setTraffic(deps, { actor: input.actor, workspaceId: input.workspaceId, appId: app.id, splits: [{ revision: revision.id, field: 'revisionId', percent: 100, tag: null }] });
}
