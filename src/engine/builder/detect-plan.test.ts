import { describe, expect, it } from 'vitest';
import { detectPlan, dockerfileSetAsideNote, fallbackDockerfile, onlyDockerfileReason, procfileCommand, undetectableReason } from './detect-plan.js';
import type { FileProbe } from './detect-plan.js';

const probe = (files: Record<string, string>): FileProbe => ({
  exists: async (p) => p in files,
  read: async (p) => files[p] ?? null,
});
const pkg = (value: object) => JSON.stringify(value);
const exec = (spec: string, bin: string) => ['npm', 'exec', '--yes', `--package=${spec}`, '--', bin];

describe('detectPlan', () => {
  it.each([
    ['npm with a lockfile', { 'package.json': pkg({ scripts: { start: 'node a.js' } }), 'package-lock.json': '{}' }, 'node-npm', ['npm', 'ci', '--include=dev', '--no-audit', '--no-fund'], null, 'node a.js'],
    ['pnpm', { 'package.json': pkg({ scripts: { start: 'node a.js', build: 'tsc' } }), 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" }, 'node-pnpm', [...exec('pnpm@9', 'pnpm'), 'install', '--frozen-lockfile'], [...exec('pnpm@9', 'pnpm'), 'run', 'build'], 'node a.js'],
    ['yarn', { 'package.json': pkg({ main: 'index.js' }), 'index.js': '', 'yarn.lock': '# yarn lockfile v1\n' }, 'node-yarn', [...exec('yarn@1', 'yarn'), 'install', '--frozen-lockfile'], null, 'node index.js'],
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

  it('names the way to start a package of a workspaces root that starts nothing itself', async () => {
    const plain = await detectPlan(probe({ 'package.json': pkg({ name: 'x' }) }), { dockerfilePath: null });
    expect(plain).toEqual({ ok: false, reason: 'package.json has no start script, no main file and no build script, and there is no Procfile: Berth cannot tell how to start this app' });
    const mono = await detectPlan(probe({ 'package.json': pkg({ private: true, workspaces: ['packages/*', 'apps/web'] }) }), { dockerfilePath: null });
    expect(mono).toMatchObject({ ok: false, reason: expect.stringContaining('This is a workspaces root (packages/*, apps/web): add a Procfile that starts one of its packages, e.g. "web: npm start -w <package name>"') });
    const yarnStyle = await detectPlan(probe({ 'package.json': pkg({ workspaces: { packages: ['libs/*'] } }) }), { dockerfilePath: null });
    expect(yarnStyle).toMatchObject({ ok: false, reason: expect.stringContaining('(libs/*)') });
  });

  it.each([
    ['packageManager names the pnpm', { packageManager: 'pnpm@9.15.0+sha512.abc' }, "lockfileVersion: '6.0'", 'pnpm@9.15.0'],
    ['a pnpm 8 lockfile', {}, "lockfileVersion: '6.0'\n", 'pnpm@8'],
    ['a pnpm 7 lockfile', {}, 'lockfileVersion: 5.4\n', 'pnpm@7'],
    ['packageManager for another tool is ignored', { packageManager: 'yarn@1.22.0' }, "lockfileVersion: '9.0'", 'pnpm@9'],
  ])('picks the pnpm version: %s', async (_name, extra, lock, spec) => {
    const result = await detectPlan(probe({ 'package.json': pkg({ scripts: { start: 'node a.js' } , ...extra }), 'pnpm-lock.yaml': lock }), { dockerfilePath: null });
    expect(result).toMatchObject({ ok: true, plan: { install: [...exec(spec, 'pnpm'), 'install', '--frozen-lockfile'], cache: { dirs: ['node_modules'] } } });
  });

  it('installs Yarn Berry projects immutably and does not cache their Plug\'n\'Play install', async () => {
    const fromLock = await detectPlan(probe({ 'package.json': pkg({ scripts: { start: 'node a.js' } }), 'yarn.lock': '__metadata:\n  version: 8\n' }), { dockerfilePath: null });
    expect(fromLock).toMatchObject({ ok: true, plan: { install: [...exec('@yarnpkg/cli-dist@4', 'yarn'), 'install', '--immutable'], cache: null } });
    const declared = await detectPlan(probe({ 'package.json': pkg({ scripts: { start: 'node a.js' }, packageManager: 'yarn@3.6.4' }), 'yarn.lock': '' }), { dockerfilePath: null });
    expect(declared).toMatchObject({ ok: true, plan: { install: [...exec('@yarnpkg/cli-dist@3.6.4', 'yarn'), 'install', '--immutable'] } });
    if (declared.ok) expect(declared.plan.summary).toContain('package manager: @yarnpkg/cli-dist@3.6.4 (packageManager)');
  });

  it('serves the output of a build that has no server as a static site', async () => {
    const result = await detectPlan(probe({ 'package.json': pkg({ scripts: { build: 'vite build' } }), 'package-lock.json': '{}' }), { dockerfilePath: null });
    expect(result).toMatchObject({ ok: true, plan: { buildpack: 'static (node-npm)', build: ['npm', 'run', 'build'], start: { kind: 'static', candidates: ['dist', 'build', 'out', 'public'], spa: true } } });
  });

  const generic = ['dist', 'build', 'out', 'public'];
  const scripts = (start: string, build?: string, more: Record<string, string> = {}) => ({ scripts: { start, ...(build ? { build } : {}), ...more } });
  const angular = (outputPath: unknown) => JSON.stringify({ projects: { shop: { architect: { build: { options: { outputPath } } } } } });

  it.each([
    ['Create React App', scripts('react-scripts start', 'react-scripts build'), {}, ['build', 'dist', 'out', 'public']],
    ['Create React App with env words', scripts('BROWSER=none PORT=3000 react-scripts start', 'react-scripts build'), {}, ['build', 'dist', 'out', 'public']],
    ['CRA through craco', scripts('craco start', 'craco build'), {}, ['build', 'dist', 'out', 'public']],
    ['CRA through react-app-rewired', scripts('react-app-rewired start', 'react-app-rewired build'), {}, ['build', 'dist', 'out', 'public']],
    ['Vite', scripts('vite', 'tsc && vite build'), {}, generic],
    ['vite dev', scripts('vite dev --host 0.0.0.0', 'vite build'), {}, generic],
    ['vite serve', scripts('vite serve', 'vite build'), {}, generic],
    ['vite preview (serves dist itself)', scripts('vite preview --port $PORT', 'vite build'), {}, generic],
    ['npx vite', scripts('npx --yes vite', 'npx vite build'), {}, generic],
    ['start runs the dev script', scripts('npm run dev', 'npm run build:prod', { dev: 'cross-env NODE_ENV=development vite', 'build:prod': 'vite build --mode production' }), {}, generic],
    ['yarn dev', scripts('yarn dev', 'yarn vite build', { dev: 'vite' }), {}, generic],
    ['Vue CLI', scripts('vue-cli-service serve', 'vue-cli-service build'), {}, generic],
    ['Angular 17+ (application builder)', scripts('ng serve', 'ng build'), { 'angular.json': angular('dist/shop') }, ['dist/shop/browser', 'dist/shop', ...generic]],
    ['Angular, outputPath as an object', scripts('ng serve', 'ng build --configuration production'), { 'angular.json': angular({ base: 'dist/shop', browser: '' }) }, ['dist/shop', ...generic]],
    ['Angular without angular.json', scripts('ng serve', 'ng build'), {}, generic],
    ['webpack serve', scripts('webpack serve --mode development', 'webpack --mode production'), {}, generic],
    ['webpack-cli serve', scripts('webpack-cli serve', 'webpack-cli build'), {}, generic],
    ['webpack-dev-server', scripts('webpack-dev-server --open', 'webpack'), {}, generic],
    ['Gatsby', scripts('gatsby develop', 'gatsby build'), {}, ['public', 'dist', 'build', 'out']],
    ['Parcel', scripts('parcel src/index.html', 'parcel build src/index.html'), {}, generic],
    ['Docusaurus', scripts('docusaurus start', 'docusaurus build'), {}, ['build', 'dist', 'out', 'public']],
    ['Astro', scripts('astro dev', 'astro check && astro build'), {}, generic],
    ['Nuxt generate', scripts('nuxi dev', 'nuxi generate'), {}, ['.output/public', ...generic]],
  ])('serves the build output of a project whose start runs a development server: %s', async (_name, manifest, files, candidates) => {
    const result = await detectPlan(probe({ 'package.json': pkg(manifest), 'package-lock.json': '{}', ...files }), { dockerfilePath: null });
    if (!result.ok) throw new Error(result.reason);
    expect(result.plan).toMatchObject({ buildpack: 'static (node-npm)', build: ['npm', 'run', 'build'], start: { kind: 'static', candidates, spa: true } });
    expect(result.plan.summary.at(-1)).toMatch(/development server; Berth serves the static files the build emits/);
  });

  it.each([
    ['next dev → its production server', scripts('next dev', 'next build'), 'next start'],
    ['bare next is next dev', scripts('next', 'next build'), 'next start'],
    ['Nuxt 3', { ...scripts('nuxt dev', 'nuxt build'), devDependencies: { nuxt: '^3.13.0' } }, 'node .output/server/index.mjs'],
    ['Nuxt 2', { ...scripts('nuxt', 'nuxt build'), dependencies: { nuxt: '^2.17.3' } }, 'nuxt start'],
    ['next start stays a server', scripts('next start', 'next build'), 'next start'],
    ['a dev server with no build to replace it', scripts('vite'), 'vite'],
    ["a build that is not the dev server's own", scripts('vite', 'tsc'), 'vite'],
    ['a server of its own next to a Vite build', scripts('node server.js', 'vite build'), 'node server.js'],
    ['a start script of several commands', scripts('vite build && vite preview', 'vite build'), 'vite build && vite preview'],
    ['NestJS: its start:prod', scripts('nest start', 'nest build', { 'start:prod': 'node dist/main' }), 'node dist/main'],
    ['NestJS watch mode, behind npm run', scripts('npm run start:dev', 'nest build', { 'start:dev': 'nest start --watch', 'start:prod': 'node dist/apps/api/main' }), 'node dist/apps/api/main'],
    ['NestJS without start:prod', scripts('nest start', 'nest build'), 'nest start'],
    ['NestJS whose start:prod is not node', scripts('nest start', 'nest build', { 'start:prod': 'pm2-runtime dist/main.js' }), 'nest start'],
    ['NestJS without nest build', scripts('nest start', 'tsc', { 'start:prod': 'node dist/main' }), 'nest start'],
    ['webpack run as a build', scripts('webpack --watch', 'webpack'), 'webpack --watch'],
  ])('keeps or picks a server: %s', async (_name, manifest, script) => {
    const result = await detectPlan(probe({ 'package.json': pkg(manifest), 'package-lock.json': '{}' }), { dockerfilePath: null });
    expect(result).toMatchObject({ ok: true, plan: { buildpack: 'node-npm', start: { kind: 'script', script } } });
  });

  it.each([
    ['nodemon server.js', scripts('nodemon server.js'), {}, 'node server.js'],
    ['nodemon with its options and the app\'s arguments', scripts('nodemon --watch src -e js,json --delay=2 -q src/app.mjs --port 8080'), {}, 'node src/app.mjs --port 8080'],
    ['nodemon behind npm run, with env words', scripts('npm run dev', undefined, { dev: 'NODE_ENV=development nodemon index.cjs' }), {}, 'node index.cjs'],
    ['nodemon without a script runs main', { main: 'app.js', ...scripts('nodemon') }, { 'app.js': '' }, 'node app.js'],
    ['nodemon --exec ts-node', scripts('nodemon --exec ts-node src/index.ts'), {}, 'ts-node src/index.ts'],
    ['node --watch', scripts('node --watch --watch-path=src --enable-source-maps server.js'), {}, 'node --enable-source-maps server.js'],
    ['tsx watch', scripts('tsx watch --clear-screen=false --include ./config src/index.ts'), {}, 'tsx src/index.ts'],
    ['nodemon on a .ts file (ts-node, if installed): as written', scripts('nodemon src/index.ts'), {}, 'nodemon src/index.ts'],
    ['nodemon passing node a flag: as written', scripts('nodemon --inspect server.js'), {}, 'nodemon --inspect server.js'],
    ['nodemon with a quoted --exec: as written', scripts('nodemon --exec "node -r dotenv/config" server.js'), {}, 'nodemon --exec "node -r dotenv/config" server.js'],
    ['nodemon without a script or main: as written', scripts('nodemon'), {}, 'nodemon'],
    ['node without --watch', scripts('node server.js'), {}, 'node server.js'],
    ['tsx without watch', scripts('tsx src/index.ts'), {}, 'tsx src/index.ts'],
  ])('runs a start script\'s file without its file watcher: %s', async (_name, manifest, files, script) => {
    const result = await detectPlan(probe({ 'package.json': pkg(manifest), 'package-lock.json': '{}', ...files }), { dockerfilePath: null });
    if (!result.ok) throw new Error(result.reason);
    expect(result.plan.start).toEqual({ kind: 'script', script });
    const said = result.plan.summary.at(-1) ?? '';
    if (script !== (manifest.scripts as { start: string }).start) expect(said).toMatch(/under (nodemon|node --watch|tsx watch), which restarts the app whenever a file in its folder changes/);
    else expect(said).toBe(`start: ${script} (package.json start script)`);
  });

  it.each([
    ['Next.js', { build: 'next build', start: 'next start' }, { tool: 'Next.js', dirs: ['.next/cache'] }],
    ['Next.js behind npm run', { build: 'npm run build:next', 'build:next': 'cross-env NODE_ENV=production next build', start: 'next start' }, { tool: 'Next.js', dirs: ['.next/cache'] }],
    ['Gatsby', { build: 'gatsby build', start: 'gatsby develop' }, { tool: 'Gatsby', dirs: ['.cache', 'public'] }],
    ['Parcel', { build: 'parcel build src/index.html' }, { tool: 'Parcel', dirs: ['.parcel-cache'] }],
    ['Vite (no build cache of its own)', { build: 'vite build' }, null],
    ['Nuxt (none unless experimental)', { build: 'nuxt build', start: 'node .output/server/index.mjs' }, null],
    ['Create React App (its cache is in node_modules)', { build: 'react-scripts build' }, null],
    ['no build', { start: 'node server.js' }, null],
  ])("keeps the framework's build cache: %s", async (_name, scriptsOf, buildCache) => {
    const result = await detectPlan(probe({ 'package.json': pkg({ scripts: scriptsOf }), 'package-lock.json': '{}' }), { dockerfilePath: null });
    if (!result.ok) throw new Error(result.reason);
    expect(result.plan.buildCache).toEqual(buildCache);
    expect(result.plan.summary.some((line) => line.startsWith('build cache:'))).toBe(buildCache !== null);
  });

  it('prunes devDependencies after the build with npm and pnpm; Yarn, static sites and other runtimes have none to prune', async () => {
    const start = { 'package.json': pkg({ scripts: { start: 'node a.js', build: 'tsc' } }) };
    const planOf = async (files: Record<string, string>) => {
      const result = await detectPlan(probe(files), { dockerfilePath: null });
      if (!result.ok) throw new Error(result.reason);
      return result.plan.prune;
    };
    expect(await planOf({ ...start, 'package-lock.json': '{}' })).toEqual({
      kind: 'command',
      command: ['npm', 'prune', '--omit=dev', '--no-audit', '--no-fund'],
      forget: ['node_modules/.package-lock.json'],
    });
    expect(await planOf({ ...start, 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" })).toEqual({ kind: 'command', command: [...exec('pnpm@9', 'pnpm'), 'prune', '--prod'], forget: [] });
    expect(await planOf({ ...start, 'yarn.lock': '# yarn lockfile v1\n' })).toMatchObject({ kind: 'unsupported', reason: expect.stringMatching(/^Yarn v1 prunes by reinstalling/) });
    expect(await planOf({ ...start, 'yarn.lock': '__metadata:\n  version: 8\n' })).toEqual({ kind: 'unsupported', reason: 'Berth does not prune Yarn Berry installs' });
    expect(await planOf({ 'package.json': pkg({ scripts: { build: 'vite build' } }), 'package-lock.json': '{}' })).toBeNull();
    expect(await planOf({ 'requirements.txt': '', 'app.py': '' })).toBeNull();
  });

  it('keeps no build cache for Python, Procfile and plain HTML apps', async () => {
    const layouts: Record<string, string>[] = [{ 'requirements.txt': '', 'app.py': '' }, { Procfile: 'web: ./run' }, { 'index.html': '' }];
    for (const files of layouts) {
      expect(await detectPlan(probe(files), { dockerfilePath: null })).toMatchObject({ ok: true, plan: { buildCache: null } });
    }
  });

  it('lets a Procfile run a development server if that is what it says', async () => {
    const result = await detectPlan(probe({ 'package.json': pkg(scripts('react-scripts start', 'react-scripts build')), Procfile: 'web: react-scripts start' }), { dockerfilePath: null });
    expect(result).toMatchObject({ ok: true, plan: { buildpack: 'node-npm', start: { kind: 'script', script: 'react-scripts start' } } });
  });

  it('serves a folder of HTML as it is', async () => {
    expect(await detectPlan(probe({ 'index.html': '' }), { dockerfilePath: null })).toMatchObject({ ok: true, plan: { buildpack: 'static', install: null, start: { kind: 'static', candidates: ['.'] } } });
  });

  it('uses a Dockerfile when dockerfilePath is set, and says how to enable a container engine', async () => {
    const files = { Dockerfile: 'FROM x', 'index.html': '' };
    expect(await detectPlan(probe(files), { dockerfilePath: null })).toMatchObject({ ok: true, plan: { buildpack: 'static' } });
    const result = await detectPlan(probe(files), { dockerfilePath: 'Dockerfile' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/needs a container engine driver: start Berth with BERTH_RUNTIME=docker/);
  });

  it('says so when another plan wins over a root Dockerfile', async () => {
    const site = await detectPlan(probe({ Dockerfile: 'FROM nginx', 'index.html': '' }), { dockerfilePath: null });
    expect(site.ok && site.plan.summary).toEqual(['Detected a static site (index.html)', 'start: Berth serves the files', dockerfileSetAsideNote]);
    const plain = await detectPlan(probe({ 'index.html': '' }), { dockerfilePath: null });
    expect(plain.ok && plain.plan.summary).not.toContain(dockerfileSetAsideNote);
  });

  it('falls back to the root Dockerfile only when no other plan fits, and says an engine is needed for it', async () => {
    expect(await fallbackDockerfile(probe({ Dockerfile: 'FROM x', 'server.js': '' }))).toBe('Dockerfile');
    expect(await fallbackDockerfile(probe({ Dockerfile: 'FROM x', 'package.json': pkg({ dependencies: {} }) }))).toBe('Dockerfile');
    expect(await fallbackDockerfile(probe({ Dockerfile: 'FROM x', 'index.html': '' }))).toBeNull();
    expect(await fallbackDockerfile(probe({ Dockerfile: 'FROM x', 'package.json': pkg({ scripts: { start: 'node a.js' } }) }))).toBeNull();
    expect(await fallbackDockerfile(probe({ 'server.js': '' }))).toBeNull();
    expect(await detectPlan(probe({ Dockerfile: 'FROM x', 'server.js': '' }), { dockerfilePath: null })).toEqual({ ok: false, reason: onlyDockerfileReason });
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
