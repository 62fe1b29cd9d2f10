// Benchmark (not a test) of builds and deploys on the Express fixture, served by a git server on
// loopback: time from the deploy call to the first response of the new revision through the
// edge, cold (a new app: empty dependency cache) and warm (a change with an unchanged lockfile),
// next to the same steps run by hand in this script (git clone, npm ci with an empty cache,
// start, first 200). The machine may be shared and the registry's speed drifts, so rounds pair a
// by-hand run with a cold deploy, alternate which goes first, and the ratio kept is the median of
// the rounds' ratios. Each round's app has content of its own, as a new app would.
// Run: npx tsx bench/deploy.ts [rounds]     Targets: warm <= 3 s; cold within 15 % of by hand.
import fs from 'node:fs';
import { startGitServer } from '../test/support/git-http-server.js';
import { startTestBerth } from '../test/support/test-berth.js';
import { byHand, createExpressApp, timedDeploy } from './support/deploy-watch.js';

const rounds = Number(process.argv[2] ?? 7);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const git = await startGitServer();
  const t = await startTestBerth('sqlite', { env: { BERTH_ALLOW_PRIVATE_NETWORKS: '1' } });
  const leftovers: string[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  const hand: number[] = [];
  const ratios: number[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const slug = `bench${round}`;
      const repo = await createExpressApp(t, git, slug);
      const runHand = async () => hand.push((await byHand(repo, '"message":"hello"', leftovers)).totalMs);
      const runCold = async () => cold.push(await timedDeploy(t, slug, `${slug}-00001`));
      const handFirst = round % 2 === 1;
      for (const step of handFirst ? [runHand, runCold] : [runCold, runHand]) await step();
      ratios.push((cold.at(-1) ?? NaN) / (hand.at(-1) ?? NaN));
      repo.commit(`round ${round}`, { 'message.txt': `round ${round}\n` });
      warm.push(await timedDeploy(t, slug, `round ${round}`));
      console.log(
        `round ${round} (${handFirst ? 'by hand first' : 'Berth first'}): by hand ${seconds(hand.at(-1) ?? 0)}, cold ${seconds(cold.at(-1) ?? 0)} (${(ratios.at(-1) ?? 0).toFixed(2)}×), warm ${seconds(warm.at(-1) ?? 0)}`,
      );
    }
  } finally {
    await t.close();
    await git.close();
    for (const dir of leftovers) fs.rmSync(dir, { recursive: true, force: true });
  }
  const [h, c, w] = [median(hand), median(cold), median(warm)];
  console.log('\nExpress fixture (72 packages), deploy call → first 200 from the new revision,', rounds, 'rounds:');
  console.log(`  by hand (clone, npm ci with an empty cache, start): median ${seconds(h)}`);
  console.log(`  Berth cold (new app, empty dependency cache):        median ${seconds(c)}; median of the rounds' ratios ${median(ratios).toFixed(2)}× by hand (target ≤ 1.15×; ratio of medians ${(c / h).toFixed(2)}×)`);
  console.log(`  Berth warm (changed code, same lockfile):            median ${seconds(w)} (target ≤ 3 s)`);
}

await main();
