// The Apps API (spec 002) on apps that run (real instances, artifacts deployed through the core),
// in process, on SQLite and PostgreSQL: status with pods, pods, metrics with disk, log tails,
// deployment history (active/superseded) and revert, PATCH env rolling out, events (folded) and
// the audit trail; restart replaces every instance under constant load with no failed request
// and no new revision.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConstantLoad } from '../../bench/zero-downtime/constant-load.js';
import { artifactDir } from '../support/app-fixtures.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { edgeJson, until } from '../e2e/support/edge-client.js';
import { instanceApp, nodeCommand } from '../e2e/support/instance-app.js';

/** Logs a line per request, answers with its revision, instance and GREETING, and can write a file. */
function loggingApp(text: string): string {
  const dir = artifactDir();
  fs.writeFileSync(
    path.join(dir, 'server.js'),
    `const http = require('http');
const fs = require('fs');
const instance = require('crypto').randomBytes(6).toString('hex');
const server = http.createServer((req, res) => {
  if (req.url === '/write') fs.writeFileSync('written.bin', Buffer.alloc(256 * 1024, 1));
  else if (req.url !== '/') console.log('served ' + req.url);
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ text: ${JSON.stringify(text)}, revision: process.env.BERTH_REVISION, instance, greeting: process.env.GREETING ?? null }));
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`,
  );
  return dir;
}

