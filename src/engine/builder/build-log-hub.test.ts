import { describe, expect, it } from 'vitest';
import type { BuildLogLine } from '../../domain/build.js';
import { createBuildLogHub } from './build-log-hub.js';

const quiet = { info() {}, warn() {}, error() {}, debug() {}, child() { return quiet; } };
const clock = { now: () => new Date('2026-12-04T00:00:00Z') };

/** A log repository in memory; `refuse()` true: appends fail as on a full disk. */
function memoryRepository(refuse: () => boolean = () => false) {
  const stored: BuildLogLine[] = [];
  const repository = {
    async append(_id: string, lines: readonly BuildLogLine[]) {
      if (refuse()) throw new Error('SQLITE_FULL: database or disk is full');
      stored.push(...lines);
    },
    async list() {
      return stored;
    },
  };
  return { stored, repository };
}

describe('the build log hub', () => {
  it('keeps lines the store refused (a full disk) and stores them, in order, at the next flush', async () => {
    let refuse = true;
    const { stored, repository } = memoryRepository(() => refuse);
    const hub = createBuildLogHub({ repository, clock, logger: quiet as never, flushMs: 1 });
    const log = hub.writer('dep_1');
    log.line('npm ERR! ENOSPC: no space left on device');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stored).toEqual([]);
    refuse = false; // the failed build's work dir is gone: space is back
    log.line('[deploy] Build failed: the disk is full');
    await hub.close('dep_1');
    expect(stored.map((l) => [l.seq, l.line])).toEqual([
      [1, 'npm ERR! ENOSPC: no space left on device'],
      [2, '[deploy] Build failed: the disk is full'],
    ]);
  });

  it('keeps lines as plain text, without the colours build tools print in CI', async () => {
    const { stored, repository } = memoryRepository();
    const hub = createBuildLogHub({ repository, clock, logger: quiet as never, flushMs: 1 });
    const log = hub.writer('dep_2');
    log.line('\x1b[36mvite v5.4.21 \x1b[32mbuilding for production...\x1b[36m\x1b[39m');
    log.line('\x1b[2mdist/\x1b[22m\x1b[32mindex.html\x1b[39m \x1b[1m\x1b[2m0.17 kB\x1b[22m');
    await hub.close('dep_2');
    expect(stored.map((l) => l.line)).toEqual(['vite v5.4.21 building for production...', 'dist/index.html 0.17 kB']);
  });
});
