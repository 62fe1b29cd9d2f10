import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { digestTree, freezeAndDigestTree, freezeTree, linkCopyOf, warmUpTreeDigest } from './tree-digest.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('digestTree', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-digest-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('hashes paths, modes, links and contents in a fixed record format, and drops sockets', async () => {
    warmUpTreeDigest(); // a build's start warms the worker; warming twice changes nothing
    warmUpTreeDigest();
    fs.mkdirSync(path.join(root, 'bin'));
    fs.writeFileSync(path.join(root, 'bin/run'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(root, 'a.txt'), 'alpha');
    fs.symlinkSync('a.txt', path.join(root, 'link'));
    const socket = net.createServer();
    await new Promise<void>((resolve) => socket.listen(path.join(root, 'sock'), resolve));
    const expected = createHash('sha256')
      .update(`f a.txt\0-${sha('alpha')}\0`)
      .update('d bin\0')
      .update(`f bin/run\0x${sha('#!/bin/sh\n')}\0`)
      .update('l link\0a.txt\0')
      .digest('hex');
    expect(await digestTree(root)).toEqual({ hex: expected, files: 2, bytes: 15 });
    expect(fs.existsSync(path.join(root, 'sock'))).toBe(false);
    await new Promise((resolve) => socket.close(resolve));
  });

  it('changes with a mode bit and with content, and hashes many trees at once', async () => {
    const before = (await digestTree(root)).hex;
    fs.chmodSync(path.join(root, 'a.txt'), 0o744);
    const executable = (await digestTree(root)).hex;
    expect(executable).not.toBe(before);
    fs.chmodSync(path.join(root, 'a.txt'), 0o644);
    fs.writeFileSync(path.join(root, 'a.txt'), 'alphb');
    const [x, y] = await Promise.all([digestTree(root), digestTree(root)]);
    expect(x).toEqual(y);
    expect(x?.hex).not.toBe(before);
    await expect(digestTree(path.join(root, 'missing'))).rejects.toThrow(/walking the tree failed/);
  });

  it('freezes: root-owned, 755 for directories and executables, 644 for the rest, same digest', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-digest-freeze-'));
    try {
      const tree = path.join(scratch, 'tree');
      fs.mkdirSync(path.join(tree, 'dir'), { recursive: true });
      fs.writeFileSync(path.join(tree, 'dir/tool'), 'x');
      fs.writeFileSync(path.join(tree, 'secret'), 'y');
      fs.symlinkSync('secret', path.join(tree, 'link'));
      fs.chmodSync(path.join(tree, 'dir'), 0o777);
      fs.chmodSync(path.join(tree, 'dir/tool'), 0o4710);
      fs.chmodSync(path.join(tree, 'secret'), 0o600);
      if (process.getuid?.() === 0) for (const p of ['', 'dir', 'dir/tool', 'secret', 'link']) fs.lchownSync(path.join(tree, p), 4242, 4242);
      const unfrozen = await digestTree(tree);
      expect(await freezeAndDigestTree(tree)).toEqual(unfrozen);
      const modes = Object.fromEntries(['', 'dir', 'dir/tool', 'secret'].map((p) => [p, fs.statSync(path.join(tree, p)).mode & 0o7777]));
      expect(modes).toEqual({ '': 0o755, dir: 0o755, 'dir/tool': 0o755, secret: 0o644 });
      if (process.getuid?.() === 0) {
        for (const p of ['', 'dir', 'dir/tool', 'secret', 'link']) expect(fs.lstatSync(path.join(tree, p)).uid).toBe(0);
      }
      fs.chmodSync(path.join(tree, 'secret'), 0o666);
      await freezeTree(tree);
      expect(fs.statSync(path.join(tree, 'secret')).mode & 0o777).toBe(0o644);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('links a copy from the entries its walk kept, from the tree itself or from a stored one of its digest', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-digest-copy-'));
    try {
      const inode = (p: string) => fs.statSync(p).ino;
      const first = await digestTree(root, { keepListing: true });
      await linkCopyOf(root, root, path.join(scratch, 'one'));
      expect(inode(path.join(scratch, 'one/bin/run'))).toBe(inode(path.join(root, 'bin/run')));
      expect(inode(path.join(scratch, 'one/bin'))).not.toBe(inode(path.join(root, 'bin')));
      expect(fs.readlinkSync(path.join(scratch, 'one/link'))).toBe('a.txt');
      expect(fs.readdirSync(path.join(scratch, 'one')).sort()).toEqual(['a.txt', 'bin', 'link']);

      // Stored under its digest (as the builder does), the next copy of the same content links there.
      const stored = path.join(scratch, 'store', first.hex);
      fs.cpSync(root, stored, { recursive: true, verbatimSymlinks: true });
      expect(await digestTree(root, { keepListing: true })).toEqual(first);
      await linkCopyOf(root, stored, path.join(scratch, 'two'));
      expect(inode(path.join(scratch, 'two/a.txt'))).toBe(inode(path.join(stored, 'a.txt')));
      // No listing kept (or a restarted worker): the tree is listed again.
      await linkCopyOf(root, stored, path.join(scratch, 'three'));
      expect(fs.readdirSync(path.join(scratch, 'three')).sort()).toEqual(['a.txt', 'bin', 'link']);
      await expect(linkCopyOf(root, stored, path.join(scratch, 'two'))).rejects.toThrow(/EEXIST/);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
