#!/usr/bin/env node
// The package's `berth` bin (`npx berth …`): runs the bundle `npm run build` makes when it is
// there (fast start), else the TypeScript sources through tsx.
/* global URL */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/berth.mjs', import.meta.url));
if (fs.existsSync(bundle)) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(fileURLToPath(new URL('../src/cli/berth.ts', import.meta.url)));
}
