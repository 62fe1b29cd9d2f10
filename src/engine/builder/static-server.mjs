// Berth's static file server: copied into static-site artifacts and run as their command, so a
// site whose build emits files needs no server of its own. Serves GET/HEAD from one directory,
// never outside it (symlinks included), index.html for directories, and for single-page apps
// index.html for paths that name no file. Dotfiles (.env, .git/…) are never served, except under
// .well-known/. Each file has an ETag from its content, so `no-cache` revalidations of an unchanged
// file are answered 304 without the body. No Last-Modified: uploaded trees may carry any mtimes
// (a tarball made with fixed ones), and a date would then say "unchanged" of a changed file.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import process from 'node:process';

const root = await realpath(process.argv[2] ?? '.');
const spa = process.argv.includes('--spa');
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8', '.woff': 'font/woff', '.woff2': 'font/woff2', '.wasm': 'application/wasm',
  '.map': 'application/json', '.xml': 'application/xml', '.webmanifest': 'application/manifest+json',
};

/** A path (relative to the root) with a segment that starts with a dot, other than `.well-known`. */
function hidden(relative) {
  return relative.split('/').some((segment) => segment.startsWith('.') && segment !== '.well-known' && segment !== '.' && segment !== '..');
}

async function resolveFile(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const requested = path.normalize(`/${decoded}`);
  if (hidden(requested)) return null;
  let candidate = path.join(root, requested);
  try {
    candidate = await realpath(candidate);
    if (candidate !== root && !candidate.startsWith(`${root}/`)) return null;
    if (hidden(path.relative(root, candidate))) return null;
    const info = await stat(candidate);
    if (info.isDirectory()) return resolveFile(`${path.relative(root, candidate)}/index.html`);
    return info.isFile() ? { file: candidate, size: info.size, mtimeMs: info.mtimeMs, ino: info.ino } : null;
  } catch {
    return null;
  }
}

/** Content hashes, once per file: artifact files never change in place (a new one is a new inode). */
const etags = new Map();
async function etagOf(found) {
  const key = `${found.ino}:${found.size}:${found.mtimeMs}:${found.file}`;
  let tag = etags.get(key);
  if (tag === undefined) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(found.file)) hash.update(chunk);
    tag = `"${hash.digest('base64url').slice(0, 32)}"`;
    etags.set(key, tag);
  }
  return tag;
}

/** RFC 9110 §13.1.2: If-None-Match, compared weakly. */
function notModified(req, etag) {
  const match = req.headers['if-none-match'];
  if (match === undefined) return false;
  return match.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || (t.startsWith('W/') ? t.slice(2) : t) === etag;
  });
}

http
  .createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const urlPath = (req.url ?? '/').split('?')[0] ?? '/';
    let found = await resolveFile(urlPath);
    if (!found && spa && path.extname(urlPath) === '') found = await resolveFile('/index.html');
    if (!found) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    const type = types[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream';
    const immutable = /\/assets\//.test(found.file) && !found.file.endsWith('.html');
    let etag;
    try {
      etag = await etagOf(found);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    const validators = { etag, 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' };
    if (notModified(req, etag)) {
      res.writeHead(304, validators).end();
      return;
    }
    res.writeHead(200, { ...validators, 'content-type': type, 'content-length': found.size, 'x-content-type-options': 'nosniff' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
  })
  .listen(Number(process.env.PORT ?? 8080), '0.0.0.0');
