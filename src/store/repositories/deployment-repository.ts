// Deployments of an app, newest first.
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DeploymentChanges, DeploymentRepository } from '../../core/ports/store.js';
import { deploymentStages, terminalDeploymentStatuses } from '../../domain/deployment.js';
import type { Deployment, DeploymentStage, DeploymentStatus, TriggerType } from '../../domain/deployment.js';
import { fromIso, fromIsoOrNull, toIso, toIsoOrNull } from '../row-values.js';
import type { Database, DeploymentRow } from '../schema.js';

export function toDeployment(row: Selectable<DeploymentRow>): Deployment {
  return {
    id: row.id,
    appId: row.app_id,
    workspaceId: row.workspace_id,
    status: row.status as DeploymentStatus,
    triggerType: row.trigger_type as TriggerType,
    stage: deploymentStages.includes(row.stage as DeploymentStage) ? (row.stage as DeploymentStage) : null,
    gitBranch: row.git_branch,
    gitCommitSha: row.git_commit_sha,
    gitCommitMessage: row.git_commit_message,
    buildpack: row.buildpack,
    imageRef: row.image_ref,
    revisionName: row.revision_name,
    reusedRevision: row.reused_revision,
    builtAt: fromIsoOrNull(row.built_at),
    rolledBackFrom: row.rolled_back_from,
    buildId: row.build_id ?? null,
    createdBy: row.created_by ?? null,
    error: row.error,
    startedAt: fromIsoOrNull(row.started_at),
    finishedAt: fromIsoOrNull(row.finished_at),
    createdAt: fromIso(row.created_at),
  };
}

/** The row a new deployment is stored as. */
export function deploymentRow(d: Deployment): Insertable<DeploymentRow> {
  return {
    id: d.id,
    app_id: d.appId,
    workspace_id: d.workspaceId,
    status: d.status,
    trigger_type: d.triggerType,
    stage: d.stage,
    git_branch: d.gitBranch,
    git_commit_sha: d.gitCommitSha,
    git_commit_message: d.gitCommitMessage,
    buildpack: d.buildpack,
    image_ref: d.imageRef,
    revision_name: d.revisionName,
    reused_revision: d.reusedRevision,
    built_at: toIsoOrNull(d.builtAt),
    rolled_back_from: d.rolledBackFrom,
    build_id: d.buildId,
    created_by: d.createdBy,
    error: d.error,
    started_at: toIsoOrNull(d.startedAt),
    finished_at: toIsoOrNull(d.finishedAt),
    created_at: toIso(d.createdAt),
  };
}

function changesRow(c: DeploymentChanges): Updateable<DeploymentRow> {
  const set: Updateable<DeploymentRow> = {};
  if (c.status !== undefined) set.status = c.status;
  if (c.stage !== undefined) set.stage = c.stage;
  if (c.error !== undefined) set.error = c.error;
  if (c.finishedAt !== undefined) set.finished_at = toIsoOrNull(c.finishedAt);
  if (c.startedAt !== undefined) set.started_at = toIsoOrNull(c.startedAt);
  if (c.builtAt !== undefined) set.built_at = toIsoOrNull(c.builtAt);
  if (c.revisionName !== undefined) set.revision_name = c.revisionName;
  if (c.imageRef !== undefined) set.image_ref = c.imageRef;
  if (c.buildpack !== undefined) set.buildpack = c.buildpack;
  if (c.gitCommitSha !== undefined) set.git_commit_sha = c.gitCommitSha;
  if (c.gitCommitMessage !== undefined) set.git_commit_message = c.gitCommitMessage;
  return set;
}

export function deploymentRepository(db: Kysely<Database>): DeploymentRepository {
  return {
    async create(d) {
      await db.insertInto('deployments').values(deploymentRow(d)).execute();
    },
    async latest(appId) {
      const row = await db
        .selectFrom('deployments')
        .selectAll()
        .where('app_id', '=', appId)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toDeployment(row) : null;
    },
    async byId(deploymentId) {
      const row = await db.selectFrom('deployments').selectAll().where('id', '=', deploymentId).executeTakeFirst();
      return row ? toDeployment(row) : null;
    },
    async update(deploymentId, c) {
      const set = changesRow(c);
      if (Object.keys(set).length === 0) return;
      await db.updateTable('deployments').set(set).where('id', '=', deploymentId).execute();
    },
    async updateIfActive(deploymentId, c, from) {
      const set = changesRow(c);
      if (Object.keys(set).length === 0) return false;
      const result = await db
        .updateTable('deployments')
        .set(set)
        .where('id', '=', deploymentId)
        .where('status', 'not in', [...terminalDeploymentStatuses])
        .$if(from !== undefined, (q) => q.where('status', 'in', [...(from ?? [])]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async listActive(appId) {
      const rows = await db
        .selectFrom('deployments')
        .selectAll()
        .where('app_id', '=', appId)
        .where('status', 'not in', [...terminalDeploymentStatuses])
        .orderBy('id')
        .execute();
      return rows.map(toDeployment);
    },
    async failUnfinished(reason, at, statuses = ['queued', 'building', 'deploying']) {
      const result = await db
        .updateTable('deployments')
        .set({ status: 'failed', error: reason, finished_at: toIso(at) })
        .where('status', 'in', [...statuses])
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async latestSucceeded(appId) {
      const row = await db
        .selectFrom('deployments')
        .selectAll()
        .where('app_id', '=', appId)
        .where('status', '=', 'succeeded')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toDeployment(row) : null;
    },
    async latestOfWorkspace(workspaceId) {
      // Ids are time-ordered: the largest id of an app is its latest deployment.
      const latestIds = db.selectFrom('deployments').select((eb) => eb.fn.max('id').as('id')).where('workspace_id', '=', workspaceId).groupBy('app_id');
      const rows = await db.selectFrom('deployments').selectAll().where('id', 'in', latestIds).execute();
      return rows.map(toDeployment);
    },
    async lastSucceededAt(workspaceId) {
      const rows = await db
        .selectFrom('deployments')
        .select(['app_id'])
        .select((eb) => eb.fn.max('finished_at').as('at'))
        .where('workspace_id', '=', workspaceId)
        .where('status', '=', 'succeeded')
        .groupBy('app_id')
        .execute();
      return new Map(rows.filter((r) => r.at !== null).map((r) => [r.app_id, fromIso(String(r.at))]));
    },
    async listAll(appId) {
      const rows = await db.selectFrom('deployments').selectAll().where('app_id', '=', appId).orderBy('id', 'desc').execute();
      return rows.map(toDeployment);
    },
  };
}
