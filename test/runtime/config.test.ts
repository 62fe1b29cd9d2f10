import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('runtime configuration', () => {
  it('boosts a starting instance to every core by default, and can be turned off', () => {
    expect(loadConfig({}).startupCpuMillicores).toBe(1000 * availableParallelism());
    expect(loadConfig({ BERTH_STARTUP_CPU_BOOST_MILLICORES: '0' }).startupCpuMillicores).toBe(0);
    expect(loadConfig({ BERTH_STARTUP_CPU_BOOST_MILLICORES: '1500' }).startupCpuMillicores).toBe(1500);
  });

  it.each(['-1', 'two cores', '1.5'])('refuses BERTH_STARTUP_CPU_BOOST_MILLICORES=%s naming it', (value) => {
    expect(() => loadConfig({ BERTH_STARTUP_CPU_BOOST_MILLICORES: value })).toThrow(ConfigError);
    expect(() => loadConfig({ BERTH_STARTUP_CPU_BOOST_MILLICORES: value })).toThrow('BERTH_STARTUP_CPU_BOOST_MILLICORES');
  });
});
