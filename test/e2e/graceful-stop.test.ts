// SIGTERM to Berth (what `docker stop` and systemd send), with the edge in Berth's process and on
// 2 worker processes, in front of an app that ignores SIGTERM. What a user sees: from the signal
// on, a new connection to the edge port is refused (never answered 502 by an instance on its way
// out); a slow request in flight that the app answers within BERTH_DRAIN_TIMEOUT_MS gets its 200
// and full body; a request that never finishes is cut (502) once the instance is killed at the
// drain time; Berth exits 0 after about one drain and leaves no process. And in front of an app
// with no SIGTERM handler (most apps: the signal kills it at once), a request in flight at the
// signal still gets its answer: the instances are signalled only once the edge has none in
// flight (as a rollout drains an old instance). The times are printed.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBerth } from '../support/test-berth.js';
import { createApp, deployDir } from './support/berth-actions.js';
import { killScope } from './support/berth-process.js';
import { edgeRequest, until } from './support/edge-client.js';
import { instanceApp, type InstanceAppOptions } from './support/instance-app.js';
import { processesOfDir } from './support/proc-scan.js';

const drainMs = 4_000;
/** Well within the drain time, and long enough for SIGTERM to arrive while it is in flight. */
const slowMs = 2_000;

/** Live child processes of `pid` whose command line contains `marker`. */
function childrenOf(pid: number, marker: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) found.push(Number(name));
    } catch {
      // exited while scanning
    }
  }
  return found;
}

const alive = (pid: number): boolean => fs.existsSync(`/proc/${pid}`);

/** A data dir holding one deployed app `slug`, for Berths the tests start and stop themselves. */
function deployedOnce(scopeName: string, slug: string, appOptions: InstanceAppOptions) {
  const scope = killScope(scopeName);
  const deployed = { scope, appDir: '' };
  afterAll(() => scope.cleanup());
  beforeAll(async () => {
    const setup = await startTestBerth('sqlite', { dataDir: scope.dataDir, env: { BERTH_CGROUP_NAME: scope.cgroupName } });
    deployed.appDir = instanceApp(slug, appOptions);
    const appId = await createApp(setup, { name: slug, slug, visibility: 'public' });
    expect((await deployDir(setup, appId, deployed.appDir, `dir:${slug}`)).deployment.status).toBe('succeeded');
    await setup.close();
  }, 120_000);
  return deployed;
}

describe('Berth stops on SIGTERM whatever its apps do', () => {
  const deployed = deployedOnce('stop', 'stubborn', { ignoreSigterm: true });
  const scope = deployed.scope;

  it.each([
    { name: 'in-process edge', workers: 0 },
    { name: 'edge on 2 workers', workers: 2 },
  ])('refuses new connections, answers a slow request in flight, cuts an endless one ($name)', { timeout: 180_000 }, async ({ workers }) => {
    const env: Record<string, string> = {
      ...(await scope.processEnv()),
      BERTH_DRAIN_TIMEOUT_MS: String(drainMs),
      BERTH_EDGE_WORKERS: String(workers),
    };
    const edgePort = Number(env.BERTH_EDGE_PORT);
    const berth = await scope.start(env);
    const served = await until(() => edgeRequest(edgePort, 'stubborn.localhost').catch(() => null), (r) => r?.status === 200, 60_000, 50);
    expect(served?.status).toBe(200);
    const edgeWorkers = childrenOf(berth.pid, 'edge-worker-main');
    expect(edgeWorkers).toHaveLength(workers);

    const endless = edgeRequest(edgePort, 'stubborn.localhost', { path: '/slow?ms=600000' }).catch((error: Error) => error);
    const slow = edgeRequest(edgePort, 'stubborn.localhost', { path: `/slow?ms=${slowMs}` }).catch((error: Error) => error);
    await new Promise((r) => setTimeout(r, 500));
    let exited = false;
    void berth.exited.then(() => (exited = true));
    const stopAt = Date.now();
    berth.child.kill('SIGTERM');

    // A new connection at a time until Berth is gone: answered (before the edge closed its port) or refused.
    const probes: string[] = [];
    let firstRefusedMs: number | null = null;
    while (!exited) {
      const outcome = await edgeRequest(edgePort, 'stubborn.localhost').then(
        (r) => `HTTP ${r.status}`,
        (error: NodeJS.ErrnoException) => error.code ?? error.message,
      );
      if (exited) break;
      probes.push(outcome);
      if (outcome === 'ECONNREFUSED') firstRefusedMs ??= Date.now() - stopAt;
      await new Promise((r) => setTimeout(r, 50));
    }
    const code = await berth.exited;
    const stopMs = Date.now() - stopAt;
    process.stdout.write(
      `${workers} edge workers: SIGTERM with requests in flight and an app ignoring SIGTERM: Berth exited after ${stopMs} ms (drain timeout ${drainMs} ms)\n` +
        `new connections while it stopped: ${summary(probes)}, the first refused after ${firstRefusedMs} ms\n`,
    );
    expect(code).toBe(0);
    // About one drain (the edge stops accepting, the instances drain, then what is left closes);
    // the bound is loose, for a loaded machine: it catches a drain that never ends, not speed.
    expect(stopMs).toBeLessThan(3 * drainMs);

    // (a) Refused from the start of the drain (not once the instances are gone: the bound is
    // half the drain, for a loaded machine, where it takes milliseconds), and never a 5xx from an
    // instance on its way out.
    const refusedAt = probes.indexOf('ECONNREFUSED');
    expect(refusedAt, summary(probes)).toBeGreaterThanOrEqual(0);
    expect(firstRefusedMs).toBeLessThan(drainMs / 2);
    expect(probes.slice(refusedAt).every((p) => p === 'ECONNREFUSED'), summary(probes)).toBe(true);
    // Before: answered, or (the instant the port closed) reset from the backlog.
    expect(probes.slice(0, refusedAt).every((p) => p === 'HTTP 200' || p === 'ECONNRESET'), summary(probes)).toBe(true);

    // (b) The slow request got its answer, whole.
    const answer = await slow;
    expect(answer instanceof Error ? answer.message : answer.status).toBe(200);
    if (!(answer instanceof Error)) expect(JSON.parse(answer.body)).toMatchObject({ text: 'stubborn', path: `/slow?ms=${slowMs}` });

    const cut = await endless;
    process.stdout.write(`the endless request: ${cut instanceof Error ? cut.message : `HTTP ${cut.status} ${cut.body.slice(0, 80)}`}\n`);
    expect(cut instanceof Error ? 0 : cut.status).not.toBe(200);

    // (c) No process left: no instance, no edge worker.
    expect(processesOfDir(deployed.appDir)).toEqual([]);
    expect(edgeWorkers.filter(alive)).toEqual([]);
  });
});

