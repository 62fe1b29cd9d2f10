// Names of what the docker driver makes on the engine, from validated parts.
import { createHash } from 'node:crypto';

const SAFE = /^[a-z0-9][a-z0-9_.-]{0,120}$/i;

function safe(what: string, value: string): string {
  if (!SAFE.test(value)) throw new Error(`refusing a docker name with ${what} ${JSON.stringify(value)}`);
  return value;
}

export const containerName = (tag: string, instanceId: string): string => `berth-${safe('tag', tag)}-${safe('instance id', instanceId)}`;

export const networkName = (tag: string, appId: string): string => `berth-${safe('tag', tag)}-${safe('app id', appId)}`;

/** The host's bridge interface of an app's network: at most 15 characters, a prefix Berth's host rules match. */
export const bridgeName = (tag: string, appId: string): string =>
  `${bridgePrefix(tag)}${createHash('sha256').update(appId).digest('hex').slice(0, 8)}`;

export const bridgePrefix = (tag: string): string => `bd${createHash('sha256').update(tag).digest('hex').slice(0, 4)}`;
