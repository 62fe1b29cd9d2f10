// BERTH_ISOLATION=required: Berth starts only when the sandbox, cgroups and network namespaces
// all work, and otherwise exits naming what is missing; `auto` goes on with a warning instead.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandboxedSteps, type SandboxedStepsOptions } from '../../src/engine/runtime/process/steps/create-sandboxed-steps.js';
import { startBerthProcess } from '../support/berth-process.js';
import { startTestBerth, type TestBerth } from '../support/test-berth.js';
import { createHarness, machineSupport, quietLogger, type Harness } from './process-harness.js';

const support = machineSupport();
const skip = [support.sandbox, support.cgroups].filter(Boolean).join('; ');

/** A range this machine already routes (its uplink's subnet): a namespace range there must be refused. */
function routedRange(): string | null {
  // A link of the machine's own: `unreachable` routes come and go with the Berths other tests run.
  const routes = JSON.parse(execFileSync('ip', ['-j', '-4', 'route'], { encoding: 'utf8' })) as { dst: string; dev?: string; protocol?: string }[];
  return routes.filter((r) => r.dev !== undefined && r.protocol === 'kernel').map((r) => r.dst).find((dst) => /\/(8|9|1\d|2[0-4])$/.test(dst)) ?? null;
}

describe.skipIf(skip !== '')(`BERTH_ISOLATION=required${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const harnesses: Harness[] = [];
  let berth: TestBerth | undefined;
  afterAll(async () => {
    await berth?.close();
    for (const h of harnesses) await h.teardown();
  });

  it('starts with everything on where the machine allows it', async () => {
    berth = await startTestBerth('sqlite', { env: { BERTH_ISOLATION: 'required' } });
    expect(berth.berth.runtime.isolation).toEqual({ sandbox: true, cgroups: true, networkNamespaces: true, diskLimits: true });
  });

  it('refuses to start the driver naming what is missing; auto goes on without it', async () => {
    const harness = await createHarness({ isolation: 'required', tag: 'req' });
    harnesses.push(harness);
    await expect(harness.driver('a', { tools: { nft: '/nonexistent/nft' } })).rejects.toThrow(
      'BERTH_ISOLATION=required, but /nonexistent/nft not installed',
    );
    await expect(harness.driver('b', { tools: { bwrap: '/nonexistent/bwrap' } })).rejects.toThrow(/required, but bubblewrap not installed \(\/nonexistent\/bwrap\)/);
    const relaxed = await createHarness({ isolation: 'auto', tag: 'req-auto' });
    harnesses.push(relaxed);
    const driver = await relaxed.driver('c', { tools: { nft: '/nonexistent/nft' } });
    expect(driver.isolation).toMatchObject({ sandbox: true, networkNamespaces: false });
    expect(relaxed.warnings.join('\n')).toMatch(/apps share the host network/);
  });

  it('holds build steps to it on either driver, naming them; auto runs them unsandboxed instead', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-steps-'));
    const warnings: string[] = [];
    const options = (isolation: SandboxedStepsOptions['isolation']): SandboxedStepsOptions => ({
      isolation,
      network: 'off',
      cgroupRoot: `berth-test-steps-${process.pid}`,
      stateDir: join(dir, 'state'),
      uidsFile: join(dir, 'uids.json'),
      hiddenPaths: [dir],
      hostServices: [],
      logger: quietLogger(warnings),
      tools: { bwrap: '/nonexistent/bwrap' },
    });
    try {
      await expect(createSandboxedSteps(options('required'))).rejects.toThrow(
        /required, but bubblewrap not installed \(\/nonexistent\/bwrap\) \(build steps run as host processes/,
      );
      const steps = await createSandboxedSteps(options('auto'));
      expect(steps.isolation).toEqual({ sandbox: false, cgroups: true, networkNamespaces: false });
      expect(warnings.join('\n')).toMatch(/build steps run not sandboxed/);
      await steps.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('makes `berth start` exit naming a namespace range that clashes with the machine', { timeout: 60_000 }, async () => {
    const clash = routedRange();
    if (clash === null) return; // no IPv4 subnet route on this machine to clash with
    const outcome = await startBerthProcess('sqlite', { BERTH_ISOLATION: 'required', BERTH_INSTANCE_CIDR: clash }).then(
      async (started) => {
        await started.stop(); // it should not have started: leave no process behind either way
        return null;
      },
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(new RegExp(`failed to start: BERTH_ISOLATION=required, but network namespaces do not work here: BERTH_INSTANCE_CIDR ${clash.replace(/\./g, '\\.')} overlaps`));
  });
});
