import { scheduleProblem } from './cron-run.js';
import type { GitProvider } from './git-url.js';
import type { SourceType } from './source-type.js';
import { field, say } from './wording.js';
import type { Phrase } from './wording.js';

export { sourceTypes } from './source-type.js';
export type { SourceType } from './source-type.js';

// The App aggregate: its fields, defaults, ranges and the rules that span fields.
// Pure: callers pass in what they read; the rules return problems, one per field.

export const appTypes = ['web', 'api', 'worker', 'cron'] as const;
export type AppType = (typeof appTypes)[number];

export const appStatuses = ['active', 'deploying', 'failed', 'build_failed', 'disabled', 'stopped'] as const;
export type AppStatus = (typeof appStatuses)[number];

export const visibilities = ['public', 'private'] as const;
export type Visibility = (typeof visibilities)[number];

export const readinessTypes = ['http', 'tcp'] as const;
export type ReadinessType = (typeof readinessTypes)[number];

export const limits = {
  cpuMillicores: { min: 50, max: 32000 },
  memoryMi: { min: 64, max: 131072 },
  diskMi: { min: 16, max: 1048576 },
  port: { min: 1, max: 65535 },
  replicas: { min: 1, max: 10 },
  cpuTarget: { min: 1, max: 100 },
  slugLength: { min: 1, max: 63 },
  nameLength: { min: 1, max: 100 },
  buildCommandLength: { max: 2000 },
} as const;

export const appDefaults = {
  type: 'web' as AppType,
  gitBranch: 'main',
  visibility: 'private' as Visibility,
  autoDeploy: false,
  cpuLimitMillicores: 500,
  memoryLimitMi: 512,
  /** Writable space of each instance (files it adds to or changes in its tree), MiB. */
  diskLimitMi: 1024,
  minReplicas: 1,
  maxReplicas: 1,
  cpuTargetUtilization: 70,
  readinessPath: '/',
  readinessType: 'http' as ReadinessType,
  sessionAffinity: false,
};

