// Serves the built web console (web/dist) at `/`: hashed assets with long-lived cache headers,
// and index.html (never cached) for every other page a browser opens, so the single-page app's
// links work when opened directly. The API, docs and /metrics keep their own, more specific routes.
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The console only calls Berth itself, plus presigned upload URLs that may name another host. */
const contentSecurityPolicy = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self' http: https:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const notBuiltPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Berth</title></head>
<body><h1>Berth</h1><p>The web console is not built: run <code>npm run build</code> (npm start does).
The API reference is at <a href="/docs">/docs</a>.</p></body></html>`;

export function consoleRoutes(consoleDir: string | null) {
  return async (app: FastifyInstance) => {
    const indexFile = consoleDir ? path.join(consoleDir, 'index.html') : null;
    const built = indexFile !== null && fs.existsSync(indexFile);
    const assetsDir = consoleDir ? path.join(consoleDir, 'assets') : null;
    if (built && assetsDir && fs.existsSync(assetsDir)) {
      // File names carry their content hash (Vite), so a browser may keep them for a year.
      await app.register(fastifyStatic, {
        root: assetsDir,
        prefix: '/assets/',
        wildcard: false,
        maxAge: '365d',
        immutable: true,
        // The build writes .br and .gz beside each asset; the one the browser accepts is sent.
        preCompressed: true,
        decorateReply: false,
      });
    }
    // Read again when the file changes: a console rebuilt while Berth runs (`npm run build`) names
    // new hashed assets, and the old index.html would point at files that are gone.
    const notBuilt = Buffer.from(notBuiltPage);
    let cached: { mtimeMs: number; size: number; body: Buffer } | null = null;
    const currentIndex = async (): Promise<Buffer> => {
      if (!built || !indexFile) return notBuilt;
      const stat = await fs.promises.stat(indexFile).catch(() => null);
      if (!stat) return notBuilt;
      if (cached?.mtimeMs !== stat.mtimeMs || cached.size !== stat.size) cached = { mtimeMs: stat.mtimeMs, size: stat.size, body: await fs.promises.readFile(indexFile) };
      return cached.body;
    };
    const sendIndex = async (reply: FastifyReply) =>
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .header('content-security-policy', contentSecurityPolicy)
        .header('x-content-type-options', 'nosniff')
        .send(await currentIndex());
    app.get('/', { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      const pathname = request.url.split('?')[0] ?? '';
      // Only a browser opening a page (Accept: text/html) gets the app; API clients, unknown API
      // paths and missing files keep the API's 404 (in the shape of the dialect owning the path).
      const wantsPage = (request.headers.accept ?? '').includes('text/html');
      if (!wantsPage || pathname.startsWith('/api/') || pathname.startsWith('/assets/') || path.extname(pathname) !== '')
        return reply.callNotFound();
      return sendIndex(reply);
    });
  };
}
