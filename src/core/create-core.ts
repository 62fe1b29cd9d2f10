// The core as the API layers see it: every use-case bound to its dependencies.
import { getAppSource, setAppSource } from './apps/app-source.js';
import { appStats, createApp, deleteApp, getApp, listApps, replicasNow, updateApp } from './apps/manage-apps.js';
import { listCronRuns } from './apps/list-cron-runs.js';
import { pipelineState } from './apps/pipeline-state.js';
import type { Deps } from './deps.js';
import { getOverview } from './monitoring/get-overview.js';
import { listAlerts, resolveAlert } from './monitoring/manage-alerts.js';
import { getAppHealth, getAppMetrics } from './monitoring/read-app-monitoring.js';
import { missedLogs, queryLogs, tailLogs } from './monitoring/read-logs.js';
import { scrapeMetrics } from './monitoring/scrape-metrics.js';
import { addDomain, listDomains, removeDomain, verifyDomain } from './domains/manage-domains.js';
import { deleteEnvVar, listEnvVars, setEnvVar, setEnvVars } from './env-vars/manage-env-vars.js';
import { authenticate, keyWorkspace } from './keys/authenticate.js';
import { createKey, deleteKey, listKeys } from './keys/manage-keys.js';
import { createRegistryCredential, deleteRegistryCredential, listRegistryCredentials } from './registry-credentials/manage-registry-credentials.js';
import { whoami } from './keys/whoami.js';
import { createShare, listShares, revokeShare } from './shares/manage-shares.js';
import { listDataProducts } from './workspaces/list-data-products.js';
import { deployArtifact } from './revisions/deploy-artifact.js';
import { listRevisions, promoteRevision, setTraffic } from './revisions/manage-traffic.js';
import { deploymentRuntimeStatus } from './revisions/runtime-status.js';
import { scaleApp } from './revisions/scale-app.js';
import { getDeployment } from './revisions/get-deployment.js';
import { followBuildLogs, getBuildLogs } from './deploys/build-logs.js';
import { cancelDeployment } from './deploys/cancel-deployment.js';
import { listDeployments } from './deploys/list-deployments.js';
import { rollbackDeployment, syncEnvVars } from './deploys/redeploy.js';
import { runDeployment } from './deploys/run-deployment.js';
import { triggerDeploy } from './deploys/trigger-deploy.js';
import { completeUpload, initUpload, receiveUpload } from './deploys/uploads.js';
import { createWebhookSecret, receivePush } from './deploys/webhooks.js';
import { launchApp } from './apps/launch-app.js';
import { changeApp } from './apps/change-app.js';
import { describeApp, listAppOverviews } from './apps/app-overview.js';
import { appInstances, appRuntime, appUsage } from './apps/app-runtime.js';
import { listTemplates } from './apps/list-templates.js';
import { listAppAudit } from './audit/list-audit.js';
import { listDatabaseAudit } from './databases/database-audit.js';
import { latestBuildLog } from './deploys/build-logs.js';
import { buildUpload } from './deploys/build-upload.js';
import { deploymentHistory, revertDeployment } from './deploys/deployment-history.js';
import { redeployApp } from './deploys/redeploy-app.js';
import { listAppEvents } from './events/list-events.js';
import { followAppLog, tailAppLog } from './monitoring/read-logs.js';
import { restartApp } from './revisions/restart-app.js';
import { createDatabase, databaseConnection, databaseStatus, deleteDatabase, getDatabase, listDatabases, restartDatabase } from './databases/manage-databases.js';
import { attachDatabase, detachDatabase, listAppDatabases, listDatabaseAttachments } from './databases/attach-database.js';
import { queryDatabase } from './databases/query-database.js';
import { listBackups, restoreBackup, takeBackup } from './databases/database-backups.js';
import { createVolume, listVolumes } from './apps/manage-volumes.js';
import { pageApps } from './apps/page-apps.js';
import { createDraftApp } from './apps/create-draft-app.js';
import { restoreApp } from './apps/restore-app.js';
import { appsWithEnv } from './env-vars/apps-with-env.js';
import { getAppDomain, removeAppDomain, setAppDomain } from './domains/app-domain.js';
import { deleteBuildEnv, listBuildEnv, setBuildEnv } from './env-vars/build-env-vars.js';
import { deleteVersionFile, listVersionFiles, readVersionFile, writeVersionFile } from './versions/version-files.js';
import { createVersion, listVersions } from './versions/manage-versions.js';
import { buildVersion, startBuild } from './builds/start-build.js';
import { cancelAppBuild } from './builds/cancel-build.js';
import { runAppBuild } from './builds/run-app-build.js';
import { followAppBuildLog, getAppBuild, getAppBuildLog, listAppBuilds } from './builds/read-builds.js';
import { deployAppBuild, deployLatestBuild } from './builds/deploy-build.js';
import { appBuildJobs } from './builds/app-build-jobs.js';
import { getNumberedDeployment, listNumberedDeployments } from './deploys/numbered-deployments.js';
import { startPreview } from './previews/start-preview.js';
import { getPreview, keepPreviewAlive, stopPreview } from './previews/manage-previews.js';

