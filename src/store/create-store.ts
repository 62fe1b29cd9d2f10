// Builds the core's Store from an opened database.
import type { Kysely } from 'kysely';
import type { SecretBox } from '../core/ports/secret-box.js';
import type { Store } from '../core/ports/store.js';
import { apiKeyRepository } from './repositories/api-key-repository.js';
import { cachedApiKeys } from './repositories/cached-api-keys.js';
import { cronRunRepository } from './repositories/cron-run-repository.js';
import { appRepository } from './repositories/app-repository.js';
import { appPageRepository } from './repositories/app-page-repository.js';
import { appVersionRepository } from './repositories/app-version-repository.js';
import { versionFileRepository } from './repositories/version-file-repository.js';
import { previewSessionRepository } from './repositories/preview-session-repository.js';
import { auditRepository } from './repositories/audit-repository.js';
import { deploymentRepository } from './repositories/deployment-repository.js';
import { domainRepository } from './repositories/domain-repository.js';
import { envVarRepository } from './repositories/env-var-repository.js';
import { revisionRepository } from './repositories/revision-repository.js';
import { shareRepository } from './repositories/share-repository.js';
import { trafficRepository } from './repositories/traffic-repository.js';
import { workspaceRepository } from './repositories/workspace-repository.js';
import { activityRepository } from './repositories/activity-repository.js';
import { alertRepository } from './repositories/alert-repository.js';
import { logRepository } from './repositories/log-repository.js';
import { metricRepository } from './repositories/metric-repository.js';
import { buildJobRepository } from './repositories/build-job-repository.js';
import { buildLogRepository } from './repositories/build-log-repository.js';
import { appBuildRepository } from './repositories/app-build-repository.js';
import { appBuildLogRepository } from './repositories/app-build-log-repository.js';
import { uploadRepository } from './repositories/upload-repository.js';
import { webhookRepository } from './repositories/webhook-repository.js';
import { eventRepository } from './repositories/event-repository.js';
import { registryCredentialRepository } from './repositories/registry-credential-repository.js';
import { databaseRepository } from './repositories/database-repository.js';
import { volumeRepository } from './repositories/volume-repository.js';
import type { Database } from './schema.js';

export function createStore(db: Kysely<Database>, box: SecretBox): Store {
  let appWrites = 0;
  const apps = appRepository(db, () => (appWrites += 1));
  return {
    workspaces: workspaceRepository(db),
    apiKeys: cachedApiKeys(apiKeyRepository(db)),
    registryCredentials: registryCredentialRepository(db, box),
    apps,
    appPages: appPageRepository(db, { writes: () => appWrites, live: apps.catalog }),
    appVersions: appVersionRepository(db),
    versionFiles: versionFileRepository(db),
    previewSessions: previewSessionRepository(db),
    shares: shareRepository(db, box),
    domains: domainRepository(db),
    envVars: envVarRepository(db, box),
    deployments: deploymentRepository(db),
    audit: auditRepository(db),
    revisions: revisionRepository(db, box),
    traffic: trafficRepository(db),
    cronRuns: cronRunRepository(db),
    logs: logRepository(db),
    metrics: metricRepository(db),
    alerts: alertRepository(db),
    activity: activityRepository(db),
    builds: buildJobRepository(db),
    buildLogs: buildLogRepository(db),
    appBuilds: appBuildRepository(db),
    appBuildLogs: appBuildLogRepository(db),
    uploads: uploadRepository(db),
    webhooks: webhookRepository(db, box),
    events: eventRepository(db),
    databases: databaseRepository(db, box),
    volumes: volumeRepository(db),
  };
}
