// Core nouns on the Apps API's wire (spec 002): snake_case, field by field, enums through the one
// table of dialect words. Secret env values are masked here, at the edge of the system.
import type { AppOverview } from '../../core/apps/app-overview.js';
import type { UsageTotals } from '../../core/apps/app-runtime.js';
import type { InstanceReport } from '../../core/ports/orchestrator.js';
import type { LiveLogLine } from '../../core/ports/telemetry.js';
import type { App } from '../../domain/app.js';
import type { AppEvent } from '../../domain/app-event.js';
import type { AppTemplate } from '../../domain/app-template.js';
import type { Deployment, DeploymentStanding } from '../../domain/deployment.js';
import type { EnvVar } from '../../domain/env-var-record.js';
import { takesHttp } from '../../domain/app-kind-facts.js';
import { appUrl } from '../../domain/names.js';
import type { InstanceUsage } from '../../core/ports/runtime.js';
import { appStatusWords, deploymentStandingWords, instancePhaseWords, sourceTypeWords, triggerWords } from '../dialect-words.js';

export { presentAuditEntry } from './present-audit.js';

export interface UrlSettings {
  baseDomain: string;
  edgePort: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
export const secretMask = '********';

export function presentDeployment(d: Deployment, standing: DeploymentStanding) {
  return {
    id: d.id,
    app_id: d.appId,
    status: deploymentStandingWords.appsV1[standing],
    image: d.imageRef,
    trigger: triggerWords.appsV1[d.triggerType],
    commit_sha: d.gitCommitSha,
    revision: d.revisionName,
    error: d.error,
    created_at: d.createdAt.toISOString(),
    finished_at: iso(d.finishedAt),
  };
}

/** A deployment just made or still in progress: its standing is its status (it serves nothing yet). */
export function presentNewDeployment(d: Deployment) {
  return presentDeployment(d, d.status === 'succeeded' ? 'live' : d.status);
}

export function presentAppSummary(o: Pick<AppOverview, 'app' | 'status' | 'lastDeployedAt' | 'replicas'>, urls: UrlSettings) {
  const app: App = o.app;
  return {
    id: app.id,
    project_id: app.workspaceId,
    name: app.name,
    slug: app.slug,
    source_type: sourceTypeWords.appsV1[app.sourceType],
    image_url: app.imageRef,
    repo_url: app.gitRepoUrl,
    repo_branch: app.gitBranch,
    build_command: app.buildCommand,
    replicas: o.replicas,
    port: app.port,
    status: appStatusWords.appsV1[o.status],
    // A worker or cron app takes no HTTP requests: its hostname only answers that it is not a web app.
    url: takesHttp(app.type) ? appUrl(app.slug, urls.baseDomain, urls.edgePort) : null,
    last_deploy_at: iso(o.lastDeployedAt),
    created_at: app.createdAt.toISOString(),
    updated_at: app.updatedAt.toISOString(),
  };
}

export function presentEnv(env: readonly EnvVar[]): Record<string, string> {
  return Object.fromEntries(env.map((v) => [v.key, v.isSecret ? secretMask : v.value]));
}

export function presentAppDetail(o: AppOverview & { env: EnvVar[] | null }, urls: UrlSettings, started?: Deployment | null) {
  return {
    ...presentAppSummary(o, urls),
    ...(o.env ? { env: presentEnv(o.env) } : {}),
    latest_deployment: o.latestDeployment ? presentNewDeployment(o.latestDeployment) : null,
    ...(started !== undefined ? { deployment: started ? presentNewDeployment(started) : null } : {}),
  };
}

/**
 * A crashed instance waiting out its backoff has no process, as a pod not started yet (Pending,
 * the closest of Kubernetes' phases), with Kubernetes' reason for it and why it crashed.
 */
export function presentPod(i: InstanceReport) {
  if (i.phase === 'restarting') return { name: i.instanceId, phase: 'Pending' as const, ready: false, reason: 'CrashLoopBackOff' as const, message: i.failure ?? 'crashed' };
  return { name: i.instanceId, phase: instancePhaseWords.appsV1[i.phase], ready: i.ready };
}

export function presentPodDetail(i: InstanceReport) {
  return { ...presentPod(i), restarts: i.restarts, started_at: i.startedAt.toISOString(), revision: i.revisionName, node: i.node, serving: i.serving };
}

export const presentLogLine = (l: Pick<LiveLogLine, 'timestamp' | 'instanceId' | 'revisionName' | 'stream' | 'severity' | 'message'>) => ({
  timestamp: l.timestamp.toISOString(),
  pod: l.instanceId,
  revision: l.revisionName,
  stream: l.stream,
  severity: l.severity,
  message: l.message,
});

function presentUsage(u: Pick<InstanceUsage, 'cpuPercent' | 'memoryMi' | 'diskBytes' | 'networkRxBytes' | 'networkTxBytes'> | null | undefined) {
  return {
    cpu_percent: u?.cpuPercent ?? 0,
    memory_mib: u?.memoryMi ?? 0,
    disk_bytes: u?.diskBytes ?? null,
    network_rx_bytes: u?.networkRxBytes ?? null,
    network_tx_bytes: u?.networkTxBytes ?? null,
  };
}

export function presentMetrics(input: { app: App; at: Date; instances: InstanceReport[]; totals: UsageTotals }) {
  return {
    app_id: input.app.id,
    timestamp: input.at.toISOString(),
    ...presentUsage(input.totals),
    pods: input.instances.map((i) => ({ name: i.instanceId, revision: i.revisionName, serving: i.serving, ...presentUsage(i.usage) })),
  };
}

export function presentEvent(e: AppEvent) {
  return {
    type: e.type,
    reason: e.reason,
    message: e.message,
    involved_object: { kind: e.object.kind, name: e.object.name },
    count: e.count,
    first_timestamp: e.firstAt.toISOString(),
    last_timestamp: e.lastAt.toISOString(),
  };
}

export function presentTemplate(t: AppTemplate) {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    source_type: sourceTypeWords.appsV1[t.source.type],
    image_url: t.source.imageRef,
    repo_url: t.source.gitRepoUrl,
    repo_branch: t.source.gitBranch,
    build_command: t.buildCommand,
    port: t.port,
    replicas: t.replicas,
    env: { ...t.env },
    resources: { cpu_millicores: t.resources.cpuMillicores, memory_mib: t.resources.memoryMi },
  };
}
