// Where the tests' `berth` processes run from: the bundle `npm start` runs (scripts/bundle-berth.ts),
// built from the sources once per test run by global-bundle.ts, instead of every process compiling
// the sources through tsx (3-8 s a command on a loaded machine). One level below the repository
// root, as dist/ is, so what the bundle finds beside itself (../web/dist) is what dist/ finds.
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '../..');

export const cliBundleDir = path.join(repoRoot, '.test-bundle');

/** `node <this> start|login|…` is the `berth` command of this run's sources. */
export const cliBundleEntry = path.join(cliBundleDir, 'berth.mjs');
