// Benchmark (not a test): how long Berth's event loop (API and edge share it) stalls while
// telemetry samples and scores many apps. A real Berth on SQLite with 0 and then N apps, metrics
// and health every 2 s; event-loop delay over 20 s is printed for both, with the ratio.
// Run: npx tsx bench/telemetry-stall.ts [apps=10000]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startBerthWithApps } from './support/berth-with-apps.js';

const count = Number(process.argv[2] ?? 10_000);
const windowMs = 20_000;

async function measure(apps: number): Promise<{ p50: number; p99: number; max: number }> {
  const seeded = await startBerthWithApps({
    name: 'stall',
    count: apps,
    env: { BERTH_METRICS_INTERVAL_MS: '2000', BERTH_HEALTH_INTERVAL_MS: '2000' },
    app: (i) => ({ name: `app ${i}`, slug: `app-${i}` }),
  });
  try {
    await new Promise((r) => setTimeout(r, 4_000)); // a first round with every app in it
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    await new Promise((r) => setTimeout(r, windowMs));
    histogram.disable();
    const ms = (ns: number) => ns / 1e6;
    return { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) };
  } finally {
    await seeded.close();
  }
}

const baseline = await measure(0);
const loaded = await measure(count);
const row = (name: string, d: { p50: number; p99: number; max: number }) =>
  console.log(`${name.padEnd(12)} event-loop delay p50 ${d.p50.toFixed(1)} ms, p99 ${d.p99.toFixed(1)} ms, max ${d.max.toFixed(1)} ms`);
console.log(`telemetry stall: metrics and health every 2 s, ${windowMs / 1000} s measured`);
row('0 apps', baseline);
row(`${count} apps`, loaded);
console.log(`ratio ${count} apps / 0 apps: p99 ${(loaded.p99 / baseline.p99).toFixed(1)}x, max ${(loaded.max / baseline.max).toFixed(1)}x`);
process.exit(0);