export interface App {
  id: string;
  workspaceId: string;
  name: string;
  slug: string;
  description: string | null;
  type: AppType;
  status: AppStatus;
  sourceType: SourceType;
  gitRepoUrl: string | null;
  gitBranch: string;
  /** GITHUB | GITLAB | BITBUCKET from the repository's host, or as the client set it; null for other hosts. */
  gitProvider: GitProvider | null;
  gitInstallationId: string | null;
  imageRef: string | null;
  imageRegistryAuthRef: string | null;
  dockerfilePath: string | null;
  autoDeploy: boolean;
  releaseCommand: string | null;
  visibility: Visibility;
  cpuLimitMillicores: number;
  memoryLimitMi: number;
  /** Writable space of each instance: what it may add to or change in its tree, MiB. */
  diskLimitMi: number;
  minReplicas: number;
  maxReplicas: number;
  cpuTargetUtilization: number;
  /** Cron expression for `cron` apps. */
  schedule: string | null;
  /**
   * Port the app says it listens on; null: it follows PORT. Inside a network namespace PORT is
   * this port; an app found listening elsewhere is served there (see the runtime port).
   */
  port: number | null;
  /** Replaces the build step of the detected plan (git and upload sources); null: as detected. */
  buildCommand: string | null;
  /** HTTP path of the readiness probe (web/api apps). */
  readinessPath: string;
  /** `http`: GET readinessPath answers below 500; `tcp`: the port accepts a connection. */
  readinessType: ReadinessType;
  /**
   * The edge sends a browser's requests to the instance that answered its first one (a cookie),
   * for apps that keep per-connection state in memory (socket.io's polling transport).
   */
  sessionAffinity: boolean;
  /** Replicas set by scale (0 stops the app); null: minReplicas. */
  replicas: number | null;
  /** The app version (spec 003) that deploys build and previews default to; null: none yet. */
  defaultVersionId: string | null;
  /** The Node.js major the app's builds and previews ask for (spec 003 `config.nodeVersion`); null: the machine's. */
  nodeVersion: string | null;
  /** The key that created the app; null for apps from before it was recorded. */
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

/** The fields a user may set on create or update: the one list every layer derives its copies from. */
export const appSettingKeys = [
  'name',
  'slug',
  'description',
  'type',
  'gitRepoUrl',
  'gitBranch',
  'gitInstallationId',
  'dockerfilePath',
  'autoDeploy',
  'releaseCommand',
  'visibility',
  'cpuLimitMillicores',
  'memoryLimitMi',
  'diskLimitMi',
  'port',
  'minReplicas',
  'maxReplicas',
  'cpuTargetUtilization',
  'schedule',
  'readinessPath',
  'readinessType',
  'sessionAffinity',
  'buildCommand',
] as const satisfies readonly (keyof App)[];
export type AppSettingKey = (typeof appSettingKeys)[number];
export type AppSettings = Pick<App, AppSettingKey>;

/** The settings of an app, copied key by key. */
export function settingsOf(app: AppSettings): AppSettings {
  const settings = {} as Record<AppSettingKey, unknown>;
  for (const key of appSettingKeys) settings[key] = app[key];
  return settings as AppSettings;
}

/** A new app's settings: the defaults, with its name and slug. */
export function defaultSettings(name: string, slug: string): AppSettings {
  return {
    name,
    slug,
    description: null,
    type: appDefaults.type,
    gitRepoUrl: null,
    gitBranch: appDefaults.gitBranch,
    gitInstallationId: null,
    dockerfilePath: null,
    autoDeploy: appDefaults.autoDeploy,
    releaseCommand: null,
    visibility: appDefaults.visibility,
    cpuLimitMillicores: appDefaults.cpuLimitMillicores,
    memoryLimitMi: appDefaults.memoryLimitMi,
    diskLimitMi: appDefaults.diskLimitMi,
    port: null,
    minReplicas: appDefaults.minReplicas,
    maxReplicas: appDefaults.maxReplicas,
    cpuTargetUtilization: appDefaults.cpuTargetUtilization,
    schedule: null,
    readinessPath: appDefaults.readinessPath,
    readinessType: appDefaults.readinessType,
    sessionAffinity: appDefaults.sessionAffinity,
    buildCommand: null,
  };
}

/** Replicas the app asks for per serving revision: what scale set, else minReplicas (0: stopped). */
export function requestedReplicas(app: Pick<App, 'replicas' | 'minReplicas'>): number {
  return app.replicas ?? app.minReplicas;
}

/**
 * Slugs that would shadow a fixed route or host of a dialect: `/workspaces/{ws}/apps/stats` (000),
 * `/api/apps/preview/{sessionId}` (003), and `ingress.{base}`, where custom domains point. An app
 * may not take one; add here any fixed path segment or host a new dialect or the edge introduces.
 */
export const reservedSlugs: ReadonlySet<string> = new Set(['stats', 'preview', 'ingress']);

const slugPattern = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export function slugProblem(slug: string): Phrase | null {
  if (slug.length < limits.slugLength.min || slug.length > limits.slugLength.max) {
    return say`${field('slug')} must be ${limits.slugLength.min}-${limits.slugLength.max} characters`;
  }
  if (!slugPattern.test(slug)) {
    return say`${field('slug')} must contain only lowercase letters, digits and hyphens, and start and end with a letter or digit`;
  }
  if (slug.includes('---')) return say`${field('slug')} must not contain "---" (reserved for tagged revision URLs)`;
  if (reservedSlugs.has(slug)) return say`${field('slug')} "${slug}" is reserved by Berth (it names a fixed route or host); choose another`;
  return null;
}

export const replicasProblem = (replicas: number): Phrase | null =>
  Number.isInteger(replicas) && replicas >= 0 && replicas <= limits.replicas.max
    ? null
    : say`${field('replicas')} must be an integer between 0 and ${limits.replicas.max}`;

function rangeProblem(name: Parameters<typeof field>[0], value: number, range: { min: number; max: number }): Phrase | null {
  return Number.isInteger(value) && value >= range.min && value <= range.max
    ? null
    : say`${field(name)} must be an integer between ${range.min} and ${range.max}`;
}

/** Every rule an app's settings must satisfy as a whole, as one problem per field. */
export function appSettingsProblems(settings: AppSettings): Phrase[] {
  const problems = [
    settings.name.trim() === '' ? say`${field('name')} must not be empty` : null,
    slugProblem(settings.slug),
    rangeProblem('cpuLimitMillicores', settings.cpuLimitMillicores, limits.cpuMillicores),
    rangeProblem('memoryLimitMi', settings.memoryLimitMi, limits.memoryMi),
    rangeProblem('diskLimitMi', settings.diskLimitMi, limits.diskMi),
    settings.port === null ? null : rangeProblem('port', settings.port, limits.port),
    rangeProblem('minReplicas', settings.minReplicas, limits.replicas),
    rangeProblem('maxReplicas', settings.maxReplicas, limits.replicas),
    rangeProblem('cpuTargetUtilization', settings.cpuTargetUtilization, limits.cpuTarget),
    settings.maxReplicas < settings.minReplicas ? say`${field('maxReplicas')} must be greater than or equal to ${field('minReplicas')}` : null,
    settings.schedule ? scheduleProblem(settings.schedule) : null,
    /^\/[\x21-\x7e]{0,500}$/.test(settings.readinessPath) ? null : say`${field('readinessPath')} must be an absolute URL path such as /healthz`,
    settings.dockerfilePath !== null && !isSafeRelativePath(settings.dockerfilePath)
      ? say`${field('dockerfilePath')} must be a relative path inside the repository`
      : null,
    settings.port !== null ? rangeProblem('port', settings.port, limits.port) : null,
    settings.buildCommand !== null && settings.buildCommand.length > limits.buildCommandLength.max
      ? say`${field('buildCommand')} must be at most ${limits.buildCommandLength.max} characters`
      : null,
  ];
  return problems.filter((problem): problem is Phrase => problem !== null);
}

export function isSafeRelativePath(value: string): boolean {
  if (value === '' || value.startsWith('/') || value.includes('\\') || value.includes('\0')) return false;
  return value.split('/').every((part) => part !== '..');
}

/** Why the app cannot be deployed as it is set up, or null: a cron app needs its schedule first. */
export function deployableProblem(app: Pick<App, 'type' | 'schedule'>): Phrase | null {
  return app.type === 'cron' && !app.schedule
    ? say`This cron app has no schedule: set ${field('schedule')} to a cron expression (e.g. "*/5 * * * *") and deploy again`
    : null;
}
