// Managed databases (client-contract.md, issue 15): engines, the provisioning states a client
// sees, their resources, and the rules their inputs must meet. No I/O.
export const databaseEngines = ['POSTGRES', 'REDIS', 'SQLITE'] as const;
export type DatabaseEngine = (typeof databaseEngines)[number];

/** `provisioning` until the server answers (SQLITE at once), then `running`; `failed` says why. */
export const databaseStatuses = ['provisioning', 'running', 'failed'] as const;
export type DatabaseStatus = (typeof databaseStatuses)[number];

export const databaseLimits = {
  storageGb: { min: 1, max: 1024 },
  cpuMillicores: { min: 50, max: 32000 },
  memoryMi: { min: 64, max: 131072 },
  maxRows: { min: 1, max: 50_000 },
} as const;

export const databaseDefaults = {
  storageGb: { POSTGRES: 10, REDIS: 10, SQLITE: 1 } satisfies Record<DatabaseEngine, number>,
  cpuMillicores: 500,
  memoryMi: 512,
  /** Where an attached SQLITE volume appears in the app (client-contract.md). */
  sqliteMountPath: '/var/lib/dooor/sqlite',
} as const;

/**
 * Servers listen on a unix socket in this directory of their volume; attached apps get it mounted
 * where the connection's host (a path) says, so only they can reach the server.
 */
export const serverSocketSubPath = 'run';

/** The variable an attachment injects the connection through. */
export const connectionEnvKey: Record<DatabaseEngine, string> = { POSTGRES: 'DATABASE_URL', REDIS: 'REDIS_URL', SQLITE: 'DATABASE_URL' };

export interface DatabaseResources {
  cpuMillicores: number;
  memoryMi: number;
  storageGb: number;
  storageClass: string | null;
  highAvailability: boolean;
}

/** How attached apps and Berth reach the server (SQLITE: a file in the mounted volume). */
export interface DatabaseConnection {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
}

export interface ManagedDatabase {
  id: string;
  workspaceId: string;
  projectId: string | null;
  name: string;
  slug: string;
  engine: DatabaseEngine;
  version: string;
  status: DatabaseStatus;
  /** Why provisioning failed, when it did. */
  statusMessage: string | null;
  resources: DatabaseResources;
  /** Null until the engine has provisioned it. */
  connection: DatabaseConnection | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DatabaseAttachment {
  databaseId: string;
  appId: string;
  /** SQLITE: where its volume is mounted in the app; null for servers. */
  mountPath: string | null;
  /** The secret env var of the app that carries the connection string. */
  envKey: string;
  createdAt: Date;
}

/** `"250m"` → 250, `"1"` → 1000, `"0.5"` → 500; null when it is no cpu quantity. */
export function parseCpu(text: string): number | null {
  const milli = /^(\d{1,6})m$/.exec(text);
  if (milli) return Number(milli[1]);
  if (!/^\d{1,3}(\.\d{1,3})?$/.test(text)) return null;
  return Math.round(Number(text) * 1000);
}

const memoryUnits: Record<string, number> = { Mi: 1, Gi: 1024, M: 1, G: 1024 };

/** `"512Mi"` → 512, `"1Gi"` → 1024; null when it is no memory quantity. */
export function parseMemory(text: string): number | null {
  const match = /^(\d{1,6})(Mi|Gi|M|G)$/.exec(text);
  if (!match?.[1] || !match[2]) return null;
  return Number(match[1]) * (memoryUnits[match[2]] ?? 1);
}

export const formatCpu = (millicores: number): string => (millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`);
export const formatMemory = (mi: number): string => (mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`);

export interface DatabaseRequest {
  engine: DatabaseEngine;
  cpu?: string | undefined;
  memory?: string | undefined;
  storageGb?: number | undefined;
  highAvailability?: boolean | undefined;
}

/** Every problem of the request's resources, each naming its field; the resources when none. */
export function databaseResources(input: DatabaseRequest, storageClass: string | null): { problems: string[]; resources: DatabaseResources } {
  const problems: string[] = [];
  const cpu = input.cpu === undefined ? databaseDefaults.cpuMillicores : parseCpu(input.cpu);
  const { cpuMillicores: c, memoryMi: m, storageGb: s } = databaseLimits;
  if (cpu === null || cpu < c.min || cpu > c.max) problems.push(`cpu must be a cpu quantity from "${c.min}m" to "${c.max / 1000}" (like "250m" or "1")`);
  const memory = input.memory === undefined ? databaseDefaults.memoryMi : parseMemory(input.memory);
  if (memory === null || memory < m.min || memory > m.max) problems.push(`memory must be a memory quantity from "${m.min}Mi" to "${m.max / 1024}Gi" (like "512Mi" or "1Gi")`);
  const storageGb = input.storageGb ?? databaseDefaults.storageGb[input.engine];
  if (!Number.isInteger(storageGb) || storageGb < s.min || storageGb > s.max) problems.push(`storageGb must be an integer from ${s.min} to ${s.max}`);
  if (input.highAvailability && input.engine !== 'POSTGRES') problems.push('highAvailability is available for POSTGRES only');
  return {
    problems,
    resources: { cpuMillicores: cpu ?? 0, memoryMi: memory ?? 0, storageGb, storageClass, highAvailability: input.highAvailability ?? false },
  };
}

/** A mount path an app may be given: absolute, normalised, outside the system's own directories. */
export function mountPathProblem(path: string): string | null {
  const reserved = ['/usr', '/etc', '/proc', '/dev', '/lib', '/lib64', '/bin', '/sbin', '/sys', '/tmp'];
  const normal = path.length <= 500 && /^(\/[A-Za-z0-9._-]+)+$/.test(path) && !path.split('/').some((part) => part === '.' || part === '..');
  if (!normal) return 'mountPath must be an absolute path of letters, digits, ".", "_" and "-" segments';
  if (reserved.some((dir) => path === dir || path.startsWith(`${dir}/`))) return `mountPath must not be inside ${reserved.join(', ')}`;
  return null;
}

/** The string an attached app is given (SQLITE: the file in its mounted volume). */
export function connectionUri(engine: DatabaseEngine, connection: DatabaseConnection, mountPath: string | null): string {
  const user = encodeURIComponent(connection.username);
  const password = encodeURIComponent(connection.password);
  switch (engine) {
    case 'POSTGRES':
      // A socket directory is the host, URL-encoded (libpq and node-postgres read it so).
      return `postgresql://${user}:${password}@${connection.host.startsWith('/') ? encodeURIComponent(connection.host) : connection.host}:${connection.port}/${encodeURIComponent(connection.database)}`;
    case 'REDIS':
      // On a unix socket (what Berth's servers listen on), in the form go-redis and redis-py read.
      return connection.host.startsWith('/')
        ? `unix://${user}:${password}@${connection.host}/redis.sock?db=${encodeURIComponent(connection.database)}`
        : `redis://${user}:${password}@${connection.host}:${connection.port}/${encodeURIComponent(connection.database)}`;
    case 'SQLITE':
      return `file:${mountPath ?? databaseDefaults.sqliteMountPath}/db.sqlite`;
  }
}
