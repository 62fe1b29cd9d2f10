// A line longer than Berth's 16 KiB cap reaches every reader as pieces that say they were cut,
// each cut between two characters: a real app prints a 48 KiB line of emoji and accented
// letters, and the Monitoring API and its SSE stream give back pieces that join to the line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINE_CONTINUED_MARK, LINE_CONTINUES_MARK } from '../../src/engine/runtime/host/line-splitter.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { createApp, deploy, readEvents, scriptApp, viaEdge, waitFor, ws } from './support.js';

// One unit in, so the 16,384-unit cap falls inside an emoji's surrogate pair.
const longLine = 'x' + '😀'.repeat(8192) + 'é'.repeat(8192);
const longRoute = `if (url.pathname === '/long') { say(${JSON.stringify(longLine)}); return res.end('ok'); }`;
/** A lone surrogate, or the replacement character a broken one turns into. */
const broken = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\ufffd/;

/** Checks the pieces of the long line, oldest first: marked as cut, whole characters, joining to the line. */
function expectPiecesOfLongLine(pieces: string[]) {
  expect(pieces).toHaveLength(2);
  for (const piece of pieces) expect(piece).not.toMatch(broken);
  expect(pieces[0]?.endsWith(LINE_CONTINUES_MARK)).toBe(true);
  expect(pieces[1]?.startsWith(LINE_CONTINUED_MARK)).toBe(true);
  expect(pieces[0]?.slice(0, -LINE_CONTINUES_MARK.length) + (pieces[1]?.slice(LINE_CONTINUED_MARK.length) ?? '')).toBe(longLine);
}

// The cut happens before the store: one backend covers it.
describe('a log line longer than the cap', () => {
  let t: TestBerth;
  let app: { id: string; slug: string };

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { env: { BERTH_SSE_HEARTBEAT_MS: '300' } });
    app = await createApp(t, { name: 'Long liner', slug: 'long-liner' });
    expect((await deploy(t, app.id, scriptApp('', { routes: longRoute }))).deployment.status).toBe('succeeded');
  }, 60_000);
  afterAll(async () => t?.close());

  it('streams as pieces marked as cut, cut between characters', async () => {
    const result = await readEvents(
      `${t.url}${ws(t, `/monitoring/apps/${app.id}/logs/stream`)}`,
      { authorization: `Bearer ${t.key}` },
      async () => void (await viaEdge(t, app.slug, '/long')),
      (events) => events.some((e) => String(e.message).startsWith(LINE_CONTINUED_MARK)),
    );
    expect(result.status).toBe(200);
    expectPiecesOfLongLine(result.events.map((e) => String(e.message)).filter((m) => m.startsWith('x') || m.startsWith(LINE_CONTINUED_MARK)));
  });

  it('reads back from the log as the same pieces', async () => {
    const logs = await waitFor('the pieces stored', async () => {
      const res = await t.request<{ logs: { message: string }[] }>('GET', ws(t, `/monitoring/apps/${app.id}/logs?limit=10`));
      return res.body.logs.some((l) => l.message.startsWith(LINE_CONTINUED_MARK)) ? res.body.logs : undefined;
    });
    const pieces = logs.map((l) => l.message).filter((m) => m.startsWith('x') || m.startsWith(LINE_CONTINUED_MARK));
    expectPiecesOfLongLine(pieces.reverse());
  });
});
