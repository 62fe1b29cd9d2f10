// `npm run build:web` (part of `npm run build`, so of `npm start`): the API types, then the
// console into web/dist with Vite, its assets also brotli- and gzip-compressed. Skipped when
// web/dist is newer than every input, so a start without console changes costs a directory walk,
// not a bundle (`--force` builds anyway).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
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
  // Built beside web/dist, then swapped in: two builds at once (parallel test files) never mix.
  const fresh = path.join(web, `dist.${process.pid}.tmp`);
  const old = path.join(web, `dist.${process.pid}.old`);
  const { build } = await import('vite');
  // The production bundle even where NODE_ENV says otherwise: under vitest (`test`) Vite would take
  // React's development build and jsxDEV calls (about 790 KB instead of 460 KB), and a later
  // `npm start` would serve that web/dist as up to date.
  await build({
    configFile: path.join(web, 'vite.config.ts'),
    logLevel: 'warn',
    mode: 'production',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    esbuild: { jsx: 'automatic', jsxDev: false },
    build: { outDir: fresh, emptyOutDir: true },
  });
  // Compressed once here, so Berth sends .br or .gz copies (fastify-static preCompressed) at no cost per request.
  const assets = path.join(fresh, 'assets');
  for (const name of fs.readdirSync(assets).filter((file) => /\.(js|css|svg)$/.test(file))) {
    const raw = fs.readFileSync(path.join(assets, name));
    fs.writeFileSync(path.join(assets, `${name}.br`), zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
    fs.writeFileSync(path.join(assets, `${name}.gz`), zlib.gzipSync(raw, { level: 9 }));
  }
  const target = path.join(web, 'dist');
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(fresh, target);
  fs.rmSync(old, { recursive: true, force: true });
}
