// Berth's static file server: copied into static-site artifacts and run as their command, so a
// site whose build emits files needs no server of its own. Serves GET/HEAD from one directory,
// never outside it (symlinks included), index.html for directories, and for single-page apps
// index.html for paths that name no file.
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

async function resolveFile(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  let candidate = path.join(root, path.normalize(`/${decoded}`));
  try {
    candidate = await realpath(candidate);
    if (candidate !== root && !candidate.startsWith(`${root}/`)) return null;
    const info = await stat(candidate);
    if (info.isDirectory()) return resolveFile(`${path.relative(root, candidate)}/index.html`);
    return info.isFile() ? { file: candidate, size: info.size } : null;
  } catch {
    return null;
  }
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
    res.writeHead(200, {
      'content-type': type,
      'content-length': found.size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
  })
  .listen(Number(process.env.PORT ?? 8080), '0.0.0.0');
