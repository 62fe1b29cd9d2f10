// The e2e tests' app: answers JSON naming its revision and its instance (a random id chosen at
// start, since sandboxed instances share pid numbers across pid namespaces), answers
// `/slow?ms=N` after N ms, finishes in-flight requests on SIGTERM (saying `terminating: true`
// in those answers) unless told to ignore it or to have no handler, and can crash.
import fs from 'node:fs';
import path from 'node:path';
import { artifactDir } from '../../support/app-fixtures.js';

export interface InstanceAppOptions {
  /** Exit with code 1 this long after the first request (the readiness probe), so it is ready first. */
  crashAfterFirstRequestMs?: number;
  /** Listen this long after starting: an answer given just after a scale-up then sees the new instances not ready yet. */
  listenAfterMs?: number;
  /** Ignore SIGTERM (only SIGKILL stops it), as an app stuck in a handler would. */
  ignoreSigterm?: boolean;
  /** No SIGTERM handler, as most apps (Express, Python's http.server): the signal kills it at once. */
  noSigtermHandler?: boolean;
}

export function instanceApp(text: string, options: InstanceAppOptions = {}): string {
  const dir = artifactDir();
  const crash =
    options.crashAfterFirstRequestMs === undefined ? '' : `if (!crashing) { crashing = true; setTimeout(() => process.exit(1), ${options.crashAfterFirstRequestMs}); }`;
  fs.writeFileSync(
    path.join(dir, 'server.js'),
    `const http = require('http');
const instance = require('crypto').randomBytes(6).toString('hex');
let crashing = false;
let terminating = false;
const server = http.createServer((req, res) => {
  ${crash}
  const slowMs = req.url.startsWith('/slow?ms=') ? Number(req.url.slice('/slow?ms='.length)) : 0;
  const answer = () => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ text: ${JSON.stringify(text)}, revision: process.env.BERTH_REVISION, instance, terminating, path: req.url, cookie: req.headers.cookie ?? null }));
  };
  if (slowMs > 0) setTimeout(answer, slowMs);
  else answer();
});
setTimeout(() => server.listen(Number(process.env.PORT), '127.0.0.1'), ${options.listenAfterMs ?? 0});
${options.noSigtermHandler ? '' : `process.on('SIGTERM', () => { terminating = true; ${options.ignoreSigterm ? '' : 'server.close(() => process.exit(0));'} });`}
`,
  );
  return dir;
}

export const nodeCommand = ['/usr/bin/node', 'server.js'];
