// The one table of the core's enums in each dialect's words. Every row is a Record over the core
// enum, so a new core value does not compile until every dialect that shows the enum names it,
// and a new dialect is added as a column of every row (dialect-words.test.ts checks the rest:
// words are distinct, so requests map back without loss).
//
// Decision (issue 13, see ../shared/notes/dialects.md): the core keeps the values it stores
// (`GIT`, `MANUAL`, `active`, `succeeded`), which were first written for the Dooor dialect.
// Renaming stored values would need a data migration and gain nothing a table cannot give:
// Dooor maps them here like any other dialect, so either side can change alone.
import type { AppStatus, SourceType } from '../domain/app.js';
import type { DeploymentStanding, DeploymentStatus, TriggerType } from '../domain/deployment.js';
import type { InstancePhase } from '../core/ports/orchestrator.js';
import type { DatabaseStatus } from '../domain/database.js';

export const dialects = ['dooor', 'appsV1'] as const;
export type Dialect = (typeof dialects)[number];

type Row<E extends string, D extends Dialect = Dialect> = { readonly [K in D]: Readonly<Record<E, string>> };

export const appStatusWords = {
  dooor: { active: 'active', deploying: 'deploying', failed: 'failed', build_failed: 'build_failed', disabled: 'disabled', stopped: 'stopped' },
  appsV1: { active: 'running', deploying: 'deploying', failed: 'failed', build_failed: 'build_failed', disabled: 'disabled', stopped: 'stopped' },
} as const satisfies Row<AppStatus>;

export const sourceTypeWords = {
  dooor: { GIT: 'GIT', UPLOAD: 'UPLOAD', IMAGE: 'IMAGE' },
  appsV1: { GIT: 'git', UPLOAD: 'upload', IMAGE: 'image' },
} as const satisfies Row<SourceType>;

export const triggerWords = {
  dooor: { MANUAL: 'MANUAL', WEBHOOK: 'WEBHOOK', ROLLBACK: 'ROLLBACK', AUTO_DEPLOY: 'AUTO_DEPLOY', ENV_CHANGE: 'ENV_CHANGE' },
  appsV1: { MANUAL: 'manual', WEBHOOK: 'webhook', ROLLBACK: 'revert', AUTO_DEPLOY: 'auto_deploy', ENV_CHANGE: 'env_change' },
} as const satisfies Row<TriggerType>;

/** Dooor shows a deployment's status; spec 002 its standing (`active` holds traffic, `superseded` no longer does). */
export const deploymentStatusWords = {
  dooor: { queued: 'queued', building: 'building', deploying: 'deploying', succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled' },
} as const satisfies Row<DeploymentStatus, 'dooor'>;

export const deploymentStandingWords = {
  appsV1: { live: 'active', retired: 'superseded', queued: 'queued', building: 'building', deploying: 'deploying', failed: 'failed', cancelled: 'cancelled' },
} as const satisfies Row<DeploymentStanding, 'appsV1'>;

/** Managed databases (client-contract.md): a provisioning state, then RUNNING or FAILED. */
export const databaseStatusWords = {
  dooor: { provisioning: 'PROVISIONING', running: 'RUNNING', failed: 'FAILED' },
} as const satisfies Row<DatabaseStatus, 'dooor'>;

/**
 * Instances as Kubernetes shows pods (spec 002); Dooor shows none. One that crashed and waits for
 * its restart is a phase and a reason (Pending, CrashLoopBackOff: `presentPod`), so not a row word.
 */
export const instancePhaseWords = {
  appsV1: { starting: 'Pending', running: 'Running', stopping: 'Terminating' },
} as const satisfies Row<Exclude<InstancePhase, 'restarting'>, 'appsV1'>;

/** A dialect's word for a core value, read back: the core value, or null for a word it does not have. */
export function coreValueOf<E extends string>(row: Readonly<Record<E, string>>, word: string): E | null {
  const found = (Object.entries(row) as [E, string][]).find(([, w]) => w === word);
  return found ? found[0] : null;
}

/** The same, for a word the request schema already allowed (so it is one of the row's). */
export function fromWord<E extends string>(row: Readonly<Record<E, string>>, word: string): E;
export function fromWord<E extends string>(row: Readonly<Record<E, string>>, word: string | undefined): E | undefined;
export function fromWord<E extends string>(row: Readonly<Record<E, string>>, word: string | undefined): E | undefined {
  if (word === undefined) return undefined;
  const value = coreValueOf(row, word);
  if (value === null) throw new Error(`"${word}" is not a word of this table`);
  return value;
}

/** A row's words, in the core's order, for request schemas. */
export const wordsOf = <E extends string>(row: Readonly<Record<E, string>>): string[] => Object.values(row);
