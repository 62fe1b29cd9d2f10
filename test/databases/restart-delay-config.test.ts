// BERTH_DB_RESTART_DELAY_MS: the first wait before a database server that exited is restarted
// (doubled after each failed start). Unset, it is the 1 s the restart policy has always had.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('BERTH_DB_RESTART_DELAY_MS', () => {
  it('is 1 s unless set, and takes milliseconds', () => {
    expect(loadConfig({}).databases.restartDelayMs).toBe(1000);
    expect(loadConfig({ BERTH_DB_RESTART_DELAY_MS: '200' }).databases.restartDelayMs).toBe(200);
  });

  it('refuses what is not a wait, naming the variable', () => {
    for (const raw of ['0', '5', 'soon', '1.5']) {
      expect(() => loadConfig({ BERTH_DB_RESTART_DELAY_MS: raw })).toThrow(ConfigError);
      expect(() => loadConfig({ BERTH_DB_RESTART_DELAY_MS: raw })).toThrow(/BERTH_DB_RESTART_DELAY_MS/);
    }
  });
});
