// Pins the on-disk names: a change here orphans what a running Berth left behind.
import { describe, expect, it } from 'vitest';
import {
  cgroupDir,
  checkSafeName,
  claimMetric,
  hostVethName,
  netnsName,
  networkTag,
  nftTableName,
  recordFile,
  sandboxEtcDir,
  sandboxHostname,
  uidMapFile,
  vethPrefix,
} from './names.js';

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

  it('derive network names from the cgroup root and state dir, short enough for the kernel', () => {
    const tag = networkTag('berth', '/data/runtime');
    expect({
      tag,
      other: networkTag('berth', '/other/runtime'),
      netns: netnsName(tag, 17),
      veth: hostVethName(tag, 16383),
      prefix: vethPrefix(tag),
      table: nftTableName(tag),
      metric: claimMetric(tag),
    }).toMatchInlineSnapshot(`
      {
        "metric": 3398112323,
        "netns": "berth-n4eedf-17",
        "other": "1wopqo",
        "prefix": "bn4eedf",
        "table": "berth_n4eedf",
        "tag": "n4eedf",
        "veth": "bn4eedfcn3",
      }
    `);
    expect(hostVethName(tag, 36 ** 4 - 1).length).toBeLessThanOrEqual(15);
    expect(networkTag('berth', '/data/runtime')).toMatch(/^[0-9a-z]{6}$/);
  });

  it('refuses ids that could escape their directory', () => {
    for (const bad of ['', '..', 'a/b', '../x', '.hidden', 'a..b', 'x'.repeat(200)])
      expect(() => checkSafeName('id', bad)).toThrow();
    expect(checkSafeName('id', 'web-00001_a.b')).toBe('web-00001_a.b');
  });
});
