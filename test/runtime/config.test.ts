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

describe('isolation configuration', () => {
  it('takes auto, required or off, and a namespace range or off', () => {
    expect(loadConfig({})).toMatchObject({ isolation: 'auto', networkNamespaces: true, instanceCidr: null, hostServices: [] });
    expect(loadConfig({ BERTH_ISOLATION: 'required', BERTH_INSTANCE_CIDR: '10.88.0.0/16' })).toMatchObject({ isolation: 'required', networkNamespaces: true, instanceCidr: '10.88.0.0/16' });
    expect(loadConfig({ BERTH_INSTANCE_CIDR: 'off' })).toMatchObject({ networkNamespaces: false, instanceCidr: null });
  });

  it.each([
    ['BERTH_ISOLATION', 'strict'],
    ['BERTH_INSTANCE_CIDR', '10.88.0.1/16'],
    ['BERTH_INSTANCE_CIDR', '10.88.0.0/28'],
    ['BERTH_INSTANCE_CIDR', 'fd00::/64'],
    ['BERTH_HOST_SERVICES', 'postgres'],
    ['BERTH_HOST_SERVICES', 'postgres=localhost:5432'],
    ['BERTH_HOST_SERVICES', 'postgres=127.0.0.1:99999'],
    ['BERTH_HOST_SERVICES', 'a=127.0.0.1:5432,b=127.0.0.2:5432'],
    ['BERTH_HOST_SERVICES', 'a=127.0.0.1:5432,a=127.0.0.1:6379'],
  ])('refuses %s=%s naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('parses the host-services allow-list and refuses a shared network when isolation is required', () => {
    expect(loadConfig({ BERTH_HOST_SERVICES: 'postgres=127.0.0.1:5432, redis=10.1.2.3:6379' }).hostServices).toEqual([
      { name: 'postgres', host: '127.0.0.1', port: 5432 },
      { name: 'redis', host: '10.1.2.3', port: 6379 },
    ]);
    expect(() => loadConfig({ BERTH_ISOLATION: 'required', BERTH_INSTANCE_CIDR: 'off' })).toThrow(/BERTH_INSTANCE_CIDR: cannot be off/);
  });
});
