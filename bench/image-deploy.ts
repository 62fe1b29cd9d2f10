// Benchmark (not a test) of the docker driver (issue 11), on a dockerd and a registry on loopback
// that it starts and stops:
//   1. IMAGE deploy from the local registry, call → first 200 through the edge, the image removed
//      from the engine first (so every round pulls), next to the same by hand in this script
//      through the Engine API (pull, create, start, poll until 200);
//   2. warm Dockerfile rebuild (unchanged layers), call → first 200 of the new revision, next to
//      the same cached build plus run by hand.
// Rounds alternate which goes first; the ratio kept is the median of the rounds' ratios.
// Run: npx tsx bench/image-deploy.ts [rounds]     Targets: image deploy ≤ 2 s; warm rebuild ≤ 3 s.
import http from 'node:http';
import type Docker from 'dockerode';
import { dockerClient } from '../src/engine/runtime/docker/docker-client.js';
import { pullImage } from '../src/engine/runtime/docker/images.js';
import { treeImageName } from '../src/engine/runtime/docker/tree-image.js';
import { startRegistry } from '../test/support/docker-registry.js';
import { startDockerd } from '../test/support/dockerd.js';
import { startGitServer } from '../test/support/git-http-server.js';
import { startTestBerth, type TestBerth } from '../test/support/test-berth.js';
import { buildImage, pushImage, serverImageFiles } from '../test/support/test-images.js';

