// Everything a use-case may need, as interfaces; main.ts and tests build it with their choices.
import type { IdGenerator } from '../domain/ids.js';
import type { ArtifactPins } from './deploys/artifact-pins.js';
import type { DatabaseProvisioning } from './databases/database-provisioning.js';
import type { DeploymentSignals } from './deploys/deployment-signals.js';
import type { Builder, BuildLogHub, BuildQueue } from './ports/builds.js';
import type { Clock } from './ports/clock.js';
import type { DatabaseEngines, VolumeKeeper } from './ports/databases.js';
import type { DnsResolver } from './ports/dns.js';
import type { EventSink } from './ports/events.js';
import type { ContainerImages } from './ports/images.js';
import type { Orchestrator } from './ports/orchestrator.js';
import type { PreviewEngine, PreviewSettings, PreviewTraffic } from './ports/previews.js';
import type { Store } from './ports/store.js';
import type { Telemetry, TelemetrySettings } from './ports/telemetry.js';

export interface CoreSettings {
  baseDomain: string;
  /** The port in app URLs (the TLS port when they are https). */
  edgePort: number;
  edgeScheme: 'http' | 'https';
  /** The edge has a TLS listener, so verified custom domains get certificates. */
  edgeTls: boolean;
  /** Present when the operator configured Harbor (spec 000). */
  harborProject: string | null;
  /** How long a new revision may take to become ready before its deploy fails. */
  readyTimeoutMs: number;
  /** Prices for the overview's cost estimate, and the /metrics token. */
  monitoring: TelemetrySettings;
  /** Builds and uploads (issue 4). */
  builds: BuildSettings;
  /** Managed databases (issue 15). */
  databases: DatabaseSettings;
  /** Preview sessions (spec 003). */
  previews: PreviewSettings;
}

export interface DatabaseSettings {
  /** statement_timeout of the query endpoint. */
  queryTimeoutMs: number;
  /** The server's cap on rows a query returns, whatever maxRows asks. */
  maxQueryRows: number;
  /** Backups kept per database (the newest). */
  backupKeep: number;
}

export interface BuildSettings {
  /** Accept http:// and hosts on loopback, private or link-local networks as git sources. */
  allowPrivateNetworks: boolean;
  maxUploadBytes: number;
  uploadUrlTtlMs: number;
  /** Base of presigned upload URLs; null: the scheme and host the client used. */
  publicUrl: string | null;
  /** Bounds of an app version's file tree (spec 003). */
  versionFiles: { maxFileBytes: number; maxFiles: number; maxTreeBytes: number };
  /** BERTH_KEEP_REVISIONS: per app, the newest revisions (and builds) whose artifacts are kept. */
  keepRevisions: number;
}

export interface Deps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  dns: DnsResolver;
  orchestrator: Orchestrator;
  settings: CoreSettings;
  telemetry: Telemetry;
  /** Sources, builds, artifacts and the build queue (issue 4). */
  builder: Builder;
  buildQueue: BuildQueue;
  buildLogs: BuildLogHub;
  /** Log lines of app builds (spec 003), kept apart from deployments' build logs. */
  appBuildLogs: BuildLogHub;
  /** In-flight deployments by app, so deleting an app stops them all. */
  signals: DeploymentSignals;
  /** Artifacts, trees and uploads deploys are using before the store says so, spared by prunes. */
  pins: ArtifactPins;
  /** What happens to apps, told as Kubernetes-style events (issue 13). */
  events: EventSink;
  /** Image pulls for IMAGE deploys; null without a container engine (BERTH_RUNTIME=process). */
  images: ContainerImages | null;
  /** The servers of managed databases (issue 15). */
  databaseEngines: DatabaseEngines;
  /** Provisioning of databases in flight, this Berth's own. */
  provisioning: DatabaseProvisioning;
  /** Persistent volumes' bytes (removed when their app is purged). */
  volumes: VolumeKeeper;
  /** Dev servers of app versions (spec 003's preview sessions). */
  previews: PreviewEngine;
  /** How recently the edge carried traffic to each preview host, so the idle sweep spares sessions in use. */
  previewTraffic: PreviewTraffic;
}
