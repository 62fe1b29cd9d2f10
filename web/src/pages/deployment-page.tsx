// One deployment: its status and facts, the build log streaming live, cancel and rollback.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation } from 'wouter';
import { ApiError, api, unwrap } from '../api/client';
import { noUrlWords, shownUrl } from '../api/app-kind';
import { isTerminal, useApp, useRevisions } from '../api/queries';
import { useWorkspaceId } from '../app/session-context';
import { BuildLog } from '../components/build-log';
import { ErrorMessage } from '../components/error-message';
import { ProgressBar } from '../components/progress-bar';
import { StatusBadge } from '../components/status-badge';
import { TimeAgo } from '../components/time-ago';
import { servesAll } from './app/deployments-tab';

export function DeploymentPage({ deployId }: { deployId: string }) {
  const wsId = useWorkspaceId();
  const queries = useQueryClient();
  const [, navigate] = useLocation();
  const path = { wsId, deployId };
  const deployment = useQuery({
    queryKey: ['deployment', wsId, deployId],
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy/{deployId}', { params: { path } })),
    refetchInterval: (query) => (query.state.data && isTerminal(query.state.data.status) ? false : 1500),
  });
  const refresh = () => void queries.invalidateQueries();
  const cancel = useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/workspaces/{wsId}/deploy/{deployId}/cancel', { params: { path } })), onSuccess: refresh });
  const rollback = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/workspaces/{wsId}/deploy/{deployId}/rollback', { params: { path } })),
    onSuccess: (next) => navigate(`/deployments/${next.id}`),
  });
  const d = deployment.data;
  return (
    <>
      <h1>Deployment {d?.revisionName ?? deployId}</h1>
      <ErrorMessage error={deployment.error} />
      {d ? (
        <div className="card">
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={d.status} />
            </dd>
            <dt>App</dt>
            <dd>
              <AppLink appId={d.appId} />
            </dd>
            <dt>Trigger</dt>
            <dd>{d.triggerType}</dd>
            <dt>Created</dt>
            <dd>
              <TimeAgo at={d.createdAt} />
            </dd>
            {d.gitCommitSha ? (
              <>
                <dt>Commit</dt>
                <dd>
                  <code>{d.gitCommitSha.slice(0, 12)}</code> {d.gitCommitMessage}
                </dd>
              </>
            ) : null}
            {d.durationSeconds !== null ? (
              <>
                <dt>Duration</dt>
                <dd>{d.durationSeconds} s</dd>
              </>
            ) : null}
            {/* `rolledBackFrom` names the deployment whose artifact this one runs again: the one rolled back to. */}
            {d.rolledBackFrom ? (
              <>
                <dt>Rolled back to</dt>
                <dd>
                  <RollbackTarget deployId={d.rolledBackFrom} />
                </dd>
              </>
            ) : null}
          </dl>
          {d.error && d.status !== 'cancelled' ? <div className="error" role="alert">{d.error}</div> : null}
          {!isTerminal(d.status) ? <ProgressBar label={`Deployment ${d.status}`} /> : null}
          {d.status === 'succeeded' ? <SucceededNote appId={d.appId} /> : null}
          <div className="row" style={{ marginTop: 12 }}>
            {!isTerminal(d.status) ? (
              <button type="button" className="danger" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
                {cancel.isPending ? 'Cancelling…' : 'Cancel deployment'}
              </button>
            ) : null}
            {d.status === 'succeeded' ? <RollbackButton appId={d.appId} revisionName={d.revisionName} pending={rollback.isPending} onRollback={() => rollback.mutate()} /> : null}
          </div>
          <ErrorMessage error={cancel.error ?? rollback.error} />
        </div>
      ) : null}
      {/* A deployment Berth does not know has no log to wait for. */}
      {deployment.error instanceof ApiError && deployment.error.status === 404 ? null : <BuildLog workspaceId={wsId} deployId={deployId} onEnd={() => void deployment.refetch()} />}
    </>
  );
}

function RollbackButton({ appId, revisionName, pending, onRollback }: { appId: string; revisionName: string | null; pending: boolean; onRollback: () => void }) {
  const revisions = useRevisions(appId, 15_000);
  if (!revisions.data) return null;
  if (servesAll(new Map(revisions.data.map((r) => [r.revisionName, r.trafficPercent])), revisionName)) return <p className="muted">{revisionName} serves all the traffic.</p>;
  return (
    <button type="button" disabled={pending} onClick={onRollback}>
      {pending ? 'Rolling back…' : 'Roll back to this deployment'}
    </button>
  );
}

/** The deployment a rollback went back to, by the revision it made (its artifact runs again). */
function RollbackTarget({ deployId }: { deployId: string }) {
  const wsId = useWorkspaceId();
  const target = useQuery({
    queryKey: ['deployment', wsId, deployId],
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy/{deployId}', { params: { path: { wsId, deployId } } })),
  });
  return (
    <>
      <Link href={`/deployments/${deployId}`}>{target.data?.revisionName ?? deployId}</Link>
      {target.data?.revisionName ? <span className="muted"> (its artifact runs again)</span> : null}
    </>
  );
}

function AppLink({ appId }: { appId: string }) {
  const app = useApp(appId);
  return <Link href={`/apps/${appId}`}>{app.data?.name ?? appId}</Link>;
}

function SucceededNote({ appId }: { appId: string }) {
  const app = useApp(appId);
  if (!app.data) return null;
  const url = shownUrl(app.data);
  if (url === null)
    return (
      <p className="notice" role="status">
        Deployed. {app.data.name} is a {app.data.type} app: it {noUrlWords}.
      </p>
    );
  return (
    <p className="notice" role="status">
      Deployed. Open the app at{' '}
      <a href={url} target="_blank" rel="noreferrer">
        {url}
      </a>
    </p>
  );
}
