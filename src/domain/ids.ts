// Prefixed, time-ordered identifiers (`app_01hx…`): sortable by creation, safe in URLs.
import { monotonicFactory } from 'ulid';

export const idPrefixes = {
  workspace: 'ws',
  apiKey: 'key',
  app: 'app',
  deployment: 'dep',
  share: 'shr',
  domain: 'dom',
  envVar: 'env',
  audit: 'aud',
  revision: 'rev',
  alert: 'alr',
  upload: 'upl',
  cronRun: 'run',
  event: 'evt',
  database: 'db',
  volume: 'vol',
  appVersion: 'appver',
  previewSession: 'appprv',
  build: 'bld',
  registryCredential: 'rcr',
} as const;

export type IdKind = keyof typeof idPrefixes;
export type IdGenerator = (kind: IdKind) => string;

export function createIdGenerator(): IdGenerator {
  const next = monotonicFactory();
  return (kind) => `${idPrefixes[kind]}_${next().toLowerCase()}`;
}

/** Whether `id` names a thing of that kind (by its prefix). */
export const isIdOf = (kind: IdKind, id: string): boolean => id.startsWith(`${idPrefixes[kind]}_`);
