// `berth … | head -1`: when the reader goes away, the command ends quietly (exit 0, nothing on
// stderr), as `git log | head` does, instead of a stack trace about EPIPE and exit 1.
import { describe, expect, it } from 'vitest';
import { spawnBerth } from '../support/berth-cli.js';

function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawnBerth(args);
  // Nobody reads: the first write the command makes meets a closed pipe.
  child.stdout?.destroy();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin?.end();
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('the berth command with its output closed', () => {
  it('ends quietly with exit 0', { timeout: 60_000 }, async () => {
    const results = await Promise.all([runWithClosedStdout(['--help']), runWithClosedStdout(['traffic', '--help'])]);
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
  });
});
