import { describe, expect, it } from 'vitest';
import { redisLogReason } from './redis-server.js';

// What redis-server 7.0 logs when it refuses an append-only file (junk and truncated RDB base).
const start = [
  '11100:C 05 Dec 2026 02:14:17.620 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
  '11100:C 05 Dec 2026 02:14:17.620 # Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=11100, just started',
  '11100:C 05 Dec 2026 02:14:17.620 # Configuration loaded',
  '11100:M 05 Dec 2026 02:14:17.631 * Running mode=standalone, port=0.',
  '11100:M 05 Dec 2026 02:14:17.631 # Server initialized',
  "11100:M 05 Dec 2026 02:14:17.631 # WARNING Memory overcommit must be enabled! To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf.",
];

describe("redis-server's reason for stopping, from its log", () => {
  it('is its last warning-level lines, without the routine start-up ones', () => {
    const junk = [...start, '11100:M 05 Dec 2026 02:14:17.642 # Bad file format reading the append only file appendonly.aof.2.base.rdb: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>', ''];
    expect(redisLogReason(junk.join('\n'))).toBe('Bad file format reading the append only file appendonly.aof.2.base.rdb: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>');
    const truncated = [
      ...start,
      '11111:M 05 Dec 2026 02:14:17.722 * Reading RDB base file on AOF loading...',
      '11111:M 05 Dec 2026 02:14:17.722 # Short read or OOM loading DB. Unrecoverable error, aborting now.',
      '11111:M 05 Dec 2026 02:14:17.722 # Internal error in RDB reading offset 0, function at rdb.c:3249 -> Unexpected EOF reading RDB file',
      '[offset 0] Checking RDB file appendonly.aof.2.base.rdb',
    ];
    expect(redisLogReason(truncated.join('\n'))).toBe('Short read or OOM loading DB. Unrecoverable error, aborting now. Internal error in RDB reading offset 0, function at rdb.c:3249 -> Unexpected EOF reading RDB file [offset 0] Checking RDB file appendonly.aof.2.base.rdb');
  });

  it('is empty when redis-server said nothing beyond starting, or never ran; at most 600 characters', () => {
    expect(redisLogReason(start.join('\n'))).toBe('');
    expect(redisLogReason('')).toBe('');
    expect(redisLogReason('bwrap: Creating new namespace failed: Resource temporarily unavailable\n')).toBe('');
    expect(redisLogReason([...start, 'x'.repeat(2000)].join('\n'))).toHaveLength(601);
  });
});
