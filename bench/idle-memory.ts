// Benchmark (not a test) of Berth's idle memory: starts Berth as `npm start` does (the bundle
// `npm run build` writes, under the same node flags, defaults everywhere but a temp data dir and
// free ports), lets it settle with no apps, and prints its resident set size (target < 120 MB).
// Baselines in the same run: an idle Node process, and Berth from source under the tsx loader.
// Run: npx tsx bench/idle-memory.ts [--settle-seconds 10]
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');
const settleIndex = process.argv.indexOf('--settle-seconds');
const settleMs = (settleIndex >= 0 ? Number(process.argv[settleIndex + 1]) : 10) * 1000;

/** Resident set size of one process, in MiB. */
function rssMiB(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
  return Number(line?.[1] ?? Number.NaN) / 1024;
}

/** The process and everything it started (tsx's esbuild service, for one). */
function treeRssMiB(root: number): { total: number; processes: number } {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, parent] of parents) if (parent === tree[i]) tree.push(pid);
  let total = 0;
  for (const pid of tree) {
    try {
      total += rssMiB(pid);
    } catch {
      // ended meanwhile
    }
  }
  return { total, processes: tree.length };
}

function waitFor(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no "${pattern.source}" in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`exited with ${code} before it was ready:\n${output}`)));
  });
}

async function measure(name: string, args: string[], ready: RegExp, env: Record<string, string>) {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await waitFor(child, ready);
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const pid = child.pid ?? 0;
    return { name, rss: rssMiB(pid), tree: treeRssMiB(pid) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-idle-'));
try {
  const berthEnv = {
    BERTH_DATA_DIR: dataDir,
    BERTH_PORT: '0',
    BERTH_EDGE_PORT: '0',
    BERTH_CGROUP_NAME: 'berth-bench-idle',
  };
  const built = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
  const startFlags = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
    .split(' ')
    .filter((word) => word.startsWith('--'));
  const baseline = await measure('node, idle', ['-e', 'console.log("ready"); setInterval(() => {}, 1000)'], /ready/, {});
  const fromSource = await measure(
    'berth from source (tsx)',
    ['--import', 'tsx', path.join(repoRoot, 'src/cli/berth.ts'), 'start'],
    /API and docs on/,
    { ...berthEnv, BERTH_DATA_DIR: `${dataDir}-src` },
  );
  const berth = await measure(
    'berth start (npm start)',
    [...startFlags, path.join(repoRoot, 'dist/berth.mjs'), 'start'],
    /API and docs on/,
    berthEnv,
  );
  fs.rmSync(`${dataDir}-src`, { recursive: true, force: true });
  console.log(`after ${settleMs / 1000} s idle:`);
  for (const m of [baseline, fromSource, berth]) {
    console.log(
      `${m.name.padEnd(24)} RSS ${m.rss.toFixed(1).padStart(6)} MiB   with its ${m.tree.processes - 1} child process(es) ${m.tree.total.toFixed(1).padStart(6)} MiB`,
    );
  }
  console.log(
    `ratio berth / baseline: ${(berth.rss / baseline.rss).toFixed(2)}x; Berth's own share ${(berth.rss - baseline.rss).toFixed(1)} MiB`,
  );
  console.log(
    `target (Berth process RSS < 120 MB): ${berth.rss * 1.048576 < 120 ? 'met' : 'MISSED'} (${(berth.rss * 1.048576).toFixed(1)} MB)`,
  );
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
