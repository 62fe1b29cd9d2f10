// Apps on the wire (spec 000): field by field, never a spread of the record.
import type { App } from '../../../domain/app.js';
import type { Deployment } from '../../../domain/deployment.js';
import { takesHttp } from '../../../domain/app-kind-facts.js';
import { appUrl, type EdgeScheme } from '../../../domain/names.js';
import { appStatusWords, deploymentStatusWords, sourceTypeWords } from '../../dialect-words.js';

export interface UrlSettings {
  baseDomain: string;
  edgePort: number;
  edgeScheme: EdgeScheme;
}

/** What a custom domain's answer needs beyond its URL: whether this edge issues certificates at all. */
export interface DomainSettings extends UrlSettings {
  edgeTls: boolean;
}

export function presentAppSummary(app: App, urls: UrlSettings) {
  return {
    id: app.id,
    name: app.name,
    slug: app.slug,
    status: appStatusWords.dooor[app.status],
    type: app.type,
    // Nothing routes to a worker or cron app: no URL, as the Apps API and REST dialects say too.
    url: takesHttp(app.type) ? appUrl(app.slug, urls.baseDomain, urls.edgePort, urls.edgeScheme) : null,
    gitRepoUrl: app.gitRepoUrl,
    gitBranch: app.gitBranch,
    createdAt: app.createdAt.toISOString(),
  };
}

export function presentLatestDeployment(deployment: Deployment | null) {
  return deployment
    ? {
        id: deployment.id,
        status: deploymentStatusWords.dooor[deployment.status],
        gitCommitSha: deployment.gitCommitSha,
        gitCommitMessage: deployment.gitCommitMessage,
        createdAt: deployment.createdAt.toISOString(),
      }
    : null;
}

/** What only the single-app read adds: the latest deployment, and when a cron app runs next. */
export interface AppReadExtras {
  latestDeployment: Deployment | null;
  nextRunAt: Date | null;
}

/** `replicas`: what the app runs per serving revision now (core.replicasNow), autoscaled or not. */
export function presentApp(app: App, urls: UrlSettings, replicas: number, extras?: AppReadExtras) {
  return {
    ...presentAppSummary(app, urls),
    description: app.description,
    visibility: app.visibility,
    sourceType: sourceTypeWords.dooor[app.sourceType],
    dockerfilePath: app.dockerfilePath,
    autoDeploy: app.autoDeploy,
    releaseCommand: app.releaseCommand,
    cpuLimitMillicores: app.cpuLimitMillicores,
    memoryLimitMi: app.memoryLimitMi,
    diskLimitMi: app.diskLimitMi,
    port: app.port,
    minReplicas: app.minReplicas,
    maxReplicas: app.maxReplicas,
    cpuTargetUtilization: app.cpuTargetUtilization,
    schedule: app.schedule,
    readinessPath: app.readinessPath,
    readinessType: app.readinessType,
    sessionAffinity: app.sessionAffinity,
    replicas,
    gitInstallationId: app.gitInstallationId,
    ...(extras ? { latestDeployment: presentLatestDeployment(extras.latestDeployment), nextRunAt: extras.nextRunAt?.toISOString() ?? null } : {}),
    updatedAt: app.updatedAt.toISOString(),
  };
}

export function presentSource(app: App) {
  return {
    type: sourceTypeWords.dooor[app.sourceType],
    gitRepoUrl: app.gitRepoUrl,
    gitBranch: app.gitBranch,
    gitProvider: app.gitProvider,
    gitInstallationId: app.gitInstallationId,
    imageRef: app.imageRef,
    imageRegistryAuthRef: app.imageRegistryAuthRef,
    dockerfilePath: app.dockerfilePath,
  };
}
