// Apps: listing with filters and paging (from the in-memory catalog), slug uniqueness among live
// apps, soft and hard delete.
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AppRepository } from '../../core/ports/store.js';
import type { App, AppStatus, AppType, SourceType, Visibility } from '../../domain/app.js';
import { conflict } from '../../domain/errors.js';
import { gitProviders } from '../../domain/git-url.js';
import { fromFlag, fromIso, fromIsoOrNull, isUniqueViolation, toFlag, toIso, toIsoOrNull } from '../row-values.js';
import type { AppRow, Database } from '../schema.js';
import { appCatalog, everyWorkspace } from './app-catalog.js';
import type { AppCatalog } from './app-catalog.js';

export function toApp(row: Selectable<AppRow>): App {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    type: row.type as AppType,
    status: row.status as AppStatus,
    sourceType: row.source_type as SourceType,
    gitRepoUrl: row.git_repo_url,
    gitBranch: row.git_branch,
    gitProvider: gitProviders.find((p) => p === row.git_provider) ?? null,
    gitInstallationId: row.git_installation_id,
    imageRef: row.image_ref,
    imageRegistryAuthRef: row.image_registry_auth_ref,
    dockerfilePath: row.dockerfile_path,
    autoDeploy: fromFlag(row.auto_deploy),
    releaseCommand: row.release_command,
    visibility: row.visibility as Visibility,
    cpuLimitMillicores: row.cpu_limit_millicores,
    memoryLimitMi: row.memory_limit_mi,
    diskLimitMi: row.disk_limit_mi,
    minReplicas: row.min_replicas,
    maxReplicas: row.max_replicas,
    cpuTargetUtilization: row.cpu_target_utilization,
    schedule: row.schedule,
    port: row.port,
    buildCommand: row.build_command ?? null,
    readinessPath: row.readiness_path ?? '/',
    readinessType: row.readiness_type === 'tcp' ? 'tcp' : 'http',
    sessionAffinity: fromFlag(row.session_affinity),
    replicas: row.replicas,
    defaultVersionId: row.default_version_id ?? null,
    nodeVersion: row.node_version ?? null,
    createdBy: row.created_by ?? null,
    createdAt: fromIso(row.created_at),
    updatedAt: fromIso(row.updated_at),
    deletedAt: fromIsoOrNull(row.deleted_at),
  };
}

function toRow(app: App): Insertable<AppRow> {
  return {
    id: app.id,
    workspace_id: app.workspaceId,
    name: app.name,
    name_search: app.name.toLowerCase(),
    slug: app.slug,
    description: app.description,
    type: app.type,
    status: app.status,
    source_type: app.sourceType,
    git_repo_url: app.gitRepoUrl,
    git_branch: app.gitBranch,
    git_provider: app.gitProvider,
    git_installation_id: app.gitInstallationId,
    image_ref: app.imageRef,
    image_registry_auth_ref: app.imageRegistryAuthRef,
    dockerfile_path: app.dockerfilePath,
    auto_deploy: toFlag(app.autoDeploy),
    release_command: app.releaseCommand,
    visibility: app.visibility,
    cpu_limit_millicores: app.cpuLimitMillicores,
    memory_limit_mi: app.memoryLimitMi,
    disk_limit_mi: app.diskLimitMi,
    min_replicas: app.minReplicas,
    max_replicas: app.maxReplicas,
    cpu_target_utilization: app.cpuTargetUtilization,
    schedule: app.schedule,
    port: app.port,
    build_command: app.buildCommand,
    readiness_path: app.readinessPath,
    readiness_type: app.readinessType,
    session_affinity: toFlag(app.sessionAffinity),
    replicas: app.replicas,
    default_version_id: app.defaultVersionId ?? null,
    node_version: app.nodeVersion ?? null,
    created_by: app.createdBy ?? null,
    created_at: toIso(app.createdAt),
    updated_at: toIso(app.updatedAt),
    deleted_at: toIsoOrNull(app.deletedAt),
  };
}

const catalogSlice = 1000;

async function slugClash<T>(write: () => Promise<T>, slug: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) return conflict(`An app with slug "${slug}" already exists in this workspace`);
    throw error;
  }
}

