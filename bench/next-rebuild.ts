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

interface Timing {
  /** Deploy call → first 200 with the change. */
  total: number;
  /** The `next build` step: from its command line to the line after it. */
  build: number;
  /** What Next.js reports for its webpack compile, the part its cache speeds up. */
  compile: number;
}

function timing(total: number, lines: LogLine[]): Timing {
  const start = lines.findIndex((l) => l.text === '[build] $ npm run build');
  const end = lines.findIndex((l, i) => i > start && (l.text.startsWith('[cache] kept') || l.text.startsWith('[artifact]')));
  const build = start >= 0 && end > start ? (lines[end]?.at ?? NaN) - (lines[start]?.at ?? NaN) : NaN;
  const compiled = lines.map((l) => /Compiled successfully in ([\d.]+)(ms|s)\b/.exec(l.text)).find((m) => m);
  const compile = compiled ? Number(compiled[1]) * (compiled[2] === 's' ? 1000 : 1) : NaN;
  return { total, build, compile };
}

async function main(): Promise<void> {
  const git = await startGitServer();
  const t = await startTestBerth('sqlite', { env: { BERTH_ALLOW_PRIVATE_NETWORKS: '1' } });
  const withCache: Timing[] = [];
  const without: Timing[] = [];
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
      // Next.js warns when it finds no cache: with one restored, it must not.
      if (keepCache === lines.some((l) => l.text.includes('No build cache found'))) throw new Error(`Next.js ${keepCache ? 'found no' : 'found a'} build cache`);
      return timing(total, lines);
    };
    const describe = (x: Timing | undefined) => `${seconds(x?.total ?? NaN)} (next build ${seconds(x?.build ?? NaN)}, its compile ${seconds(x?.compile ?? NaN)})`;
    const coldLines: LogLine[] = [];
    const cold = timing(await timedDeploy(t, 'next-bench', 'Hello from Next.js', (line) => coldLines.push(line)), coldLines);
    console.log(`cold deploy (npm ci + next build, no caches): ${describe(cold)}`);
    for (let round = 1; round <= rounds; round++) {
      const cachedFirst = round % 2 === 1;
      for (const keep of cachedFirst ? [true, false] : [false, true]) (keep ? withCache : without).push(await redeploy(keep));
      const w = withCache.at(-1);
      const wo = without.at(-1);
      ratios.push((w?.total ?? NaN) / (wo?.total ?? NaN));
      console.log(`round ${round} (${cachedFirst ? 'cache first' : 'no cache first'}): with the build cache ${describe(w)}, without ${describe(wo)}, ratio ${(ratios.at(-1) ?? NaN).toFixed(2)}`);
    }
  } finally {
    await t.close();
    await git.close();
  }
  const m = (list: Timing[], key: keyof Timing) => median(list.map((x) => x[key]));
  const line = (list: Timing[]) => `median ${seconds(m(list, 'total'))} (next build ${seconds(m(list, 'build'))}, its compile ${seconds(m(list, 'compile'))})`;
  console.log(`\nNext.js 15.5 app (${pages} generated pages), warm redeploy (unchanged lockfile), deploy call → first 200 with the change, ${rounds} rounds:`);
  console.log(`  with the build cache (.next/cache):  ${line(withCache)}`);
  console.log(`  build cache removed:                 ${line(without)}`);
  console.log(
    `  median of the rounds' ratios ${median(ratios).toFixed(2)}× (ratio of the medians: next build ${(m(withCache, 'build') / m(without, 'build')).toFixed(2)}×, ` +
      `its compile ${(m(withCache, 'compile') / m(without, 'compile')).toFixed(2)}×)`,
  );
}

await main();
