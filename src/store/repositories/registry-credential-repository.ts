// Registry credentials of workspaces; the password is sealed at rest and opened only on request.
import type { Kysely, Selectable } from 'kysely';
import type { SecretBox } from '../../core/ports/secret-box.js';
import type { RegistryCredentialRepository } from '../../core/ports/store.js';
import type { RegistryCredential } from '../../domain/registry-credential.js';
import { fromIso, isUniqueViolation, toIso } from '../row-values.js';
import type { Database, RegistryCredentialRow } from '../schema.js';

const toCredential = (row: Selectable<RegistryCredentialRow>): RegistryCredential => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  registry: row.registry,
  username: row.username,
  createdAt: fromIso(row.created_at),
});

const listed = ['id', 'workspace_id', 'name', 'registry', 'username', 'created_at'] as const;

export function registryCredentialRepository(db: Kysely<Database>, box: SecretBox): RegistryCredentialRepository {
  return {
    async create(credential, password) {
      try {
        await db
          .insertInto('registry_credentials')
          .values({
            id: credential.id,
            workspace_id: credential.workspaceId,
            name: credential.name,
            registry: credential.registry,
            username: credential.username,
            secret_sealed: box.seal(password),
            created_at: toIso(credential.createdAt),
          })
          .execute();
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
    async list(workspaceId) {
      const rows = await db.selectFrom('registry_credentials').select(listed).where('workspace_id', '=', workspaceId).orderBy('name').execute();
      return rows.map((row) => toCredential({ ...row, secret_sealed: '' }));
    },
    async byName(workspaceId, name) {
      const row = await db.selectFrom('registry_credentials').select(listed).where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
      return row ? toCredential({ ...row, secret_sealed: '' }) : null;
    },
    async password(credentialId) {
      const row = await db.selectFrom('registry_credentials').select('secret_sealed').where('id', '=', credentialId).executeTakeFirst();
      return row ? box.open(row.secret_sealed) : null;
    },
    async delete(workspaceId, credentialId) {
      const result = await db.deleteFrom('registry_credentials').where('workspace_id', '=', workspaceId).where('id', '=', credentialId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
