// Turns a plan's start script into the argv a revision runs. A script of plain words runs
// directly (through env, which also applies leading NAME=value words and finds the program on
// PATH); anything else is the user's own shell line and runs under sh inside their sandbox,
// exactly as `npm start` would run it. Berth never puts its own values into that line, and logs
// show the line without Berth's variables (domain/own-command.ts, which must know their names).
import { pythonPackagesDir, type StartSpec } from './detect-plan.js';

const systemPath = '/usr/local/bin:/usr/bin:/bin';

/**
 * The variables a tree's programs need at build, release and run time: PATH finds what the tree
 * installed (npm's bins; pip's console scripts such as gunicorn for Python), PYTHONPATH finds
 * pip's packages, and PYTHONUNBUFFERED sends every print to the log as it happens.
 */
export function treeEnv(python: boolean): Record<string, string> {
  if (!python) return { PATH: `node_modules/.bin:${systemPath}`, PYTHONUNBUFFERED: '1' };
  return { PATH: `${pythonPackagesDir}/bin:node_modules/.bin:${systemPath}`, PYTHONPATH: pythonPackagesDir, PYTHONUNBUFFERED: '1' };
}

const assignments = (env: Readonly<Record<string, string>>) => Object.entries(env).map(([name, value]) => `${name}=${value}`);

export function scriptArgv(script: string, env: Readonly<Record<string, string>> = treeEnv(false)): string[] {
  const words = script.trim().split(/\s+/);
  const plain = words.every((word) => /^[A-Za-z0-9_./:@%+=,-]+$/.test(word));
  if (plain) return ['/usr/bin/env', ...assignments(env), ...words];
  return ['/usr/bin/env', ...assignments(env), '/bin/sh', '-c', script];
}

export const staticServerPath = '.berth/static-server.mjs';
export const staticSiteDir = 'site';

export function startArgv(start: StartSpec, env: Readonly<Record<string, string>>): string[] {
  if (start.kind === 'script') return scriptArgv(start.script, env);
  return ['/usr/bin/env', ...assignments(treeEnv(false)), 'node', staticServerPath, staticSiteDir, ...(start.spa ? ['--spa'] : [])];
}
