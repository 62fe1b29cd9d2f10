// Pins where a Berth keeps its host-side isolation: a change here orphans the namespaces, nftables
// tables and cgroups of every Berth started before it (and hides them from the test run's sweep).
import { describe, expect, it } from 'vitest';
import { hostScopes } from './host-scopes.js';

describe('hostScopes', () => {
  it('names every runtime scope of a Berth by its data dir and cgroup name', () => {
    expect(hostScopes('/var/lib/berth', 'berth')).toEqual({
      instances: { stateDir: '/var/lib/berth/runtime', cgroupRoot: 'berth' },
      previews: { stateDir: '/var/lib/berth/previews/runtime', cgroupRoot: 'berth-prv' },
      builds: { stateDir: '/var/lib/berth/builds/state', uidsFile: '/var/lib/berth/builds/uids.json', cgroupRoot: 'berth' },
      databases: { cgroupRoot: 'berth-db' },
    });
  });
});
