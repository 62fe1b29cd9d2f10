// Turns a plan's start script into the argv a revision runs. A script of plain words runs
// directly (through env, which also applies leading NAME=value words and finds the program on
// PATH); anything else is the user's own shell line and runs under sh inside their sandbox,
// exactly as `npm start` would run it. Berth never puts its own values into that line.
import type { StartSpec } from './detect-plan.js';

export const appPath = 'PATH=node_modules/.bin:/usr/local/bin:/usr/bin:/bin';

export function scriptArgv(script: string, extraEnv: readonly string[] = []): string[] {
  const words = script.trim().split(/\s+/);
  const plain = words.every((word) => /^[A-Za-z0-9_./:@%+=,-]+$/.test(word));
  if (plain) return ['/usr/bin/env', appPath, ...extraEnv, ...words];
  return ['/usr/bin/env', appPath, ...extraEnv, '/bin/sh', '-c', script];
}

export const staticServerPath = '.berth/static-server.mjs';
export const staticSiteDir = 'site';

export function startArgv(start: StartSpec, extraEnv: readonly string[] = []): string[] {
  if (start.kind === 'script') return scriptArgv(start.script, extraEnv);
  return ['/usr/bin/env', appPath, 'node', staticServerPath, staticSiteDir, ...(start.spa ? ['--spa'] : [])];
}
