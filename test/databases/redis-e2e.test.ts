// A REDIS database end to end: a redis-server of its own with a password and an append-only file
// on its volume, and an app that counts through the REDIS_URL its attachment injected. The count
// survives a redeploy and a restart of Berth; an app that is not attached cannot reach the server.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactDir } from '../support/app-fixtures.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { edgeRequest, until } from '../e2e/support/edge-client.js';

/** An app that INCRs a counter over the socket REDIS_URL names (RESP by hand: no client library needed). */
function redisApp(version: string): string {
  const dir = artifactDir();
  fs.writeFileSync(
    path.join(dir, 'server.js'),
    `const net = require('net');
const url = process.env.REDIS_URL || 'unix://default:guess@/var/run/redis/redis.sock?db=0';
const [, user, password, socketPath] = /^unix:\\/\\/([^:]*):([^@]*)@(\\/[^?]+)/.exec(url);
const encode = (args) => '*' + args.length + '\\r\\n' + args.map((a) => '$' + Buffer.byteLength(a) + '\\r\\n' + a + '\\r\\n').join('');
function call(command) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let reply = '';
    socket.on('connect', () => socket.write(encode(['AUTH', user, decodeURIComponent(password)]) + encode(command)));
    socket.on('data', (chunk) => { reply += chunk; const lines = reply.split('\\r\\n'); if (lines.length >= 3) { socket.end(); resolve(lines.slice(0, 2)); } });
    socket.on('error', reject);
  });
}
require('http').createServer(async (req, res) => {
  const out = { version: ${JSON.stringify(version)}, attached: Boolean(process.env.REDIS_URL) };
  try {
    const [auth, reply] = await call(req.url === '/hit' ? ['INCR', 'hits'] : ['INCRBY', 'hits', '0']);
    out.auth = auth;
    out.hits = Number(String(reply).replace(/^:/, ''));
  } catch (error) { out.error = error.code || error.message; }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(out));
}).listen(Number(process.env.PORT));
`,
  );
  return dir;
}

describe.runIf(process.getuid?.() === 0)('a REDIS database attached to an app, through a real Berth', () => {
  let t: TestBerth;
  const dataDir = fs.mkdtempSync('/tmp/berth-redis-');
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;
  const ask = async (slug: string, p = '/') => JSON.parse((await edgeRequest(t.berth.edgePort, `${slug}.localhost`, { path: p })).body) as Record<string, unknown>;
  const deploy = async (appId: string, version: string) => {
    const result = await t.berth.core.deployArtifact({ appId, artifactDir: redisApp(version), command: ['/usr/bin/node', 'server.js'], imageRef: `dir:redis-${version}`, triggerType: 'MANUAL' });
    expect(result.deployment.status, result.deployment.error ?? '').toBe('succeeded');
  };

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { dataDir });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the count across a redeploy and a restart; only the attached app reaches it; delete removes it', { timeout: 180_000 }, async (ctx) => {
    if (!t.berth.runtime.isolation.sandbox) return ctx.skip();
    const created = await t.request('POST', ws('/databases'), { body: { name: 'Cache', slug: 'cache', engine: 'REDIS', storageGb: 1, memory: '128Mi' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ engine: 'REDIS', version: '7' });
    const db = created.body;
    const running = await until(() => t.request('GET', ws(`/databases/${db.id}`)), (r) => r.body.status !== 'PROVISIONING', 30_000);
    expect(running.body.status, JSON.stringify(running.body)).toBe('RUNNING');
    const connection = (await t.request('GET', ws(`/databases/${db.id}/connection`))).body;
    expect(connection.uri).toBe(`unix://default:${connection.password}@/var/run/redis/redis.sock?db=0`);

    const app = (await t.request('POST', ws('/apps'), { body: { name: 'Counter', slug: 'counter', visibility: 'public' } })).body;
    const attached = await t.request('POST', ws(`/databases/${db.id}/attachments`), { body: { appId: app.id } });
    expect(attached.body).toMatchObject({ secretName: 'REDIS_URL', mountPath: '/var/run/redis' });
    await deploy(app.id, 'one');
    await ask('counter', '/hit');
    expect(await ask('counter', '/hit')).toMatchObject({ attached: true, auth: '+OK', hits: 2 });
    await deploy(app.id, 'two');
    expect(await ask('counter', '/hit')).toMatchObject({ version: 'two', hits: 3 });

    const stranger = (await t.request('POST', ws('/apps'), { body: { name: 'Nosy', slug: 'nosy', visibility: 'public' } })).body;
    await deploy(stranger.id, 'nosy');
    expect(await ask('nosy', '/hit')).toMatchObject({ attached: false, error: 'ENOENT' });

    await t.close();
    t = await startTestBerth('sqlite', { dataDir });
    const back = await until(() => ask('counter').catch(() => ({}) as Record<string, unknown>), (r) => typeof r.hits === 'number', 60_000, 200);
    expect(back, JSON.stringify(back)).toMatchObject({ hits: 3 });

    expect((await t.request('DELETE', ws(`/databases/${db.id}`))).status).toBe(204);
    expect(fs.existsSync(path.join(dataDir, 'volumes', db.id))).toBe(false);
  });
});
