// Log lines of app builds (spec 003), numbered per build like a deployment's build log.
import type { Kysely } from 'kysely';
import type { BuildLogRepository } from '../../core/ports/builds.js';
import { fromIso, toIso } from '../row-values.js';
import type { Database } from '../schema.js';

export function appBuildLogRepository(db: Kysely<Database>): BuildLogRepository {
  return {
    async append(buildId, lines) {
      // PostgreSQL text cannot hold NUL; a build may print one.
      for (let i = 0; i < lines.length; i += 500) {
        await db
          .insertInto('app_build_log_lines')
          .values(lines.slice(i, i + 500).map((l) => ({ build_id: buildId, seq: l.seq, ts: toIso(l.at), line: l.line.replaceAll('\0', '') })))
          .onConflict((oc) => oc.columns(['build_id', 'seq']).doNothing())
          .execute();
      }
    },
    async list(buildId, limit) {
      const rows = await db
        .selectFrom('app_build_log_lines')
        .selectAll()
        .where('build_id', '=', buildId)
        .orderBy('seq', 'asc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ seq: Number(r.seq), at: fromIso(r.ts), line: r.line }));
    },
  };
}
