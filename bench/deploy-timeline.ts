// Where a cold deploy's time goes: new apps of the Express fixture (each with content of its own)
// deployed from a git server on loopback, each build-log line printed with its time since the
// deploy call, then the first 200 through the edge; before each, the by-hand steps with the time
// each one ended. Run: npx tsx bench/deploy-timeline.ts [runs]
import fs from 'node:fs';
import { startGitServer } from '../test/support/git-http-server.js';
import { startTestBerth } from '../test/support/test-berth.js';
import { byHand, createExpressApp, timedDeploy, type LogLine } from './support/deploy-watch.js';

const runs = Number(process.argv[2] ?? 1);
const at = (ms: number, what: string) => `  ${ms.toFixed(0).padStart(5)} ms  ${what}`;

const git = await startGitServer();
const t = await startTestBerth('sqlite', { env: { BERTH_ALLOW_PRIVATE_NETWORKS: '1' } });
const leftovers: string[] = [];
try {
  for (let i = 1; i <= runs; i++) {
    const slug = `timeline${i}`;
    const repo = await createExpressApp(t, git, slug);

    console.log(`run ${i}, by hand:`);
    const hand = await byHand(repo, '"message":"hello"', leftovers);
    for (const [step, ms] of Object.entries(hand.steps)) console.log(at(ms, step));

    console.log(`run ${i}, Berth:`);
    const lines: LogLine[] = [];
    const called = Date.now();
    const total = await timedDeploy(t, slug, `${slug}-00001`, (line) => lines.push(line));
    for (const line of lines) console.log(at(line.at - called, line.text.slice(0, 110)));
    console.log(at(total, 'first 200 through the edge'));
  }
} finally {
  await t.close();
  await git.close();
  for (const dir of leftovers) fs.rmSync(dir, { recursive: true, force: true });
}