describe('Berth stops on SIGTERM without cutting requests to apps that die on SIGTERM', () => {
  const deployed = deployedOnce('stop-plain', 'plain', { noSigtermHandler: true });
  const scope = deployed.scope;

  it.each([
    { name: 'in-process edge', workers: 0 },
    { name: 'edge on 2 workers', workers: 2 },
  ])('answers a request in flight at the signal before the app gets SIGTERM ($name)', { timeout: 180_000 }, async ({ workers }) => {
    const answerMs = 1_500;
    const env: Record<string, string> = {
      ...(await scope.processEnv()),
      BERTH_DRAIN_TIMEOUT_MS: String(drainMs),
      BERTH_EDGE_WORKERS: String(workers),
    };
    const edgePort = Number(env.BERTH_EDGE_PORT);
    const berth = await scope.start(env);
    const served = await until(() => edgeRequest(edgePort, 'plain.localhost').catch(() => null), (r) => r?.status === 200, 60_000, 50);
    expect(served?.status).toBe(200);
    const edgeWorkers = childrenOf(berth.pid, 'edge-worker-main');
    expect(edgeWorkers).toHaveLength(workers);

    const sentAt = Date.now();
    const slow = edgeRequest(edgePort, 'plain.localhost', { path: `/slow?ms=${answerMs}` }).catch((error: Error) => error);
    await new Promise((r) => setTimeout(r, 300));
    const stopAt = Date.now();
    berth.child.kill('SIGTERM');
    const answer = await slow;
    const answeredMs = Date.now() - sentAt;
    const code = await berth.exited;
    const stopMs = Date.now() - stopAt;
    process.stdout.write(
      `${workers} edge workers: SIGTERM 300 ms into a ${answerMs} ms request to an app with no SIGTERM handler: ` +
        `${answer instanceof Error ? answer.message : `HTTP ${answer.status}`} after ${answeredMs} ms; Berth exited after ${stopMs} ms (drain timeout ${drainMs} ms)\n`,
    );

    expect(answer instanceof Error ? answer.message : answer.status, berth.output().slice(-2_000)).toBe(200);
    if (!(answer instanceof Error)) expect(JSON.parse(answer.body)).toMatchObject({ text: 'plain', path: `/slow?ms=${answerMs}`, terminating: false });
    expect(code).toBe(0);
    // Loose, for a loaded machine: about one drain at most (here, soon after the answer).
    expect(stopMs).toBeLessThan(3 * drainMs);
    expect(processesOfDir(deployed.appDir)).toEqual([]);
    expect(edgeWorkers.filter(alive)).toEqual([]);
  });
});

/** "HTTP 200 ×12, ECONNREFUSED ×40" in the order they first came. */
function summary(probes: string[]): string {
  const counts = new Map<string, number>();
  for (const p of probes) counts.set(p, (counts.get(p) ?? 0) + 1);
  return [...counts].map(([p, n]) => `${p} ×${n}`).join(', ');
}
