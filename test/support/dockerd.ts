// A Docker Engine of the test's own: its own data root (kept between runs, so images made once
// are found again), exec root and socket under /tmp, no default bridge and no iptables changes,
// bridges from an address pool of its own. Started by the test, stopped by it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dockerClient } from '../../src/engine/runtime/docker/docker-client.js';

export interface TestDockerd {
  /** DOCKER_HOST for it. */
  host: string;
  stop(): Promise<void>;
}

/** Why dockerd tests cannot run here, or null. */
export function dockerdMissing(): string | null {
  return existsSync('/usr/sbin/dockerd') || existsSync('/usr/bin/dockerd') ? null : 'dockerd is not installed (apt-get install -y docker.io)';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `pool` picks the bridges' range (10.(40+pool).0.0/16), distinct per test file and outside the
 * /16s a Berth claims for its instances (10.64–10.253): a Berth of a test file running beside this
 * one may claim any of those, and its instances and these bridges must not share addresses.
 */
export async function startDockerd(tag: string, pool: number): Promise<TestDockerd> {
  const dataRoot = join('/var/tmp/berth-test-dockerd', tag);
  const runDir = join('/tmp', `berth-dockerd-${tag}`);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(dataRoot, { recursive: true });
  mkdirSync(runDir, { recursive: true });
  const socket = join(runDir, 'docker.sock');
  const child: ChildProcess = spawn(
    existsSync('/usr/sbin/dockerd') ? '/usr/sbin/dockerd' : '/usr/bin/dockerd',
    [
      '--data-root', dataRoot,
      '--exec-root', join(runDir, 'exec'),
      '--pidfile', join(runDir, 'docker.pid'),
      '-H', `unix://${socket}`,
      '--bridge=none',
      '--iptables=false',
      '--ip-masq=false',
      '--default-address-pool', `base=10.${40 + pool}.0.0/16,size=24`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } },
  );
  let log = '';
  child.stderr?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  const host = `unix://${socket}`;
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dockerd exited: ${log}`);
    if (existsSync(socket) && (await dockerClient(host).ping().then(() => true, () => false))) break;
    if (Date.now() > until) throw new Error(`dockerd did not start: ${log}`);
    await sleep(100);
  }
  return {
    host,
    async stop() {
      // The engine leaves the bridges of networks it still has when it stops: remove them first.
      await dockerClient(host).pruneNetworks().catch(() => undefined);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const gone = await Promise.race([new Promise((r) => child.once('exit', () => r(true))), sleep(15_000).then(() => false)]);
        if (!gone) child.kill('SIGKILL');
      }
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}
