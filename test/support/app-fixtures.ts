// Small apps written to temp dirs, used as artifacts: what a build would produce.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let root: string | null = null;

/** A fresh directory for one artifact, removed after its test file (see artifact-cleanup.ts). */
export function artifactDir(): string {
  if (!root) root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-apps-'));
  const dir = fs.mkdtempSync(path.join(root, 'app-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** An HTTP app answering `{ revision, body }` with the text given, on PORT. */
export function helloApp(text: string, options: { readyDelayMs?: number; failReady?: boolean } = {}): string {
  const dir = artifactDir();
  fs.writeFileSync(
    path.join(dir, 'server.js'),
    `const http = require('http');
const start = Date.now();
const server = http.createServer((req, res) => {
  if (${options.failReady ? 'true' : 'false'}) { res.statusCode = 503; return res.end('never ready'); }
  if (Date.now() - start < ${options.readyDelayMs ?? 0}) { res.statusCode = 503; return res.end('warming'); }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ text: ${JSON.stringify(text)}, revision: process.env.BERTH_REVISION, path: req.url, headers: req.headers }));
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`,
  );
  return dir;
}

/** Removes every artifact made so far. Vitest's fork workers never emit 'exit', so a hook calls this. */
export function removeArtifacts(): void {
  if (root) fs.rmSync(root, { recursive: true, force: true });
  root = null;
}
