// How to connect: the one answer that carries the password, read once the database runs; the
// password stays masked (in the URI too) until "Reveal", and copies are taken whole.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { Database, DatabaseConnection } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';

const mask = '••••••••';

export function ConnectionCard({ database }: { database: Database }) {
  const wsId = useWorkspaceId();
  const [revealed, setRevealed] = useState(false);
  const connection = useQuery({
    queryKey: ['database-connection', wsId, database.id],
    enabled: database.status === 'RUNNING',
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/databases/{dbId}/connection', { params: { path: { wsId, dbId: database.id } } })),
    staleTime: Infinity,
  });
  const c = connection.data;
  return (
    <div className="card">
      <h2>Connection</h2>
      {database.status !== 'RUNNING' ? <p>{database.status === 'FAILED' ? 'None: provisioning failed.' : 'Shown once the database runs.'}</p> : null}
      <ErrorMessage error={connection.error} />
      {connection.isLoading ? <p role="status">Loading the connection…</p> : null}
      {c ? (
        <>
          <dl className="facts">
            <dt>URI</dt>
            <dd>
              <code style={{ wordBreak: 'break-all' }}>{revealed || !c.password ? c.uri : c.uri.split(c.password).join(mask)}</code> <CopyButton text={c.uri} what="URI" />
            </dd>
            {database.engine !== 'SQLITE' ? <ServerFacts connection={c} revealed={revealed} /> : null}
          </dl>
          {c.password ? (
            <p>
              <button type="button" aria-pressed={revealed} onClick={() => setRevealed((r) => !r)}>
                {revealed ? 'Hide password' : 'Reveal password'}
              </button>
            </p>
          ) : null}
          <p className="muted">
            Attached apps get this as {database.engine === 'REDIS' ? 'REDIS_URL' : 'DATABASE_URL'}, a secret env var, at their next deploy
            {database.engine === 'SQLITE' ? ', with the mount path they were attached at in place of /var/lib/dooor/sqlite' : ''}.
          </p>
        </>
      ) : null}
    </div>
  );
}

function ServerFacts({ connection: c, revealed }: { connection: DatabaseConnection; revealed: boolean }) {
  return (
    <>
      <dt>Host</dt>
      <dd>
        <code>{c.host}</code>
      </dd>
      <dt>Port</dt>
      <dd>{c.port}</dd>
      {c.username ? (
        <>
          <dt>Username</dt>
          <dd>
            <code>{c.username}</code>
          </dd>
        </>
      ) : null}
      <dt>Password</dt>
      <dd>
        <code>{revealed ? c.password : mask}</code> <CopyButton text={c.password} what="password" />
      </dd>
      {c.database ? (
        <>
          <dt>Database</dt>
          <dd>
            <code>{c.database}</code>
          </dd>
        </>
      ) : null}
    </>
  );
}

/** Copies to the clipboard and says so; where the browser refuses, says how to copy by hand. */
function CopyButton({ text, what }: { text: string; what: string }) {
  const [said, setSaid] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setSaid('Copied');
    } catch {
      setSaid(`The browser refused the clipboard: reveal the ${what} and copy it by hand`);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void copy()} aria-label={`Copy the ${what}`}>
        Copy
      </button>{' '}
      <span role="status" className="muted">
        {said}
      </span>
    </>
  );
}
