import { describe, expect, it } from 'vitest';
import { runCommand } from './spawn.js';

const sh = (script: string): string[] => ['/bin/sh', '-c', script];

describe('runCommand', () => {
  it('passes argv untouched (no shell) and exactly the given env', async () => {
    const result = await runCommand(['/usr/bin/env'], { env: { ONLY: 'this; $(echo no)' } });
    expect(result).toMatchObject({ exitCode: 0, stdout: 'ONLY=this; $(echo no)\n', timedOut: false, truncated: false });
    const echoed = await runCommand(['/bin/echo', '$HOME', '`id`', '; ls'], { env: {} });
    expect(echoed.stdout).toBe('$HOME `id` ; ls\n');
  });

  it('reports exit codes and feeds input', async () => {
    expect(await runCommand(sh('cat; exit 7'), { env: {}, input: 'in' })).toMatchObject({ exitCode: 7, stdout: 'in' });
  });

  it('kills the whole process group on timeout', async () => {
    const t0 = Date.now();
    const result = await runCommand(sh('sleep 30 & sleep 30'), { env: {}, timeoutMs: 200 });
    expect(result).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('stops on abort', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await runCommand(sh('sleep 30'), { env: {}, signal: controller.signal })).toMatchObject({ aborted: true });
    await expect(runCommand(['/bin/true'], { env: {}, signal: AbortSignal.abort() })).rejects.toThrow(/aborted/);
  });

  it('bounds captured output', async () => {
    const result = await runCommand(sh('head -c 100000 /dev/zero'), { env: {}, maxOutputBytes: 1000 });
    expect(result.stdout.length).toBe(1000);
    expect(result.truncated).toBe(true);
  });

  it('rejects when the program does not exist', async () => {
    await expect(runCommand(['/nonexistent/program'], { env: {} })).rejects.toThrow(/ENOENT/);
  });
});
