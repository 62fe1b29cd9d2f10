// Benchmark (not a test) of the two faces for people. 1) The web console's first load in Debian's
// Chromium: bytes transferred (cold cache, then warm: hashed assets come from the cache) and time
// to interactive (navigation until the sign-in field takes input; also DOMContentLoaded). 2)
// `berth deploy` of the Express sample next to the same upload done by hand with tar, sha256sum
// and the four curl calls (init, PUT, complete, deploy) plus polling until it succeeds. Each round
// uses new apps (cold dependency installs on both sides) and alternates which goes first; the
// ratio kept is the median of the rounds' ratios. Also printed: client time, i.e. the wall time
// minus the deployment's own duration on the server, where the two clients differ.
// Run: npx tsx bench/console-and-cli.ts [rounds]   (needs chromium: apt-get install chromium)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '../test/support/console-browser.js';
import { startTestBerth } from '../test/support/test-berth.js';
import type { TestBerth } from '../test/support/test-berth.js';

const rounds = Number(process.argv[2] ?? 3);
const repoRoot = path.resolve(import.meta.dirname, '..');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const ms = (value: number) => `${value.toFixed(0)} ms`;

function run(command: string, args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd ?? repoRoot, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function consoleLoad(url: string, runs: number) {
  const chromium = await launchChromium();
  const results: { coldBytes: number; warmBytes: number; interactiveMs: number; domContentLoadedMs: number; requests: number }[] = [];
  try {
    for (let i = 0; i < runs; i += 1) {
      const context = await chromium.browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      let bytes = 0;
      let requests = 0;
      cdp.on('Network.loadingFinished', (event: { encodedDataLength: number }) => {
        bytes += event.encodedDataLength;
        requests += 1;
      });
      const started = Date.now();
      await page.goto(url);
      await page.getByLabel('API key').waitFor();
      await page.getByLabel('API key').fill('x');
      const interactiveMs = Date.now() - started;
      const domContentLoadedMs = await page.evaluate<number>('performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd');
      const coldBytes = bytes;
      const coldRequests = requests;
      bytes = 0;
      await page.goto(`${url}/apps`);
      await page.getByLabel('API key').waitFor();
      results.push({ coldBytes, warmBytes: bytes, interactiveMs, domContentLoadedMs, requests: coldRequests });
      await context.close();
    }
  } finally {
    await chromium.close();
  }
  return results;
}

async function createApp(t: TestBerth, slug: string): Promise<string> {
  const res = await t.request<{ id: string }>('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body: { name: slug, slug, visibility: 'public' } });
  if (res.status !== 201) throw new Error(`create ${slug}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function serverSeconds(t: TestBerth, appId: string): Promise<number> {
  const list = await t.request<{ data: { createdAt: string; finishedAt: string | null; status: string }[] }>('GET', `/api/v1/workspaces/${t.workspaceId}/deploy?appId=${appId}&limit=1`);
  const d = list.body.data[0];
  if (!d || d.status !== 'succeeded' || !d.finishedAt) throw new Error(`deployment of ${appId} did not succeed: ${JSON.stringify(d)}`);
  return new Date(d.finishedAt).getTime() - new Date(d.createdAt).getTime();
}

/** What a person types without the command: tar, sha256sum, four curl calls, then polling. */
async function byHand(t: TestBerth, appId: string, project: string, scratch: string): Promise<number> {
  const started = Date.now();
  const tarball = path.join(scratch, `${appId}.tar.gz`);
  const curl = async (args: string[]) => {
    const result = await run('curl', ['-sS', '--fail-with-body', '-H', `Authorization: Bearer ${t.key}`, ...args]);
    if (result.code !== 0) throw new Error(`curl ${args.join(' ')}: ${result.stdout}${result.stderr}`);
    return result.stdout;
  };
  const base = `${t.url}/api/v1/workspaces/${t.workspaceId}`;
  if ((await run('tar', ['czf', tarball, '-C', project, '.'])).code !== 0) throw new Error('tar failed');
  const sha256 = (await run('sha256sum', [tarball])).stdout.split(' ')[0] ?? '';
  const size = fs.statSync(tarball).size;
  const init = JSON.parse(await curl(['-X', 'POST', '-H', 'content-type: application/json', '-d', JSON.stringify({ sizeBytes: size, sha256 }), `${base}/apps/${appId}/uploads/init`])) as { uploadId: string; presignedPutUrl: string };
  await run('curl', ['-sS', '--fail-with-body', '-X', 'PUT', '--data-binary', `@${tarball}`, '-H', 'content-type: application/gzip', init.presignedPutUrl]);
  await curl(['-X', 'POST', '-H', 'content-type: application/json', '-d', JSON.stringify({ sha256 }), `${base}/apps/${appId}/uploads/${init.uploadId}/complete`]);
  const deployment = JSON.parse(await curl(['-X', 'POST', '-H', 'content-type: application/json', '-d', JSON.stringify({ appId, source: { type: 'UPLOAD', uploadId: init.uploadId } }), `${base}/deploy`])) as { id: string };
  for (;;) {
    const status = (JSON.parse(await curl([`${base}/deploy/${deployment.id}`])) as { status: string }).status;
    if (status === 'succeeded') break;
    if (status === 'failed' || status === 'cancelled') throw new Error(`by-hand deployment ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return Date.now() - started;
}

async function main(): Promise<void> {
  console.log('building (npm run build) …');
  const build = await run('npm', ['run', 'build']);
  if (build.code !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  const t = await startTestBerth('sqlite', { env: { BERTH_ISOLATION: 'off' } });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-cli-'));
  try {
    const loads = await consoleLoad(t.url, 5);
    const jsCss = fs.readdirSync(path.join(repoRoot, 'web/dist/assets')).map((f) => `${f} ${fs.statSync(path.join(repoRoot, 'web/dist/assets', f)).size} B`);
    console.log(`console assets on disk: ${jsCss.join(', ')}`);
    console.log(
      `console first load (median of ${loads.length}, cold cache): ${median(loads.map((l) => l.coldBytes))} bytes transferred in ${median(loads.map((l) => l.requests))} requests, ` +
        `interactive after ${ms(median(loads.map((l) => l.interactiveMs)))} (DOMContentLoaded ${ms(median(loads.map((l) => l.domContentLoadedMs)))}); ` +
        `reload with a warm cache: ${median(loads.map((l) => l.warmBytes))} bytes`,
    );

    const project = path.join(scratch, 'express-app');
    fs.cpSync(path.join(repoRoot, 'test/fixtures/express-app'), project, { recursive: true });
    const cliEnv = { HOME: scratch, BERTH_CONFIG_DIR: path.join(scratch, 'config'), BERTH_URL: t.url, BERTH_API_KEY: t.key };
    const cliTimes: number[] = [];
    const handTimes: number[] = [];
    const ratios: number[] = [];
    const cliClient: number[] = [];
    const handClient: number[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      const cliApp = await createApp(t, `cli${round}`);
      const handApp = await createApp(t, `hand${round}`);
      const runCli = async () => {
        const started = Date.now();
        const result = await run(process.execPath, [path.join(repoRoot, 'bin/berth.mjs'), 'deploy', project, '--app', cliApp], { env: cliEnv });
        if (result.code !== 0) throw new Error(`berth deploy exited ${result.code}: ${result.stderr}`);
        cliTimes.push(Date.now() - started);
        cliClient.push((cliTimes.at(-1) ?? 0) - (await serverSeconds(t, cliApp)));
      };
      const runHand = async () => {
        handTimes.push(await byHand(t, handApp, project, scratch));
        handClient.push((handTimes.at(-1) ?? 0) - (await serverSeconds(t, handApp)));
      };
      for (const step of round % 2 === 1 ? [runCli, runHand] : [runHand, runCli]) await step();
      ratios.push((cliTimes.at(-1) ?? NaN) / (handTimes.at(-1) ?? NaN));
      console.log(`round ${round}: berth deploy ${ms(cliTimes.at(-1) ?? 0)} (client ${ms(cliClient.at(-1) ?? 0)}), by hand ${ms(handTimes.at(-1) ?? 0)} (client ${ms(handClient.at(-1) ?? 0)}), ratio ${(ratios.at(-1) ?? 0).toFixed(2)}`);
    }
    console.log(
      `berth deploy vs tar + sha256sum + 4 curl calls + polling (Express sample, median of ${rounds}): ${ms(median(cliTimes))} vs ${ms(median(handTimes))}, ratio ${median(ratios).toFixed(2)}; ` +
        `client time outside the server's deployment: ${ms(median(cliClient))} vs ${ms(median(handClient))}`,
    );
  } finally {
    await t.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
