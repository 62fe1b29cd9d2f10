// Pins the on-disk names: a change here orphans what a running Berth left behind.
import { describe, expect, it } from 'vitest';
import { cgroupDir, checkSafeName, recordFile, sandboxEtcDir, sandboxHostname, uidMapFile } from './names.js';

describe('process driver names', () => {
  it('stay what a previous run of Berth used', () => {
    expect({
      cgroupRoot: cgroupDir('/sys/fs/cgroup', 'memory', 'berth'),
      cgroup: cgroupDir('/sys/fs/cgroup', 'cpuacct', 'berth', 'web-00001-ab12'),
      record: recordFile('/data/runtime', 'web-00001-ab12'),
      etc: sandboxEtcDir('/data/runtime', 'web-00001-ab12'),
      uids: uidMapFile('/data/runtime'),
      hostname: sandboxHostname('Web_00001.ab12'),
    }).toMatchInlineSnapshot(`
      {
        "cgroup": "/sys/fs/cgroup/cpuacct/berth/web-00001-ab12",
        "cgroupRoot": "/sys/fs/cgroup/memory/berth",
        "etc": "/data/runtime/sandbox/web-00001-ab12",
        "hostname": "web-00001-ab12",
        "record": "/data/runtime/instances/web-00001-ab12.json",
        "uids": "/data/runtime/uids.json",
      }
    `);
  });

  it('refuses ids that could escape their directory', () => {
    for (const bad of ['', '..', 'a/b', '../x', '.hidden', 'a..b', 'x'.repeat(200)])
      expect(() => checkSafeName('id', bad)).toThrow();
    expect(checkSafeName('id', 'web-00001_a.b')).toBe('web-00001_a.b');
  });
});
