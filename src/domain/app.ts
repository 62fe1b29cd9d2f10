import { scheduleProblem } from './cron-run.js';

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

export const sourceTypes = ['GIT', 'UPLOAD', 'IMAGE'] as const;
export type SourceType = (typeof sourceTypes)[number];

export const limits = {
  cpuMillicores: { min: 50, max: 32000 },
  memoryMi: { min: 64, max: 131072 },
  replicas: { min: 1, max: 10 },
  cpuTarget: { min: 1, max: 100 },
  slugLength: { min: 1, max: 63 },
  nameLength: { min: 1, max: 100 },
} as const;

export const appDefaults = {
  type: 'web' as AppType,
  gitBranch: 'main',
  visibility: 'private' as Visibility,
  autoDeploy: false,
  cpuLimitMillicores: 500,
  memoryLimitMi: 512,
  minReplicas: 1,
  maxReplicas: 1,
  cpuTargetUtilization: 70,
  readinessPath: '/',
  readinessType: 'http' as ReadinessType,
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
  gitProvider: string | null;
  gitInstallationId: string | null;
  imageRef: string | null;
  imageRegistryAuthRef: string | null;
  dockerfilePath: string | null;
  autoDeploy: boolean;
  releaseCommand: string | null;
  visibility: Visibility;
  cpuLimitMillicores: number;
  memoryLimitMi: number;
  minReplicas: number;
  maxReplicas: number;
  cpuTargetUtilization: number;
  /** Cron expression for `cron` apps. */
  schedule: string | null;
  /** Port the app listens on; null: Berth assigns one through PORT. */
  port: number | null;
  /** HTTP path of the readiness probe (web/api apps). */
  readinessPath: string;
  /** `http`: GET readinessPath answers below 500; `tcp`: the port accepts a connection. */
  readinessType: ReadinessType;
  /** Replicas set by scale (0 stops the app); null: minReplicas. */
  replicas: number | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

/** The fields a user may set on create or update. */
export type AppSettings = Pick<
  App,
  | 'name'
  | 'slug'
  | 'description'
  | 'type'
  | 'gitRepoUrl'
  | 'gitBranch'
  | 'gitInstallationId'
  | 'dockerfilePath'
  | 'autoDeploy'
  | 'releaseCommand'
  | 'visibility'
  | 'cpuLimitMillicores'
  | 'memoryLimitMi'
  | 'minReplicas'
  | 'maxReplicas'
  | 'cpuTargetUtilization'
  | 'schedule'
  | 'readinessPath'
  | 'readinessType'
>;

const slugPattern = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export function slugProblem(slug: string): string | null {
  if (slug.length < limits.slugLength.min || slug.length > limits.slugLength.max) {
    return `slug must be ${limits.slugLength.min}-${limits.slugLength.max} characters`;
  }
  if (!slugPattern.test(slug)) {
    return 'slug must contain only lowercase letters, digits and hyphens, and start and end with a letter or digit';
  }
  if (slug.includes('---')) return 'slug must not contain "---" (reserved for tagged revision URLs)';
  return null;
}

function rangeProblem(field: string, value: number, range: { min: number; max: number }): string | null {
  return Number.isInteger(value) && value >= range.min && value <= range.max
    ? null
    : `${field} must be an integer between ${range.min} and ${range.max}`;
}

/** Every rule an app's settings must satisfy as a whole, as one problem per field. */
export function appSettingsProblems(settings: AppSettings): string[] {
  const problems = [
    settings.name.trim() === '' ? 'name must not be empty' : null,
    slugProblem(settings.slug),
    rangeProblem('cpuLimitMillicores', settings.cpuLimitMillicores, limits.cpuMillicores),
    rangeProblem('memoryLimitMi', settings.memoryLimitMi, limits.memoryMi),
    rangeProblem('minReplicas', settings.minReplicas, limits.replicas),
    rangeProblem('maxReplicas', settings.maxReplicas, limits.replicas),
    rangeProblem('cpuTargetUtilization', settings.cpuTargetUtilization, limits.cpuTarget),
    settings.maxReplicas < settings.minReplicas ? 'maxReplicas must be greater than or equal to minReplicas' : null,
    settings.type === 'cron' && !settings.schedule ? 'schedule is required for cron apps' : null,
    settings.schedule ? scheduleProblem(settings.schedule) : null,
    /^\/[\x21-\x7e]{0,500}$/.test(settings.readinessPath) ? null : 'readinessPath must be an absolute URL path such as /healthz',
    settings.dockerfilePath !== null && !isSafeRelativePath(settings.dockerfilePath)
      ? 'dockerfilePath must be a relative path inside the repository'
      : null,
  ];
  return problems.filter((problem): problem is string => problem !== null);
}

export function isSafeRelativePath(value: string): boolean {
  if (value === '' || value.startsWith('/') || value.includes('\\') || value.includes('\0')) return false;
  return value.split('/').every((part) => part !== '..');
}
