// Database servers in the overview's cost estimate: by the cpu and memory they reserve.
import { describe, expect, it } from 'vitest';
import type { ManagedDatabase } from '../../domain/database.js';
import { databasesMonthlyCost } from './get-overview.js';

const prices = { priceVcpuHour: 0.04, priceGibHour: 0.005, metricsToken: null, sseHeartbeatMs: 15_000 };
const aDatabase = (fields: Partial<ManagedDatabase>): ManagedDatabase => ({
  id: 'db_1',
  workspaceId: 'ws_1',
  projectId: null,
  name: 'x',
  slug: 'x',
  engine: 'POSTGRES',
  version: '15',
  status: 'running',
  statusMessage: null,
  resources: { cpuMillicores: 500, memoryMi: 1024, storageGb: 10, storageClass: null, highAvailability: false },
  connection: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...fields,
});

describe('databasesMonthlyCost', () => {
  it('prices servers by reserved cpu and memory, and SQLITE or failed databases at nothing', () => {
    // (0.5 vCPU × 0.04 + 1 GiB × 0.005) × 730 h = 18.25
    expect(databasesMonthlyCost([aDatabase({})], prices)).toBe(18.25);
    expect(databasesMonthlyCost([aDatabase({}), aDatabase({ status: 'provisioning' })], prices)).toBe(36.5);
    expect(databasesMonthlyCost([aDatabase({ engine: 'SQLITE' }), aDatabase({ status: 'failed' })], prices)).toBe(0);
  });
});
