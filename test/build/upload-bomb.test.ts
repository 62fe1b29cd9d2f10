// A gzip bomb uploaded to a real Berth (its own process, so its memory can be read from /proc):
// the deployment fails naming the limit, and Berth's resident memory grows by less than 64 MiB
// while it extracts (the extraction streams with backpressure and counts what gzip emits).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBerthProcess, type BerthProcess } from '../support/berth-process.js';
import { gzipBomb, sha256 } from './tarballs.js';

function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}

describe('a gzip bomb upload', () => {
  let berth: BerthProcess;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${berth.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${berth.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    berth = await startBerthProcess('sqlite', { BERTH_MAX_EXTRACTED_MB: '256' });
  });
  afterAll(async () => {
    await berth?.stop();
    await berth?.cleanup();
  });

  it('is refused with the limit named while Berth grows by less than 64 MiB', { timeout: 120_000 }, async () => {
    const bomb = gzipBomb(64, 32); // 2 GiB of zeros in about 2 MB
    expect(bomb.length).toBeLessThan(4 * 1024 * 1024);
    const ws = (await call('GET', '/api/v1/api-keys/whoami')).body.workspaceId as string;
    const app = (await call('POST', `/api/v1/workspaces/${ws}/apps`, { name: 'Bomb', slug: 'bomb' })).body.id as string;
    const init = (await call('POST', `/api/v1/workspaces/${ws}/apps/${app}/uploads/init`, { sizeBytes: bomb.length, sha256: sha256(bomb) })).body;
    expect((await fetch(init.presignedPutUrl, { method: 'PUT', body: bomb, headers: init.headers })).status).toBe(200);
    expect((await call('POST', `/api/v1/workspaces/${ws}/apps/${app}/uploads/${init.uploadId}/complete`, { sha256: sha256(bomb) })).status).toBe(200);

    const before = rssMiB(berth.pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(berth.pid))), 5);
    try {
      const queued = (await call('POST', `/api/v1/workspaces/${ws}/deploy`, { appId: app, source: { type: 'UPLOAD', uploadId: init.uploadId } })).body;
      let done: any = queued;
      for (let i = 0; i < 1200 && !['succeeded', 'failed', 'cancelled'].includes(done.status); i++) {
        await new Promise((r) => setTimeout(r, 50));
        done = (await call('GET', `/api/v1/workspaces/${ws}/deploy/${queued.id}`)).body;
      }
      expect(done.status).toBe('failed');
      expect(done.error).toMatch(/unsafe tarball: it holds more than 256 MiB once extracted \(the limit, BERTH_MAX_EXTRACTED_MB\)/);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, rssMiB(berth.pid));
    expect(peak - before, `RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MiB`).toBeLessThan(64);
  });
});
