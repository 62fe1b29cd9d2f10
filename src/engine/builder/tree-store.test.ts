import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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

  it('leaves the tree for the caller when the stored copy is still there', async () => {
    const claimed: string[] = [];
    const third = await storeTree(store, tree('three'), path.join(root, 'rev3'), async (hex) => void claimed.push(hex));
    expect(claimed).toEqual([third.hex]);
    expect(fs.existsSync(path.join(root, 'three'))).toBe(true);
    expect(inode(path.join(root, 'rev3/index.html'))).toBe(inode(path.join(store, third.hex, 'index.html')));
  });
});
