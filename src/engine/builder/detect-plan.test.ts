import { describe, expect, it } from 'vitest';
import { detectPlan, procfileCommand, undetectableReason } from './detect-plan.js';
import type { FileProbe } from './detect-plan.js';

const probe = (files: Record<string, string>): FileProbe => ({
  exists: async (p) => p in files,
  read: async (p) => files[p] ?? null,
});
const pkg = (value: object) => JSON.stringify(value);

describe('detectPlan', () => {
  it.each([
    ['npm with a lockfile', { 'package.json': pkg({ scripts: { start: 'node a.js' } }), 'package-lock.json': '{}' }, 'node-npm', ['npm', 'ci', '--include=dev', '--no-audit', '--no-fund'], null, 'node a.js'],
    ['pnpm', { 'package.json': pkg({ scripts: { start: 'node a.js', build: 'tsc' } }), 'pnpm-lock.yaml': '' }, 'node-pnpm', ['corepack', 'pnpm', 'install', '--frozen-lockfile'], ['corepack', 'pnpm', 'run', 'build'], 'node a.js'],
    ['yarn', { 'package.json': pkg({ main: 'index.js' }), 'index.js': '', 'yarn.lock': '' }, 'node-yarn', ['corepack', 'yarn', 'install', '--frozen-lockfile'], null, 'node index.js'],
    ['npm without a lockfile', { 'package.json': pkg({ scripts: { start: 'next start', build: 'next build' } }) }, 'node-npm', ['npm', 'install', '--no-audit', '--no-fund'], ['npm', 'run', 'build'], 'next start'],
    ['a Procfile wins over the start script', { 'package.json': pkg({ scripts: { start: 'node a.js' } }), Procfile: 'release: x\nweb: node web.js --port $PORT\n' }, 'node-npm', ['npm', 'install', '--no-audit', '--no-fund'], null, 'node web.js --port $PORT'],
    ['Python with requirements', { 'requirements.txt': 'flask', 'app.py': '' }, 'python', ['python3', '-m', 'pip', 'install', '--no-cache-dir', '--disable-pip-version-check', '--target', '.python-packages', '-r', 'requirements.txt'], null, 'python3 app.py'],
    ['Python with a Procfile', { 'pyproject.toml': '', Procfile: 'web: gunicorn app:app' }, 'python', ['python3', '-m', 'pip', 'install', '--no-cache-dir', '--disable-pip-version-check', '--target', '.python-packages', '.'], null, 'gunicorn app:app'],
    ['a Procfile alone', { Procfile: 'web: ./run.sh' }, 'procfile', null, null, './run.sh'],
  ])('%s', async (_name, files, buildpack, install, build, script) => {
    const result = await detectPlan(probe(files), { dockerfilePath: null });
    if (!result.ok) throw new Error(result.reason);
    expect(result.plan).toMatchObject({ buildpack, install, build, start: { kind: 'script', script } });
    expect(result.plan.summary.length).toBeGreaterThan(0);
  });

  it('serves the output of a build that has no server as a static site', async () => {
    const result = await detectPlan(probe({ 'package.json': pkg({ scripts: { build: 'vite build' } }), 'package-lock.json': '{}' }), { dockerfilePath: null });
    expect(result).toMatchObject({ ok: true, plan: { buildpack: 'static (node-npm)', build: ['npm', 'run', 'build'], start: { kind: 'static', candidates: ['dist', 'build', 'out', 'public'], spa: true } } });
  });

  it('serves a folder of HTML as it is', async () => {
    expect(await detectPlan(probe({ 'index.html': '' }), { dockerfilePath: null })).toMatchObject({ ok: true, plan: { buildpack: 'static', install: null, start: { kind: 'static', candidates: ['.'] } } });
  });

  it('uses a Dockerfile only when dockerfilePath is set, and says no container engine exists yet', async () => {
    const files = { Dockerfile: 'FROM x', 'index.html': '' };
    expect(await detectPlan(probe(files), { dockerfilePath: null })).toMatchObject({ ok: true, plan: { buildpack: 'static' } });
    const result = await detectPlan(probe(files), { dockerfilePath: 'Dockerfile' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/no container engine driver yet/);
  });

  it('lists what it looked for when nothing matches', async () => {
    expect(await detectPlan(probe({ 'README.md': '' }), { dockerfilePath: null })).toEqual({ ok: false, reason: undetectableReason });
    expect(await detectPlan(probe({ 'package.json': pkg({}) }), { dockerfilePath: null })).toMatchObject({ ok: false });
    expect(await detectPlan(probe({ 'package.json': '{nope' }), { dockerfilePath: null })).toEqual({ ok: false, reason: 'package.json is not valid JSON' });
  });

  it('reads Procfile lines', () => {
    expect(procfileCommand('worker: a\nweb:  b c \n')).toBe('b c');
    expect(procfileCommand('worker: a')).toBeNull();
    expect(procfileCommand(null)).toBeNull();
  });
});
