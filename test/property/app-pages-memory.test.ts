// Property: for a page of live apps, the catalog answers exactly as the SQL does: the same apps in
// the same order, the same hasMore and total, for random filters (AND / OR / NOT, every operator,
// nulls, non-ASCII and astral text, LIKE wildcards), orders (nulls first / last) and cursors before
// and after, on SQLite and PostgreSQL. BERTH_FUZZ_RUNS (default 400 here) and BERTH_FUZZ_SEED as elsewhere.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppPageRepository } from '../../src/core/ports/store.js';
import type { App } from '../../src/domain/app.js';
import { appQueryFields, appQueryValue, comparisons, totalOrder } from '../../src/domain/app-query.js';
import type { AppFilter, AppOrderKey, AppPageQuery, AppQueryField, Comparison } from '../../src/domain/app-query.js';
import { answerableInMemory, catalogAppPages } from '../../src/store/repositories/app-page-memory.js';
import { sqlAppPages } from '../../src/store/repositories/app-page-repository.js';
import { appRepository } from '../../src/store/repositories/app-repository.js';
import { workspaceRepository } from '../../src/store/repositories/workspace-repository.js';
import { openStore } from '../../src/store/open-store.js';
import type { OpenedStore } from '../../src/store/open-store.js';
import { backends } from '../support/test-berth.js';
import { createTestDatabase } from '../support/test-database.js';

const runs = Number(process.env.BERTH_FUZZ_RUNS ?? 400);
const seed = process.env.BERTH_FUZZ_SEED ? Number(process.env.BERTH_FUZZ_SEED) : undefined;
const settings = { numRuns: runs, ...(seed === undefined ? {} : { seed }) };

/** Names where case, accents, astral and private-use characters, wildcards and ties matter. */
const names = [
  'Amber Otter', 'amber otter', 'AMBER', 'Émile', 'émile', 'école', 'ÉCOLE', 'İstanbul', 'istanbul', 'straße', 'STRASSE', '𝒜lpha', '𝒜', '\uE000 private',
  '\uFFFD odd', 'z', 'Z', '100%_done', '100 done', 'a\\b', 'tab\tname', ' lead', 'Kelvin \u212A', 'kelvin k', 'ǅ dz', 'amber otter',
];
const texts = ['note', 'Note', 'NOTE é', 'É', '𝒜 astral', '', 'x%y'];
const dates = ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.001Z', '2026-03-15T12:30:00.000Z', '2027-06-01T08:00:00.000Z'];
/** A year past 9999, whose ISO text ('+010000-…') sorts apart from its time. */
const farFuture = '+010000-01-01T00:00:00.000Z';
const ws = 'ws_mem';

function appAt(i: number, workspaceId = ws): App {
  const pick = <T>(items: readonly T[], salt: number) => items[(i * 7 + salt * 13 + Math.floor(i / 3)) % items.length] as T;
  const at = (salt: number) => new Date(i === 11 && salt === 9 ? farFuture : pick(dates, salt));
  return {
    id: `app_${String(i).padStart(3, '0')}${pick(['a', 'B', 'é', '𝒜'], 5)}`,
    workspaceId,
    name: pick(names, 1),
    slug: `s-${workspaceId}-${i}`,
    description: pick([null, ...texts], 2),
    type: pick(['web', 'worker', 'api', 'cron'], 6), status: pick(['active', 'stopped', 'failed'], 3), sourceType: 'GIT', gitRepoUrl: null, gitBranch: 'main', gitProvider: null,
    gitInstallationId: null, imageRef: null, imageRegistryAuthRef: null, dockerfilePath: null, autoDeploy: false, releaseCommand: null,
    visibility: pick(['public', 'private'], 4), cpuLimitMillicores: 500, memoryLimitMi: 512, diskLimitMi: 1024, minReplicas: 1, maxReplicas: 1,
    cpuTargetUtilization: 70, schedule: null, port: null, buildCommand: null, readinessPath: '/', readinessType: 'http', sessionAffinity: false, replicas: null,
    defaultVersionId: pick([null, 'ver_1', 'ver_2', 'VER_1'], 6), nodeVersion: null, createdBy: pick([null, 'key_a', 'key_b', 'ké'], 7),
    createdAt: at(8), updatedAt: at(9), deletedAt: null,
  };
}

const liveCount = 70;
const seeded = Array.from({ length: liveCount + 8 }, (_, i) => appAt(i));

/** Values a condition on the field may hold: ones in the data, near misses, and tricky text. */
function valuesOf(field: AppQueryField): string[] {
  const inData = [...new Set(seeded.map((app) => appQueryValue(app, field)).filter((v): v is string => v !== null))].slice(0, 12);
  const tricky = ['', 'a', 'A', 'é', 'É', 'e', 'ss', '%', '_', '\\', '𝒜', '\uE000', 'i', 'k', '2026-01-01', '2026-03', 'zzz', 'app_01'];
  return [...inData, ...tricky];
}