/** `onWrite` hears of every write to apps (after it), so readers that keep answers know when they are stale. */
export function appRepository(db: Kysely<Database>, onWrite: () => void = () => {}): AppRepository & { readonly catalog: AppCatalog } {
  const liveApps = () => db.selectFrom('apps').where('deleted_at', 'is', null);
  /**
   * Live apps (of one workspace, or all), newest first, read in slices with a turn of the event
   * loop between them: SQLite answers synchronously, and a large read must not stall other requests.
   */
  async function loadLive(workspaceId: string): Promise<App[]> {
    const apps: App[] = [];
    let before: string | null = null;
    for (;;) {
      const scoped = workspaceId === everyWorkspace ? liveApps() : liveApps().where('workspace_id', '=', workspaceId);
      const slice = scoped.selectAll().orderBy('id', 'desc').limit(catalogSlice);
      const rows: Selectable<AppRow>[] = await (before === null ? slice : slice.where('id', '<', before)).execute();
      apps.push(...rows.map(toApp));
      const last = rows.at(-1);
      if (rows.length < catalogSlice || !last) return apps;
      before = last.id;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const liveOne = async (appId: string): Promise<App | null> => {
    const row = await liveApps().where('id', '=', appId).selectAll().executeTakeFirst();
    return row ? toApp(row) : null;
  };
  const catalog = appCatalog(loadLive, liveOne);
  /** Every write to apps goes through here, so the catalog never answers from before one. */
  async function write<T>(change: () => Promise<T>, of: { appId: string; workspaceId?: string }): Promise<T> {
    try {
      return await change();
    } finally {
      catalog.appChanged(of.appId, of.workspaceId);
      onWrite();
    }
  }

  return {
    catalog,
    async create(app) {
      await write(() => slugClash(() => db.insertInto('apps').values(toRow(app)).execute(), app.slug), { appId: app.id, workspaceId: app.workspaceId });
    },
    async find(workspaceId, idOrSlug) {
      const row = await liveApps()
        .where('workspace_id', '=', workspaceId)
        .selectAll()
        .where((eb) => eb.or([eb('id', '=', idOrSlug), eb('slug', '=', idOrSlug)]))
        .executeTakeFirst();
      return row ? toApp(row) : null;
    },
    async findForPurge(workspaceId, idOrSlug) {
      const row = await db
        .selectFrom('apps')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where((eb) => eb.or([eb('id', '=', idOrSlug), eb.and([eb('slug', '=', idOrSlug), eb('deleted_at', 'is', null)])]))
        .executeTakeFirst();
      return row ? toApp(row) : null;
    },
    list: (query) => catalog.list(query),
    async countByStatus(workspaceId) {
      const counts: Partial<Record<AppStatus, number>> = {};
      for (const app of await catalog.all(workspaceId)) counts[app.status] = (counts[app.status] ?? 0) + 1;
      return counts;
    },
    async update(app) {
      const { id: _id, created_at: _created, ...changes } = toRow(app);
      await write(() => slugClash(() => db.updateTable('apps').set(changes).where('id', '=', app.id).execute(), app.slug), { appId: app.id, workspaceId: app.workspaceId });
    },
    byId: liveOne,
    async listLive() {
      return [...(await catalog.all(everyWorkspace))].reverse();
    },
    async listWithTraffic() {
      const rows = await db
        .selectFrom('apps')
        .selectAll()
        .where('deleted_at', 'is', null)
        .where('id', 'in', db.selectFrom('traffic_splits').select('app_id'))
        .execute();
      return rows.map(toApp);
    },
    async setReplicas(appId, replicas, at) {
      await write(() => db.updateTable('apps').set({ replicas, updated_at: toIso(at) }).where('id', '=', appId).execute(), { appId });
    },
    async setStatus(appId, status, at) {
      await write(() => db.updateTable('apps').set({ status, updated_at: toIso(at) }).where('id', '=', appId).execute(), { appId });
    },
    async restore(app, at) {
      const restored = { deleted_at: null, updated_at: toIso(at) };
      await write(() => slugClash(() => db.updateTable('apps').set(restored).where('id', '=', app.id).execute(), app.slug), { appId: app.id, workspaceId: app.workspaceId });
    },
    async softDelete(appId, at) {
      const deleted = { deleted_at: toIso(at), updated_at: toIso(at) };
      await write(() => db.updateTable('apps').set(deleted).where('id', '=', appId).execute(), { appId });
    },
    async purge(appId) {
      // Explicit child deletes, so purge does not depend on the backend enforcing ON DELETE CASCADE.
      await write(
        () =>
          db.transaction().execute(async (trx) => {
            await trx.deleteFrom('public_shares').where('app_id', '=', appId).execute();
            await trx.deleteFrom('domains').where('app_id', '=', appId).execute();
            await trx.deleteFrom('env_vars').where('app_id', '=', appId).execute();
            await trx.deleteFrom('deployments').where('app_id', '=', appId).execute();
            await trx.deleteFrom('traffic_splits').where('app_id', '=', appId).execute();
            await trx.deleteFrom('cron_runs').where('app_id', '=', appId).execute();
            await trx.deleteFrom('revisions').where('app_id', '=', appId).execute();
            await trx.deleteFrom('app_events').where('app_id', '=', appId).execute();
            await trx.deleteFrom('database_attachments').where('app_id', '=', appId).execute();
            await trx.deleteFrom('app_volumes').where('app_id', '=', appId).execute();
            await trx
              .deleteFrom('app_version_files')
              .where('version_id', 'in', trx.selectFrom('app_versions').select('id').where('app_id', '=', appId))
              .execute();
            await trx.deleteFrom('app_versions').where('app_id', '=', appId).execute();
            const builds = trx.selectFrom('app_builds').select('id').where('app_id', '=', appId);
            await trx.deleteFrom('app_version_files').where('version_id', 'in', builds).execute();
            await trx.deleteFrom('app_build_log_lines').where('build_id', 'in', builds).execute();
            await trx.deleteFrom('app_builds').where('app_id', '=', appId).execute();
            await trx.deleteFrom('apps').where('id', '=', appId).execute();
          }),
        { appId },
      );
    },
  };
}
