// Each Berth's provisioning in flight is its own: what one tracks, another in the same process never sees.
import { describe, expect, it } from 'vitest';
import { createDatabaseProvisioning } from './database-provisioning.js';

describe('database provisioning in flight', () => {
  it('is per Berth, held until the run settles, and waited for by settled', async () => {
    const one = createDatabaseProvisioning();
    const other = createDatabaseProvisioning();
    let finish = (): void => undefined;
    const run = new Promise<void>((resolve) => (finish = resolve));
    void one.track('db_1', run);
    expect(one.inFlight('db_1')).toBe(true);
    expect(other.inFlight('db_1')).toBe(false);
    let waited = false;
    const waiting = one.settled('db_1').then(() => (waited = true));
    await other.settled('db_1');
    expect(waited).toBe(false);
    finish();
    await waiting;
    expect(one.inFlight('db_1')).toBe(false);
  });
});
