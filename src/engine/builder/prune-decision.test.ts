import { describe, expect, it } from 'vitest';
import { pruneDecision, type PruneFacts } from './prune-decision.js';
import { shellCommands } from './shell-words.js';

/** A TypeScript API as installed: fastify to run, typescript, tsx, vite, nodemon and cross-env only to develop. */
const facts = (overrides: Partial<PruneFacts> & { start?: string } = {}): PruneFacts => ({
  dependencies: ['fastify', 'next', 'pm2', 'dotenv'],
  devDependencies: ['typescript', '@types/node', 'tsx', 'vite', 'nodemon', 'ts-node', 'cross-env', 'prisma'],
  scripts: { build: 'tsc', start: 'node dist/index.js' },
  commands: [{ what: 'the start command', line: overrides.start ?? 'node dist/index.js' }],
  bins: new Map([
    ['tsc', ['typescript']],
    ['tsx', ['tsx']],
    ['vite', ['vite']],
    ['nodemon', ['nodemon']],
    ['ts-node', ['ts-node']],
    ['cross-env', ['cross-env']],
    ['prisma', ['prisma']],
    ['next', ['next']],
    ['pm2-runtime', ['pm2']],
  ]),
  installedBins: new Set(['tsc', 'tsx', 'vite', 'nodemon', 'ts-node', 'cross-env', 'prisma', 'next', 'pm2-runtime', 'esbuild']),
  rootFiles: new Set(['package.json', 'dist', 'next.config.js']),
  env: {},
  enabled: true,
  unsupported: null,
  ownImports: { loaded: new Map(), complete: true },
  ...overrides,
});

