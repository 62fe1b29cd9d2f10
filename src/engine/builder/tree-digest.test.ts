import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { digestTree, warmUpTreeDigest } from './tree-digest.js';

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
    await expect(digestTree(path.join(root, 'missing'))).rejects.toThrow(/hashing the tree failed/);
  });
});
