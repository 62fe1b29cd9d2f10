// Where the berth command keeps its login, and the console's folder, as read from the environment.
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadCliSettings, loadConfig } from '../../src/config.js';

describe('CLI settings', () => {
  it('uses BERTH_CONFIG_DIR, else XDG_CONFIG_HOME/berth, else ~/.config/berth', () => {
    expect(loadCliSettings({ BERTH_CONFIG_DIR: '/tmp/x' }).configDir).toBe('/tmp/x');
    expect(loadCliSettings({ XDG_CONFIG_HOME: '/tmp/xdg' }).configDir).toBe('/tmp/xdg/berth');
    expect(loadCliSettings({}).configDir).toBe(path.join(os.homedir(), '.config', 'berth'));
  });

  it('reads BERTH_URL and BERTH_API_KEY, and refuses a URL that is not http(s)', () => {
    expect(loadCliSettings({ BERTH_URL: 'http://h:1/', BERTH_API_KEY: 'dor_sk_x' })).toMatchObject({ url: 'http://h:1', apiKey: 'dor_sk_x' });
    expect(() => loadCliSettings({ BERTH_URL: 'ftp://h' })).toThrow(ConfigError);
  });
});

describe('BERTH_CONSOLE_DIR', () => {
  it('defaults to web/dist of this checkout and may point elsewhere', () => {
    expect(loadConfig({}).consoleDir).toBe(path.resolve(import.meta.dirname, '../../web/dist'));
    expect(loadConfig({ BERTH_CONSOLE_DIR: 'built' }, '/srv').consoleDir).toBe('/srv/built');
  });
});
