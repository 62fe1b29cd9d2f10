// The database page's Status card: phase, instances, and while Berth restarts the server which
// attempt, when the next, and why it exited (from the status answer's fields, not its sentence).
import { useEffect, useState } from 'react';
import { useDatabaseRuntime } from '../../api/database-queries';
import type { Database, DatabaseRuntime } from '../../api/types';
import { ErrorMessage } from '../../components/error-message';
import { StatusBadge } from '../../components/status-badge';

export function RuntimeCard({ database }: { database: Database }) {
  const runtime = useDatabaseRuntime(database.id);
  return (
    <div className="card">
      <h2>Status</h2>
      <ErrorMessage error={runtime.error} />
      {runtime.data ? (
        <dl className="facts">
          <dt>Phase</dt>
          <dd>
            <StatusBadge status={runtime.data.phase} />
          </dd>
          <dt>Instances</dt>
          <dd>
            {runtime.data.readyInstances} ready of {runtime.data.desiredInstances} desired
          </dd>
          {runtime.data.restartAttempt !== null ? (
            <RestartFacts runtime={runtime.data} />
          ) : runtime.data.message ? (
            <>
              <dt>Message</dt>
              <dd>{runtime.data.message}</dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p role="status">Loading the status…</p>
      )}
    </div>
  );
}

function RestartFacts({ runtime }: { runtime: DatabaseRuntime }) {
  return (
    <>
      <dt>Restarting</dt>
      <dd>
        attempt {runtime.restartAttempt} of {runtime.maxRestartAttempts}, <NextTry at={runtime.nextRestartAt} />
      </dd>
      <dt>Last exit</dt>
      <dd>{runtime.lastExit}</dd>
    </>
  );
}

function NextTry({ at }: { at: string | null }) {
  // Counts down between polls (an unchanged answer renders nothing anew).
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, []);
  if (at === null) return <>under way now</>;
  const seconds = Math.max(0, Math.ceil((new Date(at).getTime() - now) / 1000));
  return (
    <time dateTime={at} title={new Date(at).toLocaleString()}>
      next try in {seconds} s
    </time>
  );
}
