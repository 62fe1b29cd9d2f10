// Build log lines, numbered per deployment so a follower can replay and then continue.
import type { Kysely } from 'kysely';
import type { BuildLogRepository } from '../../core/ports/builds.js';
import { fromIso, toIso } from '../row-values.js';
import type { Database } from '../schema.js';

export function buildLogRepository(db: Kysely<Database>): BuildLogRepository {
  return {
    async append(deploymentId, lines) {
      // PostgreSQL text cannot hold NUL; a build may print one.
      for (let i = 0; i < lines.length; i += 500) {
        await db
          .insertInto('build_log_lines')
          .values(lines.slice(i, i + 500).map((l) => ({ deployment_id: deploymentId, seq: l.seq, ts: toIso(l.at), line: l.line.replaceAll('\0', '') })))
          .onConflict((oc) => oc.columns(['deployment_id', 'seq']).doNothing())
          .execute();
      }
    },
    async list(deploymentId, limit) {
      const rows = await db
        .selectFrom('build_log_lines')
        .selectAll()
        .where('deployment_id', '=', deploymentId)
        .orderBy('seq', 'asc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ seq: Number(r.seq), at: fromIso(r.ts), line: r.line }));
    },
  };
}
