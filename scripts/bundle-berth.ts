// The esbuild bundle `npm start` runs (dist/berth.mjs, its edge worker, and the two files the builds
// load from beside it), from one definition: `npm run build` writes it to dist/, the test run
// (test/support/global-bundle.ts) writes the same bundle to .test-bundle/ for the tests' `berth` processes.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');

/** Writes the bundle into `outdir` (made if missing; files of an earlier bundle there are overwritten). */
export async function bundleBerth(outdir: string): Promise<void> {
  await build({
    entryPoints: [path.join(root, 'src/cli/berth.ts'), path.join(root, 'src/edge/workers/edge-worker-main.ts')],
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: 'node20',
    outdir,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  for (const file of ['static-server.mjs', 'tree-digest-worker.mjs']) fs.copyFileSync(path.join(root, 'src/engine/builder', file), path.join(outdir, file));
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const dist = path.join(root, 'dist');
  fs.rmSync(dist, { recursive: true, force: true });
  await bundleBerth(dist);
}
