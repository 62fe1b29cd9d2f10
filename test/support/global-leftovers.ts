// vitest globalSetup: before and after each test run, removes what test Berths of killed runs
// left on the host (see host-leftovers.ts for whose objects these are, and why only those).
import { sweepHostLeftovers, type SweepReport } from './host-leftovers.js';

function say(when: string, report: SweepReport): void {
  if (report.swept.length > 0) process.stdout.write(`${when}: removed host leftovers of ${report.swept.length} test Berth(s) whose test process is gone\n`);
  for (const failure of report.failed) process.stderr.write(`${when}: could not remove the host leftovers of ${failure.dataDir}: ${failure.error}\n`);
}

export async function setup(): Promise<void> {
  say('before the test run', await sweepHostLeftovers());
}

export async function teardown(): Promise<void> {
  say('after the test run', await sweepHostLeftovers());
}
