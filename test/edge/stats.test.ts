// What the edge records for the monitoring layer: per app and revision, request counts, status
// classes and a latency histogram, as a plain snapshot that survives table swaps.
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeAppStats } from '../../src/core/ports/route-table.js';
import type { Edge } from '../../src/edge/create-edge.js';
import { aTable, aTarget, anApp, call, startEdge, startUpstream, type Upstream } from './helpers.js';
import { edgeModes, useEdgeWorkers } from './helpers.js';

let app: Upstream;
let edge: Edge;
let port: number;

/** One connection, so every request meets the same split (an edge worker keeps its own position). */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** Responses are counted when they close, which may be a turn after the client has read them. */
async function settled(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function appStats(slug: string): Promise<EdgeAppStats | undefined> {
  return (await edge.stats()).apps.find((a) => a.slug === slug);
}

describe.each(edgeModes)('stats ($name)', ({ workers }) => {
  beforeAll(() => useEdgeWorkers(workers));

  beforeAll(async () => {
    app = await startUpstream((req, res) => {
      res.statusCode = Number(req.url?.slice(1)) || 200;
      res.end();
    });
    ({ edge, port } = await startEdge());
    await edge.setRoutes(
      aTable([
        anApp({
          slug: 'counted',
          targets: [aTarget('counted-00001', [app.port], 50), aTarget('counted-00002', [app.port], 50)],
        }),
        anApp({ slug: 'locked', visibility: 'private', targets: [aTarget('locked-00001', [app.port])] }),
      ]),
    );
  });

  afterAll(async () => {
    agent.destroy();
    await edge.close();
    await app.close();
  });

  describe('edge stats', () => {
    it('starts empty, with the table version', async () => {
      const snapshot = await edge.stats();
      expect(snapshot.unmatched).toBe(0);
      expect(snapshot.openTunnels).toBe(0);
      expect(snapshot.routeTableVersion).toBeGreaterThan(0);
      expect(snapshot.takenAt).toBeInstanceOf(Date);
    });

    it('counts requests per app and revision by status class, with a latency histogram', async () => {
      for (const path of ['/200', '/204', '/302', '/404', '/500', '/503'])
        await call(port, { host: 'counted.apps.test', path, agent });
      await call(port, { host: 'locked.apps.test' });
      await call(port, { host: 'unknown.apps.test' });
      await settled(async () => (await appStats('counted'))?.requests === 6 && (await appStats('locked'))?.requests === 1);

      const counted = await appStats('counted');
      expect(counted).toMatchObject({
        appId: 'app_counted',
        requests: 6,
        statusClasses: { '1xx': 0, '2xx': 2, '3xx': 1, '4xx': 1, '5xx': 2 },
      });
      expect(counted?.revisions.map((r) => [r.revisionName, r.requests])).toEqual([
        ['counted-00001', 3],
        ['counted-00002', 3],
      ]);
      const latency = counted?.latency;
      expect(latency?.counts).toHaveLength((latency?.boundsMs.length ?? 0) + 1);
      expect(latency?.counts.reduce((a, b) => a + b, 0)).toBe(6);
      expect(latency?.sumMs).toBeGreaterThan(0);

      // Refused by the edge itself: counted for the app, under no revision.
      const locked = await appStats('locked');
      expect(locked).toMatchObject({ requests: 1, statusClasses: { '4xx': 1 } });
      expect(locked?.revisions.every((r) => r.requests === 0)).toBe(true);
      expect((await edge.stats()).unmatched).toBe(1);
    });

    it('keeps counting across route table swaps', async () => {
      const before = (await appStats('counted'))?.requests ?? 0;
      await edge.setRoutes(aTable([anApp({ slug: 'counted', targets: [aTarget('counted-00002', [app.port])] })]));
      await call(port, { host: 'counted.apps.test' });
      await settled(async () => (await appStats('counted'))?.requests === before + 1);
      expect((await appStats('counted'))?.requests).toBe(before + 1);
    });

    it('returns a copy: later traffic does not change an earlier snapshot', async () => {
      const earlier = await edge.stats();
      const count = earlier.apps.find((a) => a.slug === 'counted')?.requests;
      await call(port, { host: 'counted.apps.test' });
      await settled(async () => (await appStats('counted'))?.requests === (count ?? 0) + 1);
      expect(earlier.apps.find((a) => a.slug === 'counted')?.requests).toBe(count);
    });
  });
});
