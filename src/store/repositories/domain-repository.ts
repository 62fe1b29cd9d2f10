// Custom domains: a hostname may be claimed once per workspace, by several workspaces, and is
// verified (routed) for at most one claim at a time.
import type { Kysely, Selectable } from 'kysely';
import type { DomainRepository } from '../../core/ports/store.js';
import type { CustomDomain, TlsStatus } from '../../domain/custom-domain.js';
import { conflict } from '../../domain/errors.js';
import { fromFlag, fromIso, fromIsoOrNull, isUniqueViolation, toFlag, toIso, toIsoOrNull } from '../row-values.js';
import type { Database, DomainRow } from '../schema.js';

function toDomain(row: Selectable<DomainRow>): CustomDomain {
  return {
    id: row.id,
    appId: row.app_id,
    domain: row.domain,
    targetPort: row.target_port,
    verified: fromFlag(row.verified),
    tlsStatus: row.tls_status as TlsStatus,
    verificationToken: row.verification_token,
    createdAt: fromIso(row.created_at),
    verifiedAt: fromIsoOrNull(row.verified_at),
    tlsError: row.tls_error ?? null,
    tlsExpiresAt: fromIsoOrNull(row.tls_expires_at ?? null),
  };
}

export function domainRepository(db: Kysely<Database>): DomainRepository {
  return {
    async create(domain, workspaceId) {
      try {
        await db
          .insertInto('domains')
          .values({
            id: domain.id,
            app_id: domain.appId,
            workspace_id: workspaceId,
            domain: domain.domain,
            target_port: domain.targetPort,
            verified: toFlag(domain.verified),
            tls_status: domain.tlsStatus,
            verification_token: domain.verificationToken,
            created_at: toIso(domain.createdAt),
            verified_at: toIsoOrNull(domain.verifiedAt),
            tls_error: domain.tlsError,
            tls_expires_at: toIsoOrNull(domain.tlsExpiresAt),
          })
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) conflict(`Domain ${domain.domain} is already in use`);
        throw error;
      }
    },
    async list(appId) {
      const rows = await db.selectFrom('domains').selectAll().where('app_id', '=', appId).orderBy('id').execute();
      return rows.map(toDomain);
    },
    async byId(appId, domainId) {
      const row = await db
        .selectFrom('domains')
        .selectAll()
        .where('app_id', '=', appId)
        .where('id', '=', domainId)
        .executeTakeFirst();
      return row ? toDomain(row) : null;
    },
    async countClaims(hostname) {
      const row = await db.selectFrom('domains').select((eb) => eb.fn.countAll<number | string>().as('n')).where('domain', '=', hostname).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async delete(domainId) {
      await db.deleteFrom('domains').where('id', '=', domainId).execute();
    },
    async listVerified() {
      const rows = await db.selectFrom('domains').selectAll().where('verified', '=', 1).execute();
      return rows.map(toDomain);
    },
    async setTls(hostname, tls) {
      await db
        .updateTable('domains')
        .set({ tls_status: tls.status, tls_error: tls.error, tls_expires_at: toIsoOrNull(tls.expiresAt) })
        .where('domain', '=', hostname)
        .where('verified', '=', 1)
        .execute();
    },
    async markVerified(domainId, at) {
      await db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('domains').select('domain').where('id', '=', domainId).executeTakeFirst();
        if (!row) return;
        await trx.updateTable('domains').set({ verified: 0, verified_at: null }).where('domain', '=', row.domain).where('id', '!=', domainId).execute();
        await trx.updateTable('domains').set({ verified: 1, verified_at: toIso(at) }).where('id', '=', domainId).execute();
      });
    },
  };
}
