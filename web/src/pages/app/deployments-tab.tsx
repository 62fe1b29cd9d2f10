// The app's deployments, newest first, with cancel (while running) and rollback (succeeded ones).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api, unwrap } from '../../api/client';
import { isTerminal, useDeployments, useRevisions } from '../../api/queries';
import type { App, Deployment } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';
import { StatusBadge } from '../../components/status-badge';
import { TimeAgo } from '../../components/time-ago';
import { Pager } from '../apps-page';

export function DeploymentsTab({ app }: { app: App }) {
  const [page, setPage] = useState(1);
  const deployments = useDeployments(app.id, page);
  const revisions = useRevisions(app.id, 15_000);
  const traffic = new Map((revisions.data ?? []).map((r) => [r.revisionName, r.trafficPercent]));
  return <DeploymentTable deployments={deployments.data?.data ?? []} traffic={traffic} error={deployments.error} page={page} totalPages={deployments.data?.meta.totalPages ?? 1} onPage={setPage} />;
}

/** Rolling back to what already takes all the traffic would only make a copy of it. */
export const servesAll = (traffic: Map<string, number>, revisionName: string | null) => revisionName !== null && traffic.get(revisionName) === 100;

export function DeploymentTable({ deployments, traffic, error, page, totalPages, onPage }: { deployments: Deployment[]; traffic: Map<string, number>; error: unknown; page: number; totalPages: number; onPage: (page: number) => void }) {
  const wsId = useWorkspaceId();
  const queries = useQueryClient();
  const [, navigate] = useLocation();
  const cancel = useMutation({
    mutationFn: (deployId: string) => unwrap(api.POST('/api/v1/workspaces/{wsId}/deploy/{deployId}/cancel', { params: { path: { wsId, deployId } } })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['deployments'] }),
  });
  const rollback = useMutation({
    mutationFn: (deployId: string) => unwrap(api.POST('/api/v1/workspaces/{wsId}/deploy/{deployId}/rollback', { params: { path: { wsId, deployId } } })),
    onSuccess: (next) => navigate(`/deployments/${next.id}`),
  });
  /** A rollback names the deployment it went back to; shown by its revision when it is on this page. */
  const revisionOf = new Map(deployments.flatMap((d) => (d.revisionName ? [[d.id, d.revisionName] as const] : [])));
  return (
    <>
      <ErrorMessage error={error ?? cancel.error ?? rollback.error} />
      <table>
        <caption className="sr-only">Deployments</caption>
        <thead>
          <tr>
            <th scope="col">Deployment</th>
            <th scope="col">Status</th>
            <th scope="col">Trigger</th>
            <th scope="col">Created</th>
            <th scope="col">Duration</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {deployments.map((d) => (
            <tr key={d.id}>
              <td>
                <Link href={`/deployments/${d.id}`}>{d.revisionName ?? d.id}</Link>
                {d.gitCommitSha ? <div className="muted">{d.gitCommitSha.slice(0, 8)} {d.gitCommitMessage}</div> : null}
              </td>
              <td>
                <StatusBadge status={d.status} />
                {d.revisionName && (traffic.get(d.revisionName) ?? 0) > 0 ? <div>serves {traffic.get(d.revisionName)} % of traffic</div> : null}
                {d.error ? <div className="muted">{d.error}</div> : null}
              </td>
              <td>
                {d.triggerType}
                {d.rolledBackFrom ? (
                  <div className="muted">
                    to <Link href={`/deployments/${d.rolledBackFrom}`}>{revisionOf.get(d.rolledBackFrom) ?? d.rolledBackFrom}</Link>
                  </div>
                ) : null}
              </td>
              <td>
                <TimeAgo at={d.createdAt} />
              </td>
              <td>{d.durationSeconds !== null ? `${d.durationSeconds} s` : '–'}</td>
              <td>
                {!isTerminal(d.status) ? (
                  <button type="button" className="danger" disabled={cancel.isPending} onClick={() => cancel.mutate(d.id)} aria-label={`Cancel deployment ${d.id}`}>
                    Cancel
                  </button>
                ) : null}
                {d.status === 'succeeded' && !servesAll(traffic, d.revisionName) ? (
                  <button type="button" disabled={rollback.isPending} onClick={() => rollback.mutate(d.id)} aria-label={`Roll back to ${d.revisionName ?? d.id}`}>
                    Roll back to this
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {deployments.length === 0 ? <p>No deployments yet.</p> : null}
      <Pager page={page} totalPages={totalPages} onPage={onPage} />
    </>
  );
}
