// Log lines of every app, newest first by (ts, seq). Appends come in batches from the ingest
// writer; each batch also bumps the per-app usage that the size cap is enforced from.
import { CompiledQuery, sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import type { LogRepository, LogStream, LogUsage, Severity, StoredLogLine } from '../../core/ports/telemetry.js';
import { severities } from '../../core/ports/telemetry.js';
import type { Database, LogLineRow } from '../schema.js';
import { countSeqsAbove, encodeSeqRuns } from './seq-runs.js';

const streams: readonly LogStream[] = ['stdout', 'stderr', 'platform'];
/** Per-line overhead counted towards an app's size cap (ids, timestamps, index entries). */
export const LINE_OVERHEAD_BYTES = 64;

export const severityCode = (severity: Severity): number => severities.indexOf(severity);

const toLine = (row: Selectable<LogLineRow>): StoredLogLine => ({
  seq: Number(row.seq),
  appId: row.app_id,
  revisionName: row.revision_name,
  instanceId: row.instance_id,
  stream: streams[row.stream] ?? 'stdout',
  severity: severities[row.severity] ?? 'INFO',
  timestamp: new Date(Number(row.ts)),
  message: row.message,
});

/** Rows per INSERT: 8 parameters each stays far below SQLite's and PostgreSQL's limits. */
const ROWS_PER_INSERT = 500;
const COLUMNS = 8;
/** Pruned positions remembered per app (the newest chunks): a resume from an older position is told `skipped: null`. */
const PRUNES_KEPT_LINES = 1_000_000;
const PRUNES_KEPT_CHUNKS = 1_000;

export function logRepository(db: Kysely<Database>): LogRepository {
  // Appends are the hot path (tens of thousands of lines a second): the INSERT text for each
  // batch size is compiled by Kysely once (so each dialect gets its own placeholders) and reused
  // with flat parameter arrays, instead of building and compiling a query per batch.
  const insertSql = new Map<number, string>();
  const insertText = (rows: number): string => {
    let text = insertSql.get(rows);
    if (text === undefined) {
      const dummy = { seq: 0, app_id: '', ts: 0, severity: 0, stream: 0, revision_name: '', instance_id: '', message: '' };
      text = db.insertInto('log_lines').values(new Array(rows).fill(dummy)).compile().sql;
      if (insertSql.size < 64) insertSql.set(rows, text);
    }
    return text;
  };

  async function deleteChunk(appId: string, before: number | null, max: number): Promise<number> {
    return db.transaction().execute(async (tx) => {
      let oldest = tx.selectFrom('log_lines').select(['seq', 'message']).where('app_id', '=', appId);
      if (before !== null) oldest = oldest.where('ts', '<', before);
      const rows = await oldest.orderBy('ts').orderBy('seq').limit(max).execute();
      if (rows.length === 0) return 0;
      const seqs = rows.map((r) => r.seq);
      for (let i = 0; i < seqs.length; i += ROWS_PER_INSERT) {
        await tx.deleteFrom('log_lines').where('seq', 'in', seqs.slice(i, i + ROWS_PER_INSERT)).execute();
      }
      const bytes = rows.reduce((sum, r) => sum + r.message.length + LINE_OVERHEAD_BYTES, 0);
      await tx
        .updateTable('log_usage')
        .set({ lines: sql`lines - ${rows.length}`, bytes: sql`bytes - ${bytes}` })
        .where('app_id', '=', appId)
        .execute();
      await rememberPruned(tx, appId, seqs.map(Number));
      return rows.length;
    });
  }

  /** Records the positions of lines just pruned, forgetting the app's oldest records beyond the bounds. */
  async function rememberPruned(tx: Kysely<Database>, appId: string, seqs: number[]): Promise<void> {
    // Not Math.min(...seqs): a chunk may hold more seqs than a call takes arguments.
    const first = seqs.reduce((a, b) => Math.min(a, b));
    const last = seqs.reduce((a, b) => Math.max(a, b));
    await tx.insertInto('log_prunes').values({ app_id: appId, first_seq: first, last_seq: last, lines: seqs.length, seqs: encodeSeqRuns(seqs) }).execute();
    const newest = await tx
      .selectFrom('log_prunes')
      .select(['last_seq', 'lines'])
      .where('app_id', '=', appId)
      .orderBy('last_seq', 'desc')
      .limit(PRUNES_KEPT_CHUNKS + 1)
      .execute();
    let kept = 0;
    for (const [i, row] of newest.entries()) {
      kept += Number(row.lines);
      if (i > 0 && (kept > PRUNES_KEPT_LINES || i >= PRUNES_KEPT_CHUNKS)) {
        await tx.deleteFrom('log_prunes').where('app_id', '=', appId).where('last_seq', '<=', row.last_seq).execute();
        return;
      }
    }
  }

  /** How many of the app's lines after `afterSeq` were pruned, when `afterSeq` is a pruned line still remembered; else null. */
  async function prunedAfter(appId: string, afterSeq: number): Promise<number | null> {
    const rows = await db
      .selectFrom('log_prunes')
      .select(['first_seq', 'lines', 'seqs'])
      .where('app_id', '=', appId)
      .where('last_seq', '>=', afterSeq)
      .execute();
    let pruned = 0;
    let remembered = false;
    for (const row of rows) {
      if (Number(row.first_seq) > afterSeq) {
        pruned += Number(row.lines);
        continue;
      }
      const { above, holds } = countSeqsAbove(row.seqs, afterSeq);
      pruned += above;
      remembered ||= holds;
    }
    return remembered ? pruned : null;
  }

  return {
    async nextSeq() {
      const row = await db.selectFrom('log_lines').select((eb) => eb.fn.max('seq').as('max')).executeTakeFirst();
      return Number(row?.max ?? 0) + 1;
    },

    async append(lines) {
      if (lines.length === 0) return;
      const usage = new Map<string, { lines: number; bytes: number }>();
      for (const line of lines) {
        const u = usage.get(line.appId) ?? { lines: 0, bytes: 0 };
        u.lines += 1;
        u.bytes += line.message.length + LINE_OVERHEAD_BYTES;
        usage.set(line.appId, u);
      }
      await db.transaction().execute(async (tx) => {
        for (let i = 0; i < lines.length; i += ROWS_PER_INSERT) {
          const chunk = lines.slice(i, i + ROWS_PER_INSERT);
          const params: unknown[] = new Array(chunk.length * COLUMNS);
          let p = 0;
          // Column order of the compiled INSERT: the dummy row's key order.
          for (const l of chunk) {
            params[p++] = l.seq;
            params[p++] = l.appId;
            params[p++] = l.timestamp.getTime();
            params[p++] = severityCode(l.severity);
            params[p++] = streams.indexOf(l.stream);
            params[p++] = l.revisionName;
            params[p++] = l.instanceId;
            params[p++] = l.message;
          }
          await tx.executeQuery(CompiledQuery.raw(insertText(chunk.length), params));
        }
        for (const [appId, u] of usage) {
          await tx
            .insertInto('log_usage')
            .values({ app_id: appId, lines: u.lines, bytes: u.bytes })
            .onConflict((oc) =>
              oc.column('app_id').doUpdateSet({ lines: sql`log_usage.lines + ${u.lines}`, bytes: sql`log_usage.bytes + ${u.bytes}` }),
            )
            .execute();
        }
      });
    },

    async query(q) {
      let query = db.selectFrom('log_lines').selectAll().where('app_id', '=', q.appId);
      if (q.severity !== null) query = query.where('severity', '=', severityCode(q.severity));
      if (q.startTime) query = query.where('ts', '>=', q.startTime.getTime());
      if (q.endTime) query = query.where('ts', '<', q.endTime.getTime());
      if (q.after) {
        const { timestampMs, seq } = q.after;
        query = query.where((eb) => eb(eb.refTuple('ts', 'seq'), '<', eb.tuple(timestampMs, seq)));
      }
      const rows = await query
        .orderBy('ts', 'desc')
        .orderBy('seq', 'desc')
        .limit(q.limit + 1)
        .execute();
      const lines = rows.slice(0, q.limit).map(toLine);
      const last = lines[lines.length - 1];
      return { lines, next: rows.length > q.limit && last ? { timestampMs: last.timestamp.getTime(), seq: last.seq } : null };
    },

    async linesAfter(appId, afterSeq, limit, keep) {
      const after = db.selectFrom('log_lines').where('app_id', '=', appId).where('seq', '>', afterSeq);
      const [rows, count, at] = await Promise.all([
        after.selectAll().orderBy('seq', keep === 'newest' ? 'desc' : 'asc').limit(limit).execute(),
        after.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
        db.selectFrom('log_lines').select('seq').where('seq', '=', afterSeq).where('app_id', '=', appId).executeTakeFirst(),
      ]);
      const holdsPosition = at !== undefined;
      const pruned = holdsPosition ? 0 : await prunedAfter(appId, afterSeq);
      return { lines: (keep === 'newest' ? rows.reverse() : rows).map(toLine), total: Number(count?.n ?? 0), holdsPosition, pruned };
    },

    async usage(): Promise<LogUsage[]> {
      const rows = await db.selectFrom('log_usage').selectAll().execute();
      return rows.map((r) => ({ appId: r.app_id, lines: Number(r.lines), bytes: Number(r.bytes) }));
    },

    deleteOlderThan: (appId, before, max) => deleteChunk(appId, before.getTime(), max),
    deleteOldest: (appId, max) => deleteChunk(appId, null, max),

    async orphanedApps() {
      const rows = await db
        .selectFrom('log_usage')
        .select('app_id')
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('apps').select('apps.id').whereRef('apps.id', '=', 'log_usage.app_id'))))
        .execute();
      return rows.map((r) => r.app_id);
    },

    async forgetApp(appId) {
      await db.deleteFrom('log_usage').where('app_id', '=', appId).execute();
      await db.deleteFrom('log_prunes').where('app_id', '=', appId).execute();
    },
  };
}
