import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyedLock } from '../keyed-lock.js';
import { storeTree } from './tree-store.js';

describe('storeTree', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-store-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const store = path.join(root, 'artifacts');
  const tree = (name: string) => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'index.html'), 'same content');
    return dir;
  };
  const inode = (file: string) => fs.statSync(file).ino;

  it('stores the tree again when the stored copy it matched was collected before its hash was claimed', async () => {
    const first = await storeTree(store, tree('one'), path.join(root, 'rev1'));
    const stored = path.join(store, first.hex, 'index.html');
    expect(inode(path.join(root, 'rev1/index.html'))).toBe(inode(stored));

    // The second build's walk links from the stored copy; the collector removes it right after.
    const second = await storeTree(store, tree('two'), path.join(root, 'rev2'), async (hex) => {
      fs.rmSync(path.join(store, hex), { recursive: true, force: true });
    });
    expect(second.hex).toBe(first.hex);
    expect(fs.readFileSync(path.join(store, second.hex, 'index.html'), 'utf8')).toBe('same content');
    expect(fs.existsSync(path.join(root, 'two'))).toBe(false); // moved into the store
    expect(inode(path.join(root, 'rev2/index.html'))).toBe(inode(path.join(store, second.hex, 'index.html')));
  });

  it('links a build whose tree matches an artifact the collector is removing only once the removal is over, complete', async () => {
    const locks = createKeyedLock();
    const files = ['index.html', 'assets/app.js', 'assets/app.css', 'assets/img/logo.svg'];
    const built = (name: string) => {
      const dir = path.join(root, name);
      for (const file of files) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), `content of ${file}`);
      }
      return dir;
    };
    const old = await storeTree(store, built('old'), path.join(root, 'rev-old'));
    const artifact = path.join(store, old.hex);

    // The collector is halfway through removing the artifact, under its lock (collect-trees.ts):
    // some files gone, the directory still there. It finishes when the test says so.
    let finishRemoval = () => undefined as void;
    const removing = locks.run(old.hex, async () => {
      fs.rmSync(path.join(artifact, 'assets', 'img'), { recursive: true });
      fs.rmSync(path.join(artifact, 'index.html'));
      await new Promise<void>((resolve) => (finishRemoval = resolve));
      fs.rmSync(artifact, { recursive: true });
    });
    // A new build of the same output claims the hash as the builder does (under the same lock).
    let claiming = () => undefined as void;
    const reachedClaim = new Promise<void>((resolve) => (claiming = resolve));
    const revision = path.join(root, 'rev-new');
    const building = storeTree(store, built('new'), revision, (hex) => {
      claiming();
      return locks.run(hex, async () => undefined);
    });
    await Promise.race([reachedClaim, building]); // a link that met the half-removed artifact fails here
    expect(fs.existsSync(revision)).toBe(false); // nothing linked from the half-removed artifact
    finishRemoval();
    await removing;

    const stored = await building;
    expect(stored.hex).toBe(old.hex);
    for (const file of files) {
      expect(fs.readFileSync(path.join(revision, file), 'utf8')).toBe(`content of ${file}`);
      expect(inode(path.join(revision, file))).toBe(inode(path.join(store, stored.hex, file)));
    }
    expect(fs.existsSync(path.join(root, 'new'))).toBe(false); // stored again in the removed one's place
  });

  it('leaves the tree for the caller when the stored copy is still there', async () => {
    const claimed: string[] = [];
    const third = await storeTree(store, tree('three'), path.join(root, 'rev3'), async (hex) => void claimed.push(hex));
    expect(claimed).toEqual([third.hex]);
    expect(fs.existsSync(path.join(root, 'three'))).toBe(true);
    expect(inode(path.join(root, 'rev3/index.html'))).toBe(inode(path.join(store, third.hex, 'index.html')));
  });
});
