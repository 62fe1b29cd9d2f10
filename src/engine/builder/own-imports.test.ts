import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultImportBudget, importsIn, nodeEntries, ownImports, packageOfSpecifier } from './own-imports.js';

const dev = new Set(['dotenv', 'pino-pretty', '@scope/tool', 'vitest', 'vite', 'chalk']);

describe('importsIn', () => {
  it('finds require, static and dynamic import and re-export of packages, scoped and with subpaths', () => {
    const source = [
      "const env = require('dotenv/config');",
      'import pretty from "pino-pretty";',
      "export { run } from '@scope/tool/run';",
      "const lazy = await import('chalk');",
      "import './local.js'; import fs from 'node:fs'; require('express');",
    ].join('\n');
    expect([...importsIn(source, dev)].sort()).toEqual(['@scope/tool', 'chalk', 'dotenv', 'pino-pretty']);
  });

  it('maps specifiers to packages', () => {
    expect(packageOfSpecifier('@scope/tool/sub/path')).toBe('@scope/tool');
    expect(packageOfSpecifier('lodash/fp')).toBe('lodash');
    expect(packageOfSpecifier('./x')).toBeNull();
    expect(packageOfSpecifier('node:path')).toBeNull();
  });
});

describe('ownImports', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-own-imports-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  write('dist/server.js', "require('dotenv').config(); require('express');");
  write('dist/types.d.ts', "import type { X } from 'pino-pretty';");
  write('vite.config.js', "import { defineConfig } from 'vite';");
  write('test/app.test.js', "import { it } from 'vitest';");
  write('node_modules/express/index.js', "require('chalk');");

  it("reads the app's code, not its tests, tool configs, type files or node_modules", async () => {
    const found = await ownImports(dir, dev);
    expect(found).toEqual({ loaded: new Map([['dotenv', 'dist/server.js']]), complete: true });
  });

  it('says when the budget ran out before every file was read', async () => {
    expect((await ownImports(dir, new Set(['nothing-loads-this']))).complete).toBe(true);
    expect((await ownImports(dir, new Set(['nothing-loads-this']), { maxFiles: 0, maxBytes: 1 })).complete).toBe(false);
  });
});

describe('nodeEntries', () => {
  it('names the files node runs first when node is all a line runs', () => {
    expect(nodeEntries('node dist/index.js')).toEqual(['dist/index.js']);
    expect(nodeEntries('NODE_ENV=production exec node --enable-source-maps -r ./register.js server.js')).toEqual(['./register.js', 'server.js']);
    expect(nodeEntries('node migrate.js && node server.js')).toEqual(['migrate.js', 'server.js']);
    expect(nodeEntries('next start')).toBeNull();
    expect(nodeEntries('node -e "require(1)"')).toBeNull();
    expect(nodeEntries('npm run migrate && node server.js')).toBeNull();
  });
});

describe('ownImports from the entries', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-own-entries-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  write('server.js', "const lib = require('./lib'); import('./routes/home.mjs'); require('express');");
  write('lib/index.js', "module.exports = require('../config.cjs');");
  write('config.cjs', "require('dotenv').config();");
  write('routes/home.mjs', "export { default } from 'chalk';");
  write('build.js', "require('vite'); require('pino-pretty');");

  it('follows relative imports from what runs, and leaves the build script out', async () => {
    const found = await ownImports(dir, dev, defaultImportBudget, ['server.js']);
    expect(found).toEqual({ loaded: new Map([['dotenv', 'config.cjs'], ['chalk', 'routes/home.mjs']]), complete: true });
  });

  it('reads the whole tree when an entry is not there', async () => {
    const found = await ownImports(dir, dev, defaultImportBudget, ['missing.js']);
    expect([...found.loaded.keys()].sort()).toEqual(['chalk', 'dotenv', 'pino-pretty', 'vite']);
  });
});

