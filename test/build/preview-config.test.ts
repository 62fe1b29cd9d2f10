import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('preview session configuration', () => {
  it('stops sessions idle for 5 minutes and runs 3 per workspace by default', () => {
    expect(loadConfig({}).previews).toEqual({ idleMs: 300_000, maxPerWorkspace: 3 });
  });

  it('reads BERTH_PREVIEW_IDLE_MS and BERTH_PREVIEW_MAX_PER_WORKSPACE', () => {
    expect(loadConfig({ BERTH_PREVIEW_IDLE_MS: '60000', BERTH_PREVIEW_MAX_PER_WORKSPACE: '10' }).previews).toEqual({ idleMs: 60_000, maxPerWorkspace: 10 });
  });

  it.each([
    ['BERTH_PREVIEW_IDLE_MS', '5m'],
    ['BERTH_PREVIEW_MAX_PER_WORKSPACE', '0'],
    ['BERTH_PREVIEW_MAX_PER_WORKSPACE', 'many'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