type Bound<F> = F extends (deps: never, input: infer I) => infer R ? (input: I) => R : never;

function bind<F extends (deps: Deps, input: never) => unknown>(deps: Deps, useCase: F): Bound<F> {
  return ((input: never) => useCase(deps, input)) as Bound<F>;
}

export function createCore(deps: Deps) {
  return {
    settings: deps.settings,
    authenticate: bind(deps, authenticate),
    keyWorkspace: (plainKey: string) => keyWorkspace(deps, plainKey),
    whoami: bind(deps, whoami),
    listDataProducts: bind(deps, listDataProducts),
    listKeys: bind(deps, listKeys),
    createKey: bind(deps, createKey),
    deleteKey: bind(deps, deleteKey),
    createRegistryCredential: bind(deps, createRegistryCredential),
    listRegistryCredentials: bind(deps, listRegistryCredentials),
    deleteRegistryCredential: bind(deps, deleteRegistryCredential),
    createApp: bind(deps, createApp),
    listApps: bind(deps, listApps),
    getApp: bind(deps, getApp),
    replicasNow: bind(deps, replicasNow),
    updateApp: bind(deps, updateApp),
    deleteApp: bind(deps, deleteApp),
    appStats: bind(deps, appStats),
    pipelineState: bind(deps, pipelineState),
    getAppSource: bind(deps, getAppSource),
    setAppSource: bind(deps, setAppSource),
    createShare: bind(deps, createShare),
    listShares: bind(deps, listShares),
    revokeShare: bind(deps, revokeShare),
    addDomain: bind(deps, addDomain),
    listDomains: bind(deps, listDomains),
    removeDomain: bind(deps, removeDomain),
    verifyDomain: bind(deps, verifyDomain),
    listEnvVars: bind(deps, listEnvVars),
    setEnvVar: bind(deps, setEnvVar),
    setEnvVars: bind(deps, setEnvVars),
    deleteEnvVar: bind(deps, deleteEnvVar),
    deployArtifact: bind(deps, deployArtifact),
    listRevisions: bind(deps, listRevisions),
    setTraffic: bind(deps, setTraffic),
    promoteRevision: bind(deps, promoteRevision),
    scaleApp: bind(deps, scaleApp),
    deploymentRuntimeStatus: bind(deps, deploymentRuntimeStatus),
    getDeployment: bind(deps, getDeployment),
    listCronRuns: bind(deps, listCronRuns),
    queryLogs: bind(deps, queryLogs),
    tailLogs: bind(deps, tailLogs),
    missedLogs: bind(deps, missedLogs),
    getAppMetrics: bind(deps, getAppMetrics),
    getAppHealth: bind(deps, getAppHealth),
    listAlerts: bind(deps, listAlerts),
    resolveAlert: bind(deps, resolveAlert),
    getOverview: bind(deps, getOverview),
    scrapeMetrics: bind(deps, scrapeMetrics),
    triggerDeploy: bind(deps, triggerDeploy),
    runDeployment: bind(deps, runDeployment),
    listDeployments: bind(deps, listDeployments),
    getBuildLogs: bind(deps, getBuildLogs),
    followBuildLogs: bind(deps, followBuildLogs),
    cancelDeployment: bind(deps, cancelDeployment),
    rollbackDeployment: bind(deps, rollbackDeployment),
    syncEnvVars: bind(deps, syncEnvVars),
    initUpload: bind(deps, initUpload),
    receiveUpload: bind(deps, receiveUpload),
    completeUpload: bind(deps, completeUpload),
    createWebhookSecret: bind(deps, createWebhookSecret),
    receivePush: bind(deps, receivePush),
    launchApp: bind(deps, launchApp),
    changeApp: bind(deps, changeApp),
    listAppOverviews: bind(deps, listAppOverviews),
    describeApp: bind(deps, describeApp),
    appRuntime: bind(deps, appRuntime),
    appInstances: bind(deps, appInstances),
    appUsage: bind(deps, appUsage),
    restartApp: bind(deps, restartApp),
    redeployApp: bind(deps, redeployApp),
    buildUpload: bind(deps, buildUpload),
    deploymentHistory: bind(deps, deploymentHistory),
    revertDeployment: bind(deps, revertDeployment),
    latestBuildLog: bind(deps, latestBuildLog),
    tailAppLog: bind(deps, tailAppLog),
    followAppLog: bind(deps, followAppLog),
    listAppEvents: bind(deps, listAppEvents),
    listAppAudit: bind(deps, listAppAudit),
    listTemplates: bind(deps, listTemplates),
    createDatabase: bind(deps, createDatabase),
    listDatabases: bind(deps, listDatabases),
    getDatabase: bind(deps, getDatabase),
    databaseStatus: bind(deps, databaseStatus),
    databaseConnection: bind(deps, databaseConnection),
    deleteDatabase: bind(deps, deleteDatabase),
    restartDatabase: bind(deps, restartDatabase),
    attachDatabase: bind(deps, attachDatabase),
    detachDatabase: bind(deps, detachDatabase),
    listAppDatabases: bind(deps, listAppDatabases),
    listDatabaseAttachments: bind(deps, listDatabaseAttachments),
    queryDatabase: bind(deps, queryDatabase),
    listBackups: bind(deps, listBackups),
    takeBackup: bind(deps, takeBackup),
    restoreBackup: bind(deps, restoreBackup),
    listDatabaseAudit: bind(deps, listDatabaseAudit),
    createVolume: bind(deps, createVolume),
    listVolumes: bind(deps, listVolumes),
    pageApps: bind(deps, pageApps),
    createDraftApp: bind(deps, createDraftApp),
    restoreApp: bind(deps, restoreApp),
    appsWithEnv: bind(deps, appsWithEnv),
    getAppDomain: bind(deps, getAppDomain),
    setAppDomain: bind(deps, setAppDomain),
    removeAppDomain: bind(deps, removeAppDomain),
    listBuildEnv: bind(deps, listBuildEnv),
    setBuildEnv: bind(deps, setBuildEnv),
    deleteBuildEnv: bind(deps, deleteBuildEnv),
    listVersionFiles: bind(deps, listVersionFiles),
    readVersionFile: bind(deps, readVersionFile),
    writeVersionFile: bind(deps, writeVersionFile),
    deleteVersionFile: bind(deps, deleteVersionFile),
    listVersions: bind(deps, listVersions),
    createVersion: bind(deps, createVersion),
    startBuild: bind(deps, startBuild),
    buildVersion: bind(deps, buildVersion),
    runAppBuild: bind(deps, runAppBuild),
    appBuildJobs: appBuildJobs(deps),
    listAppBuilds: bind(deps, listAppBuilds),
    getAppBuild: bind(deps, getAppBuild),
    getAppBuildLog: bind(deps, getAppBuildLog),
    followAppBuildLog: bind(deps, followAppBuildLog),
    cancelAppBuild: bind(deps, cancelAppBuild),
    deployAppBuild: bind(deps, deployAppBuild),
    deployLatestBuild: bind(deps, deployLatestBuild),
    listNumberedDeployments: bind(deps, listNumberedDeployments),
    getNumberedDeployment: bind(deps, getNumberedDeployment),
    startPreview: bind(deps, startPreview),
    getPreview: bind(deps, getPreview),
    keepPreviewAlive: bind(deps, keepPreviewAlive),
    stopPreview: bind(deps, stopPreview),
  };
}

export type Core = ReturnType<typeof createCore>;
