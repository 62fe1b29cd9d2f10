// vitest globalSetup: builds the `berth` bundle of the current sources into .test-bundle/ (see
// cli-bundle.ts) unless the one there was built from exactly these sources. Built beside it and
// swapped in, as the console's build is: two test runs at once never see half a bundle.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bundleBerth } from '../../scripts/bundle-berth.js';
import { cliBundleDir } from './cli-bundle.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** A digest of every file the bundle is made of (the sources, the locked packages, the build's own script). */
function inputsDigest(): string {
  const hash = createHash('sha256');
  const add = (file: string) => {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(file).sort()) add(path.join(file, name));
      return;
    }
    hash.update(`${path.relative(repoRoot, file)}\0`).update(fs.readFileSync(file)).update('\0');
  };
  for (const input of ['src', 'package-lock.json', 'scripts/bundle-berth.ts']) add(path.join(repoRoot, input));
  return hash.digest('hex');
}

export async function setup(): Promise<void> {
  const digest = inputsDigest();
  const stamp = path.join(cliBundleDir, 'inputs.sha256');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest) return;
  const fresh = `${cliBundleDir}.${process.pid}.tmp`;
  const old = `${cliBundleDir}.${process.pid}.old`;
  fs.rmSync(fresh, { recursive: true, force: true });
  await bundleBerth(fresh);
  fs.writeFileSync(path.join(fresh, 'inputs.sha256'), digest);
  if (fs.existsSync(cliBundleDir)) fs.renameSync(cliBundleDir, old);
  fs.renameSync(fresh, cliBundleDir);
  fs.rmSync(old, { recursive: true, force: true });
}