const orderKey: Arbitrary<AppOrderKey> = fc.record({
  field: fc.constantFrom(...appQueryFields),
  direction: fc.constantFrom('asc' as const, 'desc' as const),
  nulls: fc.constantFrom('first' as const, 'last' as const),
});

const leaf: Arbitrary<AppFilter> = fc.constantFrom(...appQueryFields).chain((field) => {
  const value = fc.constantFrom(...valuesOf(field));
  // LIKE only on the name: the catalog leaves LIKE on other fields to SQL.
  const ops = comparisons.filter((op) => field === 'name' || !['contains', 'startsWith', 'endsWith'].includes(op));
  return fc.constantFrom(...ops).chain((op: Comparison) =>
    op === 'in' || op === 'notIn'
      ? fc.array(value, { maxLength: 3 }).map((list) => ({ field, op, value: list }) as AppFilter)
      : fc.option(value, { freq: 4 }).map((one) => ({ field, op, value: one }) as AppFilter),
  );
});

const filter: Arbitrary<AppFilter> = fc.letrec<{ node: AppFilter }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('node'), { maxLength: 3 }).map((and) => ({ and })),
    fc.array(tie('node'), { maxLength: 3 }).map((or) => ({ or })),
    tie('node').map((not) => ({ not })),
  ),
})).node;

const query = fc.record({
  filter: fc.option(filter, { freq: 5 }),
  order: fc.array(orderKey, { maxLength: 3 }).map(totalOrder),
  limit: fc.integer({ min: 1, max: 8 }),
  ids: fc.option(fc.subarray(seeded.map((app) => app.id), { maxLength: 10 }), { freq: 5 }),
  cursorFrom: fc.integer({ min: 0, max: seeded.length - 1 }),
});

describe.each(backends)('keyset pages from the catalog on %s', (backend) => {
  let opened: OpenedStore | null = null;
  let drop: (() => Promise<void>) | null = null;
  let inSql: AppPageRepository;
  let inMemory: AppPageRepository;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-pages-'));

  beforeAll(async () => {
    const database = backend === 'postgres' ? await createTestDatabase() : null;
    drop = database ? database.drop : null;
    opened = await openStore({ databaseUrl: database?.url ?? null, sqlitePath: path.join(dir, 'berth.db') });
    const workspaces = workspaceRepository(opened.db);
    for (const id of [ws, 'ws_other']) await workspaces.create({ id, name: id, createdAt: new Date() });
    const apps = appRepository(opened.db);
    for (const app of seeded) await apps.create(app);
    for (let i = 0; i < 5; i++) await apps.create(appAt(200 + i, 'ws_other'));
    // The last few are soft-deleted: never in a page of live apps.
    for (const app of seeded.slice(liveCount)) await apps.softDelete(app.id, new Date(dates[1] as string));
    inSql = sqlAppPages(opened.db);
    inMemory = catalogAppPages(apps.catalog);
  }, 60_000);
  afterAll(async () => {
    await opened?.close();
    await drop?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const ids = (page: { apps: App[] }) => page.apps.map((app) => app.id);
  const cursorOf = (app: App, order: readonly AppOrderKey[]) => order.map((k) => appQueryValue(app, k.field));

  it('gives the SQL answer for random filters, orders and cursors', async () => {
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const base: AppPageQuery = { workspaceId: ws, filter: q.filter, ids: q.ids, deleted: 'exclude', order: q.order, limit: q.limit, after: null, before: null };
        const cursor = cursorOf(seeded[q.cursorFrom] as App, q.order);
        const first = await inSql.page(base);
        const last = first.apps.at(-1);
        const variants: AppPageQuery[] = [
          base,
          { ...base, after: cursor },
          { ...base, before: cursor },
          ...(last ? [{ ...base, after: cursorOf(last, q.order) }, { ...base, before: cursorOf(last, q.order) }] : []),
        ];
        for (const variant of variants) {
          expect(answerableInMemory(variant)).toBe(true);
          const [sqlPage, memoryPage] = [await inSql.page(variant), await inMemory.page(variant)];
          expect({ ids: ids(memoryPage), hasMore: memoryPage.hasMore }).toEqual({ ids: ids(sqlPage), hasMore: sqlPage.hasMore });
        }
        expect(await inMemory.count(base)).toBe(await inSql.count(base));
      }),
      settings,
    );
  }, 240_000);

  it('leaves to SQL what it cannot answer the same way: deleted apps, LIKE on other fields, lone surrogates', () => {
    const selection = { workspaceId: ws, filter: null, ids: null, deleted: 'exclude' as const };
    expect(answerableInMemory(selection)).toBe(true);
    expect(answerableInMemory({ ...selection, deleted: 'include' })).toBe(false);
    expect(answerableInMemory({ ...selection, deleted: 'only' })).toBe(false);
    expect(answerableInMemory({ ...selection, filter: { field: 'description', op: 'contains', value: 'é' } })).toBe(false);
    expect(answerableInMemory({ ...selection, filter: { not: { field: 'name', op: 'equals', value: '\uD835' } } })).toBe(false);
    expect(answerableInMemory({ ...selection, after: ['\uDC00x', 'app_1'] } as never)).toBe(false);
  });
});
