// A database's page: its status (provisioning shown as progress, a failure with its reason), the
// connection, the apps it is attached to, backups, the query runner (POSTGRES), the audit trail and delete.
import { Link } from 'wouter';
import { ApiError } from '../../api/client';
import { useDatabase } from '../../api/database-queries';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import { StatusBadge } from '../../components/status-badge';
import { TimeAgo } from '../../components/time-ago';
import { ResourcesText } from '../databases-page';
import { AttachmentsCard } from './attachments-card';
import { AuditCard } from './audit-card';
import { BackupsCard } from './backups-card';
import { ConnectionCard } from './connection-card';
import { DeleteDatabase } from './delete-database';
import { QueryRunner } from './query-runner';
import { RuntimeCard } from './runtime-card';

export function DatabasePage({ dbId }: { dbId: string }) {
  const database = useDatabase(dbId);
  // A refetch that fails for a moment keeps the page; a gone database does not.
  const gone = database.error !== null && (!database.data || (database.error instanceof ApiError && database.error.status === 404));
  if (gone)
    return (
      <>
        <h1>Database {database.data?.name ?? dbId}</h1>
        <ErrorMessage error={database.error} />
        <p>
          <Link href="/databases">Back to the databases</Link>
        </p>
      </>
    );
  if (!database.data) return <p role="status">Loading the database…</p>;
  const d = database.data;
  return (
    <>
      <h1>
        {d.name} <StatusBadge status={d.status} />
      </h1>
      <p className="muted">
        {d.slug} · {d.engine} {d.version} · <ResourcesText database={d} /> · created <TimeAgo at={d.createdAt} />
      </p>
      <ErrorMessage error={database.error} />
      {d.status === 'PROVISIONING' ? <ProgressBar label={`Provisioning ${d.name}`} /> : null}
      {d.status === 'FAILED' ? (
        <div className="error" role="alert">
          Provisioning failed: {d.statusMessage ?? 'Berth gave no reason'}
        </div>
      ) : null}
      <div className="grid">
        <RuntimeCard database={d} />
        <ConnectionCard database={d} />
      </div>
      <AttachmentsCard database={d} />
      {d.engine === 'POSTGRES' ? <QueryRunner database={d} /> : null}
      <BackupsCard database={d} />
      <AuditCard database={d} />
      <DeleteDatabase database={d} />
    </>
  );
}
