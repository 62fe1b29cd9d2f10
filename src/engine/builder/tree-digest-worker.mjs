// Worker thread for the builder's walks over a tree, done synchronously (several times faster
// than the same walk with async fs calls, and off Berth's event loop). One walk, asked for:
// - freezes: every entry root-owned, directories 755, files 644 or 755 (the artifact rule:
//   apps read it, never write it); entries already so are left alone (a restored cache is);
// - hashes it over paths, modes, links and contents;
// - keeps the entries it listed, when asked, for a copy out of hard links (a revision's tree)
//   made by a later `link` message: from the tree itself or from a stored tree of the same
//   digest, which the caller claims against the collector in between (tree-store.ts).
// Records: `d rel\0`, `l rel\0target\0`, `f rel\0` + (`x`|`-`) + sha256 + `\0`, names sorted per
// directory; sockets and fifos are deleted (not part of an artifact). imageRefs are these
// digests: changing the records changes every artifact's name (tree-digest.test.ts pins them).
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';

/** Digests by inode: frozen files never change, and hard links (a restored cache) share inodes. */
const digests = new Map();

function fileDigest(file, info) {
  const key = `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
  const known = digests.get(key);
  if (known) return known;
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.min(Math.max(info.size, 1), 1 << 20));
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    fs.closeSync(fd);
  }
  const digest = hash.digest('hex');
  if (digests.size > 500000) digests.clear();
  digests.set(key, digest);
  return digest;
}

/** Root-owned and read-only for apps; the execute bits say the same thing before and after. */
function freezeEntry(full, info) {
  if (info.uid !== 0 || info.gid !== 0) fs.lchownSync(full, 0, 0);
  if (info.isSymbolicLink()) return;
  const mode = info.isDirectory() || (info.mode & 0o111) !== 0 ? 0o755 : 0o644;
  // chown clears set-id bits itself; compare against what is there now.
  if ((info.mode & 0o7777) !== mode) fs.chmodSync(full, mode);
}

function walk(dir, rel, job, entries) {
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const relative = rel ? `${rel}/${name}` : name;
    const info = fs.lstatSync(full);
    if (!info.isSymbolicLink() && !info.isDirectory() && !info.isFile()) {
      fs.rmSync(full, { force: true });
      continue;
    }
    if (job.freeze) freezeEntry(full, info);
    if (info.isSymbolicLink()) {
      const target = fs.readlinkSync(full);
      job.tree?.update(`l ${relative}\0${target}\0`);
      entries?.push(['l', relative, target]);
    } else if (info.isDirectory()) {
      job.tree?.update(`d ${relative}\0`);
      entries?.push(['d', relative]);
      walk(full, relative, job, entries);
    } else {
      job.tree?.update(`f ${relative}\0${(info.mode & 0o111) !== 0 ? 'x' : '-'}${fileDigest(full, info)}\0`);
      entries?.push(['f', relative]);
      job.files += 1;
      job.bytes += info.size;
    }
  }
}

/** `cp -al` from the entries a walk listed (parents come before their children). */
function linkCopy(from, to, entries) {
  fs.mkdirSync(to, { mode: 0o700 });
  for (const [kind, relative, target] of entries) {
    const dest = path.join(to, relative);
    if (kind === 'd') fs.mkdirSync(dest, { mode: 0o755 });
    else if (kind === 'l') fs.symlinkSync(target, dest);
    else fs.linkSync(path.join(from, relative), dest);
  }
}

/** Entries of walks asked to keep them, by root, until a `link` or `forget` for that root. */
const listings = new Map();

function walkJob({ root, freeze, hash, keepListing }) {
  const job = { freeze, tree: hash ? createHash('sha256') : null, files: 0, bytes: 0 };
  const entries = keepListing ? [] : null;
  if (freeze) freezeEntry(root, fs.lstatSync(root));
  walk(root, '', job, entries);
  if (entries) listings.set(root, entries);
  return { hex: job.tree ? job.tree.digest('hex') : null, files: job.files, bytes: job.bytes };
}

/** A worker started since the walk has no listing: the tree is listed again. */
function listingOf(root) {
  const kept = listings.get(root);
  listings.delete(root);
  if (kept) return kept;
  const entries = [];
  walk(root, '', { freeze: false, tree: null, files: 0, bytes: 0 }, entries);
  return entries;
}

parentPort.on('message', (message) => {
  try {
    let reply = {};
    if (message.op === 'walk') reply = walkJob(message);
    else if (message.op === 'link') linkCopy(message.from, message.to, listingOf(message.root));
    else listings.delete(message.root);
    parentPort.postMessage({ id: message.id, ...reply });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
