// Benchmark (not a test) of the live tail under a flood: one turn of the event loop publishes far
// more lines than a subscriber may hold (10,000), so every line past the first 10,000 replaces the
// oldest. Prints lines/s for the live tail and, as the baseline, for the array + shift() it replaced
// (the same bound and count, written out here), and the ratio.
// Run: npx tsx bench/live-tail-flood.ts   (BENCH_LINES=2000000 to change the size)
import { createLiveTail } from '../src/telemetry/logs/live-tail.js';

const lines = Number(process.env.BENCH_LINES ?? 1_000_000);
const hold = 10_000;
const line = (i: number) => ({ seq: i, appId: 'app_1', revisionName: 'app-00001', instanceId: 'ins_1', stream: 'stdout' as const, severity: 'INFO' as const, timestamp: new Date(0), message: `line ${i}` });

async function liveTailRate(): Promise<{ rate: number; got: number; skipped: number }> {
  const tail = createLiveTail();
  let got = 0;
  let skipped = 0;
  tail.subscribe('app_1', { onLines: (l) => (got += l.length), onEnd: () => {}, onSkipped: (n) => (skipped += n ?? 0) });
  const started = performance.now();
  for (let i = 0; i < lines; i++) tail.publish(line(i));
  const ms = performance.now() - started;
  await new Promise((resolve) => setImmediate(resolve));
  return { rate: Math.round(lines / (ms / 1000)), got, skipped };
}

function shiftRate(): number {
  const pending: ReturnType<typeof line>[] = [];
  let dropped = 0;
  const started = performance.now();
  for (let i = 0; i < lines; i++) {
    if (pending.length >= hold) {
      pending.shift();
      dropped += 1;
    }
    pending.push({ ...line(i) });
  }
  const ms = performance.now() - started;
  if (dropped !== lines - hold) throw new Error('baseline miscounted');
  return Math.round(lines / (ms / 1000));
}

const baseline = shiftRate();
const result = await liveTailRate();
console.log(`live tail flood: ${lines} lines in one turn, ${hold} held`);
console.log(`  array + shift() (baseline): ${baseline.toLocaleString('en')} lines/s`);
console.log(`  live tail (ring):           ${result.rate.toLocaleString('en')} lines/s (${(result.rate / baseline).toFixed(1)}× the baseline)`);
console.log(`  delivered ${result.got}, told skipped ${result.skipped} (expected ${hold} and ${lines - hold})`);