describe.each(backends)('running apps through the Apps API on %s', (backend) => {
  let t: TestBerth;
  let app: { id: string; slug: string };
  const v1 = (method: string, rest: string, body?: unknown) => t.request(method, `/api/v1/apps/${app.slug}${rest}`, body === undefined ? {} : { body });
  const deploy = async (dir: string, ref: string) => {
    const result = await t.berth.core.deployArtifact({ appId: app.id, artifactDir: dir, command: nodeCommand, imageRef: ref, triggerType: 'MANUAL' });
    expect(result.deployment.status, result.deployment.error ?? '').toBe('succeeded');
    return result;
  };
  const host = () => `${app.slug}.localhost`;

  beforeAll(async () => {
    t = await startTestBerth(backend, { via: 'inject' });
    app = (await t.request('POST', '/api/v1/apps', { body: { name: `Runner ${backend}`, source_type: 'upload', replicas: 2, env: { GREETING: 'hello' } } })).body;
    await deploy(loggingApp('one'), 'dir:one');
  });
  afterAll(async () => t?.close());

  it('status: replicas wanted and ready, and the pods of the serving revision', async () => {
    const status = await until(async () => (await v1('GET', '/status')).body, (s) => s.ready_replicas === 2, 20_000);
    expect(status).toMatchObject({ app_id: app.id, status: 'running', desired_replicas: 2, ready_replicas: 2 });
    expect(status.pods).toHaveLength(2);
    for (const pod of status.pods) expect(pod).toEqual({ name: expect.stringMatching(new RegExp(`^${app.slug}-00001-`)), phase: 'Running', ready: true });
    const detail = (await t.request('GET', `/api/v1/apps/${app.id}`)).body;
    expect(detail).toMatchObject({ status: 'running', last_deploy_at: expect.any(String), latest_deployment: { status: 'active' } });
  });

  it('pods: each instance with its phase, readiness, restarts, start, revision and node', async () => {
    const pods = (await v1('GET', '/pods')).body;
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod).toEqual({ name: expect.any(String), phase: 'Running', ready: true, restarts: 0, started_at: expect.any(String), revision: `${app.slug}-00001`, node: expect.any(String), serving: true });
      expect(Date.now() - Date.parse(pod.started_at)).toBeLessThan(120_000);
    }
  });

  it('metrics: cpu, memory, the disk each instance wrote and its network, now', async () => {
    const before = (await v1('GET', '/metrics')).body;
    // Instances run in namespaces of their own here: their traffic is counted on the host's end of their veth.
    expect(before).toMatchObject({ app_id: app.id, cpu_percent: expect.any(Number), memory_mib: expect.any(Number), network_rx_bytes: expect.any(Number), network_tx_bytes: expect.any(Number) });
    expect(before.pods).toHaveLength(2);
    expect(before.memory_mib).toBeGreaterThan(0);
    for (const pod of before.pods) expect(pod).toMatchObject({ serving: true, memory_mib: expect.any(Number), disk_bytes: expect.any(Number) });
    await edgeJson(t.berth.edgePort, host(), '/write');
    // The revision's instances share one writable space; its disk measure is cached for 5 s.
    const after = await until(async () => (await v1('GET', '/metrics')).body, (m) => (m.disk_bytes ?? 0) >= 256 * 1024, 15_000);
    expect(after.disk_bytes).toBeGreaterThanOrEqual(256 * 1024);
    expect(after.disk_bytes).toBeLessThan(2 * 1024 * 1024); // only what the app wrote, not the artifact
    // The request and its answer went through the instances' network.
    expect(after.network_rx_bytes).toBeGreaterThan(before.network_rx_bytes);
    expect(after.network_tx_bytes).toBeGreaterThan(before.network_tx_bytes);
  });

  it('logs: the last lines, oldest first, with their pod; ?lines= bounds them', async () => {
    for (const n of [1, 2, 3]) await edgeJson(t.berth.edgePort, host(), `/req-${n}`);
    const logs = await until(async () => (await v1('GET', '/logs?lines=2')).body, (l) => l.lines.at(-1)?.message === 'served /req-3', 15_000);
    expect(logs.app_id).toBe(app.id);
    expect(logs.lines.map((l: { message: string }) => l.message)).toEqual(['served /req-2', 'served /req-3']);
    expect(logs.lines[0]).toEqual({ timestamp: expect.any(String), pod: expect.stringMatching(/-00001-/), revision: `${app.slug}-00001`, stream: 'stdout', severity: 'INFO', message: 'served /req-2' });
    expect((await v1('GET', '/logs')).body.lines.length).toBeGreaterThanOrEqual(5);
    expect((await v1('GET', '/logs?lines=0')).status).toBe(400);
  });

  it('PATCH env rolls the serving revision out with the new env', async () => {
    const res = await v1('PATCH', '', { env: { GREETING: 'bonjour' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.deployment).toMatchObject({ trigger: 'env_change', status: 'deploying' });
    const answer = await until(() => edgeJson<{ greeting: string; revision: string }>(t.berth.edgePort, host()), (a) => a.greeting === 'bonjour', 30_000);
    expect(answer.revision).toBe(`${app.slug}-00002`);
    const unchanged = await v1('PATCH', '', { env: { GREETING: 'bonjour' } });
    expect(unchanged.body.deployment).toBeNull();
  });

  it('deployments: active holds traffic, superseded no longer does; image is the artifact; revert puts an earlier one live', async () => {
    await until(async () => (await v1('GET', '/deployments')).body, (d) => d[0]?.status === 'active', 30_000);
    const history = (await v1('GET', '/deployments')).body;
    expect(history.map((d: { status: string }) => d.status)).toEqual(['active', 'superseded']);
    expect(history.map((d: { trigger: string }) => d.trigger)).toEqual(['env_change', 'manual']);
    expect(history[1]).toMatchObject({ app_id: app.id, image: 'dir:one', revision: `${app.slug}-00001`, error: null, commit_sha: null });
    const revert = await v1('POST', `/deployments/${history[1].id}/revert`);
    expect(revert.status, JSON.stringify(revert.body)).toBe(202);
    expect(revert.body).toMatchObject({ trigger: 'revert', image: 'dir:one' });
    const after = await until(async () => (await v1('GET', '/deployments')).body, (d) => d[0]?.id === revert.body.id && d[0]?.status === 'active', 30_000);
    expect(after.map((d: { status: string }) => d.status)).toEqual(['active', 'superseded', 'superseded']);
    expect((await edgeJson<{ greeting: string }>(t.berth.edgePort, host())).greeting).toBe('bonjour');
    expect((await v1('POST', '/deployments/dep_nope/revert')).status).toBe(404);
    const other = (await t.request('POST', '/api/v1/apps', { body: { name: `Other ${backend}`, source_type: 'upload' } })).body;
    expect((await t.request('POST', `/api/v1/apps/${other.id}/deployments/${history[1].id}/revert`)).status).toBe(404);
  });

  it('restart: every instance replaced one at a time under load, 0 failed requests, no new revision or deployment', async () => {
    await until(async () => (await v1('GET', '/status')).body, (s) => s.ready_replicas === 2 && s.pods.length === 2, 30_000);
    const before = (await v1('GET', '/status')).body.pods.map((p: { name: string }) => p.name);
    const revisions = (await t.berth.store.revisions.list(app.id)).length;
    const deployments = (await v1('GET', '/deployments')).body.length;
    const servingRevision = (await t.berth.store.traffic.get(app.id))[0]?.revisionName;
    const load = startConstantLoad({ port: t.berth.edgePort, host: host(), ratePerSecond: 100 });
    await new Promise((r) => setTimeout(r, 500));
    const res = await v1('POST', '/restart');
    await new Promise((r) => setTimeout(r, 1000));
    await load.stop();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.restarted.map((r: { pod: string }) => r.pod).sort()).toEqual([...before].sort());
    const failed = load.outcomes.filter((o) => o.status !== 200);
    expect(failed, JSON.stringify(failed.slice(0, 3))).toEqual([]);
    expect(load.outcomes.length).toBeGreaterThan(100);
    const after = (await v1('GET', '/status')).body;
    expect(after.ready_replicas).toBe(2);
    // The last one replaced may still be draining: listed as Terminating until its process exits.
    const [leaving, serving] = [after.pods.filter((p: { phase: string }) => p.phase === 'Terminating'), after.pods.filter((p: { phase: string }) => p.phase !== 'Terminating')];
    for (const pod of leaving) expect(before).toContain(pod.name);
    expect(serving).toHaveLength(2);
    for (const pod of serving) expect(before).not.toContain(pod.name);
    expect(after.pods.every((p: { name: string }) => p.name.startsWith(`${servingRevision}-`))).toBe(true);
    expect((await t.berth.store.revisions.list(app.id)).length).toBe(revisions);
    expect((await v1('GET', '/deployments')).body.length).toBe(deployments);
    const events = (await v1('GET', '/events')).body;
    expect(events).toContainEqual(expect.objectContaining({ reason: 'Restarted', message: `Replaced 2 instances of ${servingRevision}, one at a time` }));
    for (const name of before) expect(events).toContainEqual(expect.objectContaining({ reason: 'Killing', involved_object: { kind: 'Instance', name } }));
  }, 120_000);

  it('events: what happened to the app, Kubernetes-style, most recent first', async () => {
    const events = (await v1('GET', '/events')).body;
    const reasons = new Set(events.map((e: { reason: string }) => e.reason));
    for (const reason of ['Scheduled', 'Started', 'Ready', 'RolloutStarted', 'RolloutSucceeded', 'Killing', 'Restarted']) expect(reasons).toContain(reason);
    for (const e of events) {
      expect(e).toEqual({ type: expect.stringMatching(/^(Normal|Warning)$/), reason: expect.any(String), message: expect.any(String), involved_object: { kind: expect.any(String), name: expect.any(String) }, count: expect.any(Number), first_timestamp: expect.any(String), last_timestamp: expect.any(String) });
    }
    const times = events.map((e: { last_timestamp: string }) => Date.parse(e.last_timestamp));
    expect(times).toEqual([...times].sort((a: number, b: number) => b - a));
  });

  it('events fold repeats: a crashing revision backs off with a growing count', async () => {
    const crasher = (await t.request('POST', '/api/v1/apps', { body: { name: `Crasher ${backend}`, source_type: 'upload' } })).body;
    const result = await t.berth.core.deployArtifact({ appId: crasher.id, artifactDir: instanceApp('crash', { crashAfterFirstRequestMs: 300 }), command: nodeCommand, imageRef: 'dir:crash', triggerType: 'MANUAL' });
    expect(result.deployment.status).toBe('succeeded');
    const backOff = async () => ((await t.request('GET', `/api/v1/apps/${crasher.id}/events`)).body as { reason: string; count: number }[]).filter((e) => e.reason === 'BackOff');
    const folded = await until(backOff, (e) => e.some((x) => x.count >= 3), 30_000);
    expect(folded).toHaveLength(1);
    expect(folded[0]).toMatchObject({ type: 'Warning', message: expect.stringMatching(/^Back-off restarting failed instances of .*-00001: exited with code 1/), involved_object: { kind: 'Revision' } });
    // A pod that replaced a failed one counts the restart (while one is up between crashes).
    const restarts = async () => Math.max(0, ...((await t.request('GET', `/api/v1/apps/${crasher.id}/pods`)).body as { restarts: number }[]).map((p) => p.restarts));
    expect(await until(restarts, (n) => n >= 1, 30_000, 20)).toBeGreaterThanOrEqual(1);
    await t.request('DELETE', `/api/v1/apps/${crasher.id}`);
  }, 60_000);

  it('audit: every change made to the app, with the key’s name', async () => {
    const audit = (await v1('GET', '/audit')).body;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['create', 'set_env', 'rollout_env', 'revert', 'restart']));
    for (const entry of audit) expect(entry).toEqual({ action: expect.any(String), user: 'admin (bootstrap)', details: expect.any(String), created_at: expect.any(String) });
    expect(audit).toContainEqual(expect.objectContaining({ action: 'restart', details: 'Restarted 2 instances' }));
    expect(audit.at(-1)).toMatchObject({ action: 'create', details: `Created the app (slug ${app.slug})` });
  });

  it('scale through PATCH: to 1, then 0 stops every instance; restart is refused then', async () => {
    expect((await v1('PATCH', '', { replicas: 1 })).body.replicas).toBe(1);
    await until(async () => (await v1('GET', '/status')).body, (s) => s.pods.length === 1, 20_000);
    expect((await v1('PATCH', '', { replicas: 0 })).body).toMatchObject({ replicas: 0, status: 'stopped' });
    const stopped = await until(async () => (await v1('GET', '/pods')).body, (p) => p.length === 0, 20_000);
    expect(stopped).toEqual([]);
    expect((await v1('POST', '/restart')).status).toBe(409);
    const events = (await v1('GET', '/events')).body;
    expect(events).toContainEqual(expect.objectContaining({ reason: 'ScalingReplicaSet', message: 'Scaled to 0 replicas' }));
  });
});
