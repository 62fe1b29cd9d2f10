// Berth stops while a reader follows a log (a console tab left open, a `berth logs -f`): the
// stream is cut, so the reader reconnects to the next start, instead of holding the stop forever.
import { describe, expect, it } from 'vitest';
import { startTestBerth } from '../support/test-berth.js';
import { createApp, ws } from './support.js';

describe('stopping Berth with a log stream open', () => {
  it('cuts the stream and stops', async () => {
    const t = await startTestBerth('sqlite');
    const app = await createApp(t, { name: 'Quiet', slug: 'quiet' });
    const response = await fetch(`${t.url}${ws(t, `/monitoring/apps/${app.id}/logs/stream`)}`, { headers: { authorization: `Bearer ${t.key}` } });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read(); // `: connected`
    const stopped = t.close().then(() => 'stopped');
    const cutOff = (async () => {
      for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) return 'cut';
    })();
    expect(await Promise.all([stopped, cutOff])).toEqual(['stopped', 'cut']);
  }, 30_000);
});
