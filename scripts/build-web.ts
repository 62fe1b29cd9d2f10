// `npm run build:web` (part of `npm run build`, so of `npm start`): the API types, then the
// console into web/dist with Vite. Skipped when web/dist is newer than every input, so a start
// without console changes costs a directory walk, not a bundle (`--force` builds anyway).
import fs from 'node:fs';
import path from 'node:path';
import './write-api-types.js';

const root = path.resolve(import.meta.dirname, '..');
const web = path.join(root, 'web');
const builtIndex = path.join(web, 'dist/index.html');

function newestInput(): number {
  let newest = 0;
  const visit = (file: string) => {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) for (const name of fs.readdirSync(file)) visit(path.join(file, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const input of ['web/src', 'web/index.html', 'web/vite.config.ts', 'package-lock.json', 'docs/openapi.json']) visit(path.join(root, input));
  return newest;
}

const built = fs.existsSync(builtIndex) ? fs.statSync(builtIndex).mtimeMs : 0;
if (process.argv.includes('--force') || built < newestInput()) {
  const { build } = await import('vite');
  await build({ configFile: path.join(web, 'vite.config.ts'), logLevel: 'warn' });
}
