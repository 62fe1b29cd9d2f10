// `npm run types:api`: TypeScript types of the public API, generated from docs/openapi.json, for
// the console (web/) and the `berth` command, so neither hand-writes an API type. Build output:
// both files are git-ignored; when both are newer than the document, nothing is done (quick starts).
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const source = path.join(root, 'docs/openapi.json');
const targets = ['web/src/api/openapi.ts', 'src/cli/api/openapi.ts'].map((target) => path.join(root, target));
const mtime = (file: string) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);

if (targets.some((file) => mtime(file) < mtime(source)) || process.argv.includes('--force')) {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const header = '// Generated from docs/openapi.json by `npm run types:api`: do not edit.\n/* eslint-disable */\n';
  const text = header + astToString(await openapiTS(fs.readFileSync(source, 'utf8'), { alphabetize: true }));
  for (const file of targets) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}
