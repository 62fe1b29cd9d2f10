// Weighted splits through the edge are exact (not random), survive table swaps that leave an
// app's split alone, restart when it changes, and a swap under load fails no request.
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteTable } from '../../src/core/ports/route-table.js';
import { createSplitSelector } from '../../src/domain/traffic.js';
import type { Edge } from '../../src/edge/create-edge.js';
import { aTable, aTarget, anApp, call, namedUpstream, startEdge, type Upstream } from './helpers.js';
import { edgeModes, useEdgeWorkers } from './helpers.js';

let v1: Upstream;
let v2: Upstream;
let edge: Edge;
let port: number;
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function split(first: number, second: number): RouteTable {
  return aTable([
    anApp({
      slug: 'web',
      targets: [aTarget('web-00001', [v1.port], first), aTarget('web-00002', [v2.port], second, 'next')],
    }),
  ]);
}

async function count(requests: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < requests; i++) {
    const reply = await call(port, { host: 'web.apps.test', agent });
    const name = String(reply.headers['x-upstream']);
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** Requests each revision of `web` has served, by the edge's own stats (added up over its processes). */
async function revisionRequests(): Promise<Record<string, number>> {
  const web = (await edge.stats()).apps.find((app) => app.slug === 'web');
  return Object.fromEntries((web?.revisions ?? []).map((r) => [r.revisionName, r.requests]));
}

describe.each(edgeModes)('splits ($name)', ({ workers }) => {
  beforeAll(() => useEdgeWorkers(workers));

  beforeAll(async () => {
    v1 = await namedUpstream('v1');
    v2 = await namedUpstream('v2');
    ({ edge, port } = await startEdge());
  });

  afterAll(async () => {
    agent.destroy();
    await edge.close();
    await Promise.all([v1.close(), v2.close()]);
  });

  describe('weighted splits', () => {
    it('gives exactly 900 and 100 of 1,000 requests for a 90/10 split', async () => {
      await edge.setRoutes(split(90, 10));
      expect(await count(1000)).toEqual({ v1: 900, v2: 100 });
    });

    it('stays exact over many connections at once, and the stats count what the clients saw', async () => {
      await edge.setRoutes(split(50, 50));
      await edge.setRoutes(split(90, 10));
      const servedBefore = await revisionRequests();
      const counts: Record<string, number> = {};
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const own = new Agent({ keepAlive: true, maxSockets: 1 });
          for (let i = 0; i < 50; i++) {
            const name = String((await call(port, { host: 'web.apps.test', agent: own })).headers['x-upstream']);
            counts[name] = (counts[name] ?? 0) + 1;
          }
          own.destroy();
        }),
      );
      expect((counts.v1 ?? 0) + (counts.v2 ?? 0)).toBe(1000);
      // Each process's share is exact over every 10 of its requests: N processes are off by fewer than N in total.
      expect(Math.abs((counts.v2 ?? 0) - 100)).toBeLessThan(Math.max(1, workers));
      const served = await revisionRequests();
      expect({
        v1: (served['web-00001'] ?? 0) - (servedBefore['web-00001'] ?? 0),
        v2: (served['web-00002'] ?? 0) - (servedBefore['web-00002'] ?? 0),
      }).toEqual(counts);
    });

    it('keeps its position across swaps that leave the split unchanged', async () => {
      await edge.setRoutes(split(90, 10));
      const counts: Record<string, number> = {};
      for (let round = 0; round < 10; round++) {
        // 7 is prime to the 10-request period: a reset on swap would skew the totals.
        for (const [name, n] of Object.entries(await count(round < 9 ? 7 : 1000 - 63)))
          counts[name] = (counts[name] ?? 0) + n;
        await edge.setRoutes(split(90, 10));
      }
      expect(counts).toEqual({ v1: 900, v2: 100 });
    });

    it('starts the new split from its beginning when the split changes', async () => {
      await edge.setRoutes(split(90, 10));
      await count(3);
      await edge.setRoutes(split(50, 50));
      const fresh = createSplitSelector([50, 50]);
      const expected = Array.from({ length: 4 }, () => (fresh.next() === 0 ? 'v1' : 'v2'));
      const got: string[] = [];
      for (let i = 0; i < 4; i++)
        got.push(String((await call(port, { host: 'web.apps.test', agent })).headers['x-upstream']));
      expect(got).toEqual(expected);
    });

    it('sends the tagged URL to the tagged revision whatever its percent', async () => {
      await edge.setRoutes(split(100, 0));
      const replies = await Promise.all(
        Array.from({ length: 10 }, () => call(port, { host: 'next---web.apps.test', agent })),
      );
      expect(replies.map((r) => r.headers['x-upstream'])).toEqual(Array(10).fill('v2'));
      expect(await count(20)).toEqual({ v1: 20 });
    });
  });

  describe('atomic route table swaps', () => {
    it('fails no request while the table is swapped again and again under load', async () => {
      const tables = [split(90, 10), split(50, 50), split(0, 100), split(100, 0)];
      let swaps = 0;
      const swapper = setInterval(() => {
        const next = tables[swaps % tables.length];
        if (next !== undefined) void edge.setRoutes(next);
        swaps++;
      }, 1);
      const statuses: number[] = [];
      const worker = async (): Promise<void> => {
        for (let i = 0; i < 150; i++) {
          statuses.push(
            (
              await call(port, {
                host: 'web.apps.test',
                agent,
                method: i % 3 === 0 ? 'POST' : 'GET',
                body: i % 3 === 0 ? 'payload' : undefined,
              })
            ).status,
          );
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      clearInterval(swapper);
      expect(swaps).toBeGreaterThan(1);
      expect(statuses).toHaveLength(2400);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
    });
  });
});