const rounds = Number(process.argv[2] ?? 5);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function get(port: number, host: string, address = '127.0.0.1'): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.request({ host: address, port, path: '/', headers: { host }, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

async function until200(port: number, host: string, body: string, address?: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const res = await get(port, host, address);
    if (res.status === 200 && res.body === body) return;
    await sleep(5);
  }
  throw new Error(`no 200 with ${body} from ${host}`);
}

const ws = (t: TestBerth, rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;

async function createApp(t: TestBerth, body: Record<string, unknown>): Promise<string> {
  const res = await t.request<{ id: string }>('POST', ws(t, '/apps'), { body: { visibility: 'public', ...body } });
  if (res.status !== 201) throw new Error(`create app answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function deploy(t: TestBerth, body: Record<string, unknown>): Promise<{ id: string }> {
  const res = await t.request<{ id: string }>('POST', ws(t, '/deploy'), { body });
  if (res.status !== 201) throw new Error(`deploy answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

async function waitForDeployment(t: TestBerth, id: string): Promise<{ status: string; error: string | null }> {
  for (;;) {
    const res = await t.request<{ status: string; error: string | null }>('GET', ws(t, `/deploy/${id}`));
    if (['succeeded', 'failed', 'cancelled'].includes(res.body.status)) return res.body;
    await sleep(10);
  }
}

/**
 * Berth: deploy call → the new revision serves: its deployment succeeded (traffic moves before
 * it says so) and the edge answers 200 with `body` (a rebuild of unchanged code answers as before).
 */
async function timedDeploy(t: TestBerth, slug: string, request: Record<string, unknown>, body: string): Promise<number> {
  const started = Date.now();
  const deployment = await deploy(t, request);
  const ended = await waitForDeployment(t, deployment.id);
  if (ended.status !== 'succeeded') throw new Error(`deployment ${ended.status}: ${ended.error}`);
  await until200(t.berth.edgePort, `${slug}.localhost`, body);
  return Date.now() - started;
}

/** By hand through the Engine API: (pull), create, start, first 200 on its address. */
async function byHandRun(docker: Docker, image: string, body: string, pull: boolean): Promise<number> {
  const started = Date.now();
  if (pull) await pullImage(docker, image, null);
  const container = await docker.createContainer({ Image: image, Env: ['PORT=3000'], HostConfig: { NetworkMode: HAND_NETWORK } });
  await container.start();
  const info = await container.inspect();
  const ip = Object.values(info.NetworkSettings.Networks)[0]?.IPAddress ?? '';
  await until200(3000, 'x', body, ip);
  const ms = Date.now() - started;
  await container.remove({ force: true });
  return ms;
}

const HAND_NETWORK = 'bench-by-hand';

async function main(): Promise<void> {
  const dockerd = await startDockerd('bench', 5);
  await dockerClient(dockerd.host).createNetwork({ Name: HAND_NETWORK, Driver: 'bridge' }).catch(() => undefined);
  const registry = await startRegistry();
  const git = await startGitServer();
  const t = await startTestBerth('sqlite', { env: { BERTH_RUNTIME: 'docker', DOCKER_HOST: dockerd.host, BERTH_ALLOW_PRIVATE_NETWORKS: '1' } });
  const docker = dockerClient(dockerd.host);
  const base = treeImageName(process.version);
  const image = { berth: [] as number[], hand: [] as number[], ratios: [] as number[] };
  const rebuild = { berth: [] as number[], hand: [] as number[], ratios: [] as number[] };
  try {
    for (let round = 1; round <= rounds; round++) {
      const repo = `${registry.address}/bench-${round}`;
      const text = `round ${round}`;
      await buildImage(docker, `${repo}:1`, serverImageFiles(base, text));
      await pushImage(docker, repo, '1');
      const slug = `img${round}`;
      const appId = await createApp(t, { name: slug, slug });
      const runBerth = async () => {
        await docker.getImage(`${repo}:1`).remove({ force: true }).catch(() => undefined);
        image.berth.push(await timedDeploy(t, slug, { appId, source: { type: 'IMAGE', imageRef: `${repo}:1` } }, text));
      };
      const runHand = async () => {
        await docker.getImage(`${repo}:1`).remove({ force: true }).catch(() => undefined);
        image.hand.push(await byHandRun(docker, `${repo}:1`, text, true));
      };
      for (const step of round % 2 === 1 ? [runHand, runBerth] : [runBerth, runHand]) await step();
      image.ratios.push((image.berth.at(-1) ?? NaN) / (image.hand.at(-1) ?? NaN));

      const files = serverImageFiles(base, `built ${round}`);
      const source = git.createRepo(`dockerfile-${round}`, files);
      const dslug = `df${round}`;
      const dockerfileApp = await createApp(t, { name: dslug, slug: dslug, gitRepoUrl: source.url, dockerfilePath: 'Dockerfile' });
      await timedDeploy(t, dslug, { appId: dockerfileApp }, `built ${round}`); // cold: fills the layer cache
      const warmBerth = async () => rebuild.berth.push(await timedDeploy(t, dslug, { appId: dockerfileApp }, `built ${round}`));
      const warmHand = async () => {
        const started = Date.now();
        await buildImage(docker, `bench-hand:${round}`, files);
        await byHandRun(docker, `bench-hand:${round}`, `built ${round}`, false);
        rebuild.hand.push(Date.now() - started);
      };
      for (const step of round % 2 === 1 ? [warmHand, warmBerth] : [warmBerth, warmHand]) await step();
      rebuild.ratios.push((rebuild.berth.at(-1) ?? NaN) / (rebuild.hand.at(-1) ?? NaN));
      console.log(
        `round ${round}: image deploy ${seconds(image.berth.at(-1) ?? 0)} (by hand ${seconds(image.hand.at(-1) ?? 0)}), warm Dockerfile rebuild ${seconds(rebuild.berth.at(-1) ?? 0)} (by hand ${seconds(rebuild.hand.at(-1) ?? 0)})`,
      );
    }
  } finally {
    await t.close();
    await git.close();
    await registry.stop();
    await docker.getNetwork(HAND_NETWORK).remove().catch(() => undefined);
    await dockerd.stop();
  }
  console.log(`\nDocker driver, ${rounds} rounds, call → first 200 through the edge:`);
  console.log(`  IMAGE deploy from the local registry (pull included): median ${seconds(median(image.berth))}; by hand (pull, create, start, first 200) ${seconds(median(image.hand))}; median ratio ${median(image.ratios).toFixed(2)}× (target ≤ 2 s)`);
  console.log(`  warm Dockerfile rebuild (unchanged layers):           median ${seconds(median(rebuild.berth))}; by hand (cached build, run, first 200) ${seconds(median(rebuild.hand))}; median ratio ${median(rebuild.ratios).toFixed(2)}× (target ≤ 3 s)`);
}

await main();
