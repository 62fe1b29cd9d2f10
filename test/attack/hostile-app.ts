// The hostile app the attack suite deploys: a web app whose endpoints try, from inside its
// instance, what a tenant should never manage (reach the host, Berth or other apps, read what is
// not its own, exhaust processes, memory, cpu or disk) and answer what happened as JSON.
import fs from 'node:fs';
import path from 'node:path';

export const HOSTILE_SOURCE = String.raw`'use strict';
const http = require('node:http');
const net = require('node:net');
const fs = require('node:fs');
const { spawn } = require('node:child_process');
const json = (res, body) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(body)); };
const tryIt = (fn) => { try { return { ok: true, value: fn() }; } catch (e) { return { ok: false, code: e.code || String(e) }; } };

const attacks = {
  connect: (q, done) => {
    const socket = net.connect({ host: q.get('host'), port: Number(q.get('port')), timeout: 2000 });
    const end = (body) => { socket.destroy(); done(body); };
    socket.once('connect', () => end({ ok: true }));
    socket.once('timeout', () => end({ ok: false, code: 'TIMEOUT' }));
    socket.once('error', (e) => end({ ok: false, code: e.code }));
  },
  get: (q, done) => {
    const req = http.get(q.get('url'), { timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => done({ ok: true, status: res.statusCode, body: body.slice(0, 300) }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (e) => done({ ok: false, code: e.code }));
  },
  read: (q, done) => done(tryIt(() => (fs.statSync(q.get('path')).isDirectory() ? fs.readdirSync(q.get('path')) : fs.readFileSync(q.get('path'), 'utf8').slice(0, 100)))),
  fork: (q, done) => {
    const children = [];
    let failed = 0;
    for (let i = 0; i < Number(q.get('n')); i++) {
      try {
        const child = spawn('/bin/sleep', ['30'], { stdio: 'ignore' });
        child.on('error', () => { failed += 1; });
        children.push(child);
      } catch { failed += 1; }
    }
    // Answers once every child is reaped, so that the next attempt has its pids back.
    setTimeout(() => {
      const live = children.filter((c) => c.pid !== undefined && c.exitCode === null && c.signalCode === null);
      let left = live.length;
      if (left === 0) return done({ started: 0, failed });
      for (const c of live) {
        c.once('exit', () => { if (--left === 0) done({ started: live.length, failed }); });
        try { c.kill('SIGKILL'); } catch {}
      }
    }, 1000);
  },
  // The hog offers itself to the OOM killer first: after the fork attempt the app's own heap is
  // big enough that the kernel could pick the app instead (the edge then answers 502).
  mem: (q, done) => {
    const child = spawn(process.execPath, ['-e', 'try { require("fs").writeFileSync("/proc/self/oom_score_adj", "1000"); } catch {} const a = []; for (let i = 0; i < ' + Number(q.get('mb')) + '; i++) a.push(Buffer.alloc(1 << 20, 1)); console.log("held all")'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', (e) => done({ spawnError: e.code }));
    child.on('exit', (code, signal) => done({ code, signal, heldAll: out.includes('held all') }));
  },
  cpu: (q, done) => {
    const wallStart = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    const until = Date.now() + Number(q.get('ms'));
    while (Date.now() < until) Math.sqrt(Math.random());
    const cpu = process.cpuUsage(cpuStart);
    const wall = Number(process.hrtime.bigint() - wallStart) / 1000;
    done({ cores: (cpu.user + cpu.system) / wall });
  },
  disk: (q, done) => {
    let written = 0;
    const chunk = Buffer.alloc(1 << 20, 7);
    const result = tryIt(() => { const fd = fs.openSync('hog.bin', 'w'); try { while (written < Number(q.get('mb'))) { fs.writeSync(fd, chunk); written += 1; } } finally { fs.closeSync(fd); } });
    tryIt(() => fs.rmSync('hog.bin'));
    done({ ...result, written });
  },
};

http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const attack = attacks[url.pathname.slice(1)];
  if (!attack) return json(res, { hostile: true });
  attack(url.searchParams, (body) => json(res, body));
}).listen(Number(process.env.PORT));
`;

export function writeHostileApp(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'server.js'), HOSTILE_SOURCE);
  return dir;
}
