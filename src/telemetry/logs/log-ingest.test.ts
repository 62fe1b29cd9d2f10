import { describe, expect, it } from 'vitest';
import type { LogLine, LogRepository, StoredLogLine } from '../../core/ports/telemetry.js';
import { createLogIngest } from './log-ingest.js';

const quiet = { info() {}, warn() {}, error() {} };
const line = (appId: string, i: number): LogLine => ({
  appId,
  revisionName: `${appId}-00001`,
  instanceId: `${appId}-00001-aaaaaa`,
  stream: 'stdout',
  severity: 'INFO',
  timestamp: new Date(1_000 + i),
  message: `${appId} ${i}`,
});

function memoryLogs(failures = 0) {
  const batches: StoredLogLine[][] = [];
  let failing = failures;
  const logs = {
    nextSeq: async () => 1,
    append: async (lines: readonly StoredLogLine[]) => {
      if (failing-- > 0) throw new Error('database is locked');
      batches.push([...lines]);
    },
  } as unknown as LogRepository;
  return { logs, batches };
}

describe('log ingest', () => {
  it('gives a quiet app its lines in the first batch however much a chatty app has queued', async () => {
    const { logs, batches } = memoryLogs();
    const ingest = createLogIngest({ logs, logger: quiet, batchLines: 100, gatherMs: 1 });
    await ingest.start();
    for (let i = 0; i < 5_000; i++) ingest.accept(line('chatty', i));
    for (let i = 0; i < 3; i++) ingest.accept(line('quiet', i));
    await ingest.flush();
    await ingest.stop();
    expect(batches[0]?.filter((l) => l.appId === 'quiet')).toHaveLength(3);
    expect(batches.flat()).toHaveLength(5_003);
    const seqs = batches.flat().map((l) => l.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    // Each app's lines keep their order.
    const chatty = batches.flat().filter((l) => l.appId === 'chatty').map((l) => l.message);
    expect(chatty).toEqual(Array.from({ length: 5_000 }, (_, i) => `chatty ${i}`));
  });

  it('retries a batch the store refused, and counts the failure', async () => {
    const { logs, batches } = memoryLogs(1);
    const ingest = createLogIngest({ logs, logger: quiet, batchLines: 100, gatherMs: 1 });
    await ingest.start();
    for (let i = 0; i < 10; i++) ingest.accept(line('app', i));
    await ingest.flush();
    await ingest.stop();
    expect(batches.flat()).toHaveLength(10);
    expect(ingest.counters.writeErrors).toBe(1);
    expect(ingest.counters.stored.get('app')).toBe(10);
  });
});
