// Benchmark (not a test) of a warm redeploy of a Next.js app: a change with an unchanged lockfile
// (the install is skipped) deployed with the app's build cache (.next/cache of its last build)
// against the same redeploy with that cache removed first. The app is the test fixture plus
// generated pages, each with a client component of its own. The machine may be shared, so rounds
// alternate which goes first and the ratio kept is the median of the rounds' ratios.
// Run: npx tsx bench/next-rebuild.ts [rounds] [pages]
import fs from 'node:fs';
import path from 'node:path';
import { startGitServer } from '../test/support/git-http-server.js';
import { startTestBerth } from '../test/support/test-berth.js';
import { timedDeploy, type LogLine } from './support/deploy-watch.js';

const rounds = Number(process.argv[2] ?? 3);
const pages = Number(process.argv[3] ?? 40);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fixture = path.resolve(import.meta.dirname, '../test/fixtures/next-app');

function generatedPages(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= pages; i++) {
    files[`app/p${i}/page.js`] = `import { Widget } from '../widgets/w${i}';\n\nexport default function Page() {\n  return <main><h1>Page ${i}</h1><Widget start={${i}} /></main>;\n}\n`;
    files[`app/widgets/w${i}.js`] =
      `'use client';\nimport { useMemo, useState } from 'react';\n\nexport function Widget({ start }) {\n  const [count, setCount] = useState(start);\n` +
      `  const label = useMemo(() => 'widget ${i}: ' + count, [count]);\n  return <button onClick={() => setCount(count + ${i})}>{label}</button>;\n}\n`;
  }
  return files;
}

/** The `next build` step: from its command line to the line after it. */
function buildStepMs(lines: LogLine[]): number {
  const start = lines.findIndex((l) => l.text === '[build] $ npm run build');
  const end = lines.findIndex((l, i) => i > start && (l.text.startsWith('[cache] kept') || l.text.startsWith('[artifact]')));
  return start >= 0 && end > start ? (lines[end]?.at ?? NaN) - (lines[start]?.at ?? NaN) : NaN;
}

async function main(): Promise<void> {
  const git = await startGitServer();
  const t = await startTestBerth('sqlite', { env: { BERTH_ALLOW_PRIVATE_NETWORKS: '1' } });
  const withCache: { total: number; build: number }[] = [];
  const without: { total: number; build: number }[] = [];
  const ratios: number[] = [];
  try {
    const repo = git.createRepo('next-bench', fixture);
    repo.commit('generated pages', generatedPages());
    const res = await t.request<{ id: string }>('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body: { name: 'next-bench', slug: 'next-bench', gitRepoUrl: repo.url, visibility: 'public' } });
    if (res.status !== 201) throw new Error(`create app answered ${res.status}`);
    const buildCache = path.join(t.dataDir, 'builds', 'build-cache', res.body.id);
    let change = 0;
    const redeploy = async (keepCache: boolean) => {
      if (!keepCache) fs.rmSync(buildCache, { recursive: true, force: true });
      change += 1;
      repo.commit(`change ${change}`, { 'app/message.js': `export const message = 'Hello, change ${change}';\n` });
      const lines: LogLine[] = [];
      const total = await timedDeploy(t, 'next-bench', `Hello, change ${change}`, (line) => lines.push(line));
      if (keepCache !== lines.some((l) => l.text.includes('build cache restored'))) throw new Error(`the build cache was ${keepCache ? 'not ' : ''}restored`);
      return { total, build: buildStepMs(lines) };
    };
    const coldLines: LogLine[] = [];
    const cold = await timedDeploy(t, 'next-bench', 'Hello from Next.js', (line) => coldLines.push(line));
    console.log(`cold deploy (npm ci + next build, no caches): ${seconds(cold)} (next build ${seconds(buildStepMs(coldLines))})`);
    for (let round = 1; round <= rounds; round++) {
      const cachedFirst = round % 2 === 1;
      for (const keep of cachedFirst ? [true, false] : [false, true]) (keep ? withCache : without).push(await redeploy(keep));
      const w = withCache.at(-1);
      const wo = without.at(-1);
      ratios.push((w?.total ?? NaN) / (wo?.total ?? NaN));
      console.log(
        `round ${round} (${cachedFirst ? 'cache first' : 'no cache first'}): with the build cache ${seconds(w?.total ?? NaN)} (next build ${seconds(w?.build ?? NaN)}), ` +
          `without ${seconds(wo?.total ?? NaN)} (next build ${seconds(wo?.build ?? NaN)}), ratio ${(ratios.at(-1) ?? NaN).toFixed(2)}`,
      );
    }
  } finally {
    await t.close();
    await git.close();
  }
  const m = (list: { total: number; build: number }[], key: 'total' | 'build') => median(list.map((x) => x[key]));
  console.log(`\nNext.js 15.5 app (${pages} generated pages), warm redeploy (unchanged lockfile), deploy call → first 200 with the change, ${rounds} rounds:`);
  console.log(`  with the build cache (.next/cache):  median ${seconds(m(withCache, 'total'))} (next build ${seconds(m(withCache, 'build'))})`);
  console.log(`  build cache removed:                 median ${seconds(m(without, 'total'))} (next build ${seconds(m(without, 'build'))})`);
  console.log(`  median of the rounds' ratios ${median(ratios).toFixed(2)}× (ratio of the next build medians ${(m(withCache, 'build') / m(without, 'build')).toFixed(2)}×)`);
}

await main();
