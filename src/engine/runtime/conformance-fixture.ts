// The small app every runtime test runs: one plain Node script (no dependencies) whose
// behaviour is picked by its arguments, so the same fixture serves all drivers and tests.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const FIXTURE_FILE = 'fixture.cjs';

/**
 * Modes (argv[2]):
 *   http [--delay MS] [--ignore-term] [--with-child] [--port N] [--host H] [--also-port N]
 *                                      GET / → {env,pid,uid,port}; /slow?ms=N; /status?code=N;
 *                                      /read?path=P; /write?path=P; /pids; /connect?host=H&port=N
 *                                      (a TCP connection attempt); /fill?mb=N (writes N MiB to
 *                                      fill.bin in its dir); --with-child also starts an
 *                                      idle child process (an orphan candidate); --port listens
 *                                      there instead of PORT, --host only on that address,
 *                                      --also-port on a second port too
 *   tcp                                 accepts and writes "hi"
 *   worker                              prints "tick N" every 100 ms
 *   exit CODE DELAY_MS                  prints to both streams, then exits with CODE
 *   busy                                spins forever
 *   alloc                               allocates and touches 8 MB every 10 ms
 */
export const FIXTURE_SOURCE = String.raw`'use strict';
const http = require('node:http');
const net = require('node:net');
const fs = require('node:fs');
const [mode, ...args] = process.argv.slice(2);
const port = Number(process.env.PORT);
const flag = (name) => args.includes(name);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : fallback; };
const text = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
let terminating = false;
const json = (res, code, body) => {
  // Once stopping, answer in-flight requests and close their connections, like a well-behaved app.
  res.writeHead(code, terminating ? { 'content-type': 'application/json', connection: 'close' } : { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const attempt = (fn) => { try { return { ok: true, value: fn() }; } catch (e) { return { ok: false, code: e.code || String(e) }; } };

function onTerm(close) {
  process.on('SIGTERM', () => {
    if (flag('--ignore-term')) { console.log('ignoring SIGTERM'); return; }
    console.log('SIGTERM received');
    terminating = true;
    close();
  });
}

if (mode === 'http') {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const q = (k) => url.searchParams.get(k);
    switch (url.pathname) {
      case '/': return json(res, 200, { env: process.env, pid: process.pid, uid: process.getuid(), gid: process.getgid(), port: req.socket.localPort });
      case '/fill': {
        let written = 0;
        const chunk = Buffer.alloc(1024 * 1024, 1);
        const result = attempt(() => { const fd = fs.openSync('fill.bin', 'w'); try { while (written < Number(q('mb'))) { fs.writeSync(fd, chunk); written += 1; } } finally { fs.closeSync(fd); } });
        return json(res, 200, { ...result, written });
      }
      case '/connect': {
        const socket = net.connect({ host: q('host'), port: Number(q('port')), timeout: Number(q('timeout') || 1500) });
        const done = (body) => { socket.destroy(); json(res, 200, body); };
        socket.once('connect', () => done({ ok: true }));
        socket.once('timeout', () => done({ ok: false, code: 'TIMEOUT' }));
        socket.once('error', (e) => done({ ok: false, code: e.code || String(e) }));
        return;
      }
      case '/slow': console.log('slow request started'); return setTimeout(() => json(res, 200, { done: true }), Number(q('ms')));
      case '/status': return json(res, Number(q('code')), {});
      case '/read': return json(res, 200, attempt(() => fs.statSync(q('path')).isDirectory() ? fs.readdirSync(q('path')) : fs.readFileSync(q('path'), 'utf8')));
      case '/write': return json(res, 200, attempt(() => fs.writeFileSync(q('path'), 'x')));
      case '/pids': return json(res, 200, { self: process.pid, pids: fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number) });
      default: return json(res, 404, {});
    }
  });
  const listenOn = option('--port', port);
  const host = text('--host');
  setTimeout(() => server.listen(listenOn, host, () => console.log('listening on ' + listenOn)), option('--delay', 0));
  if (args.includes('--also-port')) http.createServer(server.listeners('request')[0]).listen(option('--also-port', 0), host);
  if (flag('--with-child')) require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  console.error('http fixture starting');
  onTerm(() => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
} else if (mode === 'tcp') {
  // The readiness probe resets its connection: a greeting written to it fails, and must not crash the fixture.
  net.createServer((s) => s.on('error', () => {}).end('hi')).listen(port, () => console.log('tcp listening'));
  onTerm(() => process.exit(0));
} else if (mode === 'worker') {
  let n = 0;
  setInterval(() => console.log('tick ' + n++), 100);
  onTerm(() => process.exit(0));
} else if (mode === 'exit') {
  process.stdout.write('out-line\nsecond out-line\n');
  process.stderr.write('err-line\n');
  setTimeout(() => process.exit(Number(args[0])), Number(args[1] || 0));
} else if (mode === 'busy') {
  console.log('spinning');
  for (;;) { Math.sqrt(Math.random()); }
} else if (mode === 'alloc') {
  const kept = [];
  setInterval(() => { kept.push(Buffer.alloc(8 * 1024 * 1024, 1)); console.log('allocated ' + kept.length * 8 + ' MB'); }, 10);
} else {
  console.error('unknown mode ' + mode);
  process.exit(2);
}
`;

/** Creates `dir` holding the fixture; returns the dir. */
export async function writeFixtureApp(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, FIXTURE_FILE), FIXTURE_SOURCE);
  return dir;
}
