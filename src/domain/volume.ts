// An app's persistent volume (issue 15): a named directory of bounded size, mounted read-write at
// the same path in every instance of every revision, kept until the app is purged.
import { mountPathProblem } from './database.js';

export interface AppVolume {
  id: string;
  appId: string;
  name: string;
  mountPath: string;
  sizeMi: number;
  /** Only one process may write it (a database file, say): the app runs one replica. */
  singleWriter: boolean;
  createdAt: Date;
}

export const volumeLimits = { sizeMi: { min: 16, max: 1_048_576 }, perApp: 10 } as const;

/** Every problem of a new volume, each naming its field. */
export function volumeProblems(input: { name: string; mountPath: string; sizeMi: number }): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(input.name)) problems.push('name must be 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit');
  const path = mountPathProblem(input.mountPath);
  if (path) problems.push(path);
  const { min, max } = volumeLimits.sizeMi;
  if (!Number.isInteger(input.sizeMi) || input.sizeMi < min || input.sizeMi > max) problems.push(`sizeMi must be an integer from ${min} to ${max}`);
  return problems;
}