describe('pruneDecision: which start commands may run without devDependencies', () => {
  it.each([
    'node dist/index.js',
    'node --enable-source-maps --max-old-space-size=400 dist/index.js',
    'NODE_ENV=production node dist/server.js',
    'exec node dist/index.js',
    'next start',
    'npx next start -p $PORT',
    'pm2-runtime start ecosystem.config.js',
    'node -r dotenv/config dist/index.js',
    'node --import ./register.js dist/index.js',
    'python3 -m http.server $PORT',
    'node dist/index.js > /tmp/out.log 2>&1',
    "node 'dist/index.js' # the API",
  ])('prunes for `%s`', (start) => {
    const decision = pruneDecision(facts({ start }));
    expect(decision.prune).toBe(true);
    expect(decision.line).toBe(`Pruning devDependencies (typescript, @types/node, tsx and 5 more): the start command \`${start}\` needs none of them`);
  });

  it.each([
    ['vite preview --port $PORT', 'the start command runs `vite preview` (vite is a devDependency)'],
    ['tsx src/index.ts', 'the start command runs `tsx src/index.ts` (tsx is a devDependency)'],
    ['ts-node src/index.ts', 'the start command runs `ts-node src/index.ts` (ts-node is a devDependency)'],
    ['nodemon dist/index.js', 'the start command runs `nodemon dist/index.js` (nodemon is a devDependency)'],
    ['npx tsx src/index.ts', 'the start command runs `tsx src/index.ts` (tsx is a devDependency)'],
    ['npx -p typescript tsc && node dist/index.js', 'the start command runs `npx -p typescript` (typescript is a devDependency)'],
    ['tsc && node dist/index.js', 'the start command runs `tsc` (typescript is a devDependency)'],
    ['cross-env NODE_ENV=production node dist/index.js', 'the start command runs `cross-env NODE_ENV=production` (cross-env is a devDependency)'],
    ['node -r ts-node/register src/index.ts', 'the start command runs `node -r ts-node/register` (ts-node is a devDependency)'],
    ['node --import=tsx src/index.ts', 'the start command runs `node --import tsx` (tsx is a devDependency)'],
    ["NODE_OPTIONS='--import tsx' node src/index.ts", 'the start command runs `node --import tsx` (tsx is a devDependency)'],
    ['node node_modules/typescript/bin/tsc', 'the start command runs `node node_modules/typescript/bin/tsc` (typescript is a devDependency)'],
    ['./node_modules/.bin/vite preview', 'the start command runs `vite preview` (vite is a devDependency)'],
    ['esbuild src/index.ts --outdir=dist && node dist/index.js', 'the start command runs `esbuild src/index.ts`, which no dependency in package.json provides (Berth cannot tell whether only devDependencies bring it)'],
    ['node $(cat entry.txt)', 'the start command is `node $(cat entry.txt)`, which Berth cannot read for certain (subshells, substitutions or shell keywords)'],
    ['if true; then node dist/index.js; fi', 'the start command is `if true; then node dist/index.js; fi`, which Berth cannot read for certain (subshells, substitutions or shell keywords)'],
    ['node -e "require(\'./dist\')"', 'the start command runs `node -e` (Berth cannot tell what that code loads)'],
  ])('keeps devDependencies for `%s`', (start, why) => {
    expect(pruneDecision(facts({ start }))).toEqual({ prune: false, line: `Kept devDependencies: ${why}` });
  });

  it('follows npm run and yarn to the scripts they run, with their pre- and post- scripts', () => {
    const scripts = { build: 'tsc', start: 'node dist/index.js', prestart: 'npm run build', serve: 'yarn run start', dev: 'vite' };
    expect(pruneDecision(facts({ scripts, start: 'yarn serve' })).line).toBe(
      'Kept devDependencies: the start command runs the script `serve`, which runs the script `prestart`, which runs the script `build`, which runs `tsc` (typescript is a devDependency)',
    );
    expect(pruneDecision(facts({ scripts: { ...scripts, prestart: undefined }, start: 'npm start' })).prune).toBe(true);
    // A name that is no script is a binary for yarn and pnpm.
    expect(pruneDecision(facts({ start: 'pnpm vite preview' })).line).toBe('Kept devDependencies: the start command runs `vite preview` (vite is a devDependency)');
    expect(pruneDecision(facts({ scripts: { a: 'npm run b', b: 'npm run a' }, start: 'npm run a' })).line).toMatch(/through too many scripts for Berth to follow$/);
  });

  it('keeps typescript for `next start` when the app has a next.config.ts (Next.js transpiles it at start)', () => {
    expect(pruneDecision(facts({ start: 'next start', rootFiles: new Set(['package.json', 'next.config.ts']) })).line).toBe(
      'Kept devDependencies: the start command runs `next start`, which loads next.config.ts with typescript (a devDependency)',
    );
    expect(pruneDecision(facts({ start: 'next start', rootFiles: new Set(['next.config.mjs']) })).prune).toBe(true);
    const withTypescript = facts({ start: 'next start', rootFiles: new Set(['next.config.ts']), dependencies: ['next', 'typescript'] });
    expect(pruneDecision(withTypescript).prune).toBe(true);
    expect(pruneDecision(facts({ start: 'next start', dependencies: ['fastify'], devDependencies: ['next', 'typescript'] })).line).toBe(
      'Kept devDependencies: the start command runs `next start` (next is a devDependency)',
    );
  });

  it('reads the release command too: `npx prisma migrate deploy` needs prisma, a devDependency', () => {
    const commands = [
      { what: 'the start command', line: 'node dist/index.js' },
      { what: 'the release command', line: 'npx prisma migrate deploy' },
    ];
    expect(pruneDecision(facts({ commands })).line).toBe('Kept devDependencies: the release command runs `prisma migrate` (prisma is a devDependency)');
    const safe = [commands[0]!, { what: 'the release command', line: 'node dist/migrate.js' }];
    expect(pruneDecision(facts({ commands: safe })).line).toMatch(/: the start command `node dist\/index.js` and the release command `node dist\/migrate.js` need none of them$/);
  });

  it('keeps them when the app opts out (NPM_CONFIG_PRODUCTION=false, as on Heroku), when Berth is told not to, or the manager cannot prune', () => {
    expect(pruneDecision(facts({ env: { NPM_CONFIG_PRODUCTION: 'false' } })).line).toBe('Kept devDependencies: the app sets NPM_CONFIG_PRODUCTION=false');
    expect(pruneDecision(facts({ env: { npm_config_production: 'False' } })).prune).toBe(false);
    expect(pruneDecision(facts({ env: { YARN_PRODUCTION: 'false' } })).line).toBe('Kept devDependencies: the app sets YARN_PRODUCTION=false');
    expect(pruneDecision(facts({ env: { NPM_CONFIG_PRODUCTION: 'true' } })).prune).toBe(true);
    expect(pruneDecision(facts({ enabled: false })).line).toBe('Kept devDependencies: BERTH_PRUNE_DEV_DEPENDENCIES is off on this Berth');
    expect(pruneDecision(facts({ unsupported: 'Yarn Berry installs are not pruned' })).line).toBe('Kept devDependencies: Yarn Berry installs are not pruned');
    expect(pruneDecision(facts({ env: { NODE_OPTIONS: '--require ts-node/register' } })).line).toBe(
      "Kept devDependencies: the app's NODE_OPTIONS run `node --require ts-node/register` (ts-node is a devDependency)",
    );
  });

  it('has nothing to prune without devDependencies, or when each is a dependency too', () => {
    expect(pruneDecision(facts({ devDependencies: [] }))).toEqual({ prune: false, line: 'Nothing to prune: package.json lists no devDependencies' });
    expect(pruneDecision(facts({ devDependencies: ['fastify'] })).line).toBe('Nothing to prune: every devDependency is also a dependency');
  });
});

describe('shellCommands', () => {
  it.each([
    ['node a.js', [['node', 'a.js']]],
    ['A=1 node "dist/my app.js" && echo done', [['A=1', 'node', 'dist/my app.js'], ['echo', 'done']]],
    ['node a.js 2>&1 | tee out.log; true', [['node', 'a.js'], ['tee', 'out.log'], ['true']]],
    ['node a.js # comment', [['node', 'a.js']]],
    ['(cd x && node a.js)', null],
    ['node `cat x`', null],
    ['node "$(cat x)"', null],
    ["node 'unterminated", null],
  ])('%s', (line, expected) => {
    expect(shellCommands(line)).toEqual(expected);
  });
});

describe("pruneDecision: the app's own code", () => {
  it('keeps devDependencies when the built code loads one, naming the file', () => {
    const decision = pruneDecision(facts({ ownImports: { loaded: new Map([['nodemon', 'dist/watch.js']]), complete: true } }));
    expect(decision).toEqual({ prune: false, line: 'Kept devDependencies: dist/watch.js loads nodemon, a devDependency (list it in dependencies to let Berth prune the rest)' });
  });

  it('prunes when what the code loads is a dependency too, and keeps them when the code was not read in full', () => {
    expect(pruneDecision(facts({ ownImports: { loaded: new Map(), complete: true } })).prune).toBe(true);
    expect(pruneDecision(facts({ ownImports: { loaded: new Map(), complete: false } }))).toEqual({
      prune: false,
      line: "Kept devDependencies: the app's code is too large for Berth to read which packages it loads",
    });
  });
});

