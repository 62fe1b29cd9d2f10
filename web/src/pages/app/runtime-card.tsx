// The Runtime card: every revision that serves traffic, most traffic first (a split has several;
// a tag at 0 % answers its own URL). Older revisions kept warm for rollback are not the app's
// runtime and stay off it; the card follows deploys, rollbacks, promotes and splits as they move.
// A worker takes no traffic: its card shows the revisions that run and their instances only.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { takesHttp } from '../../api/app-kind';
import { useRevisions } from '../../api/queries';
import type { App } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';
import { RevisionRuntime } from './revision-runtime';

/** How often the card reads revisions and instances again (the Health card beside it follows). */
export const runtimeRefreshMs = 5000;

export function RuntimeCard({ app }: { app: App }) {
  const wsId = useWorkspaceId();
  const revisions = useRevisions(app.id, runtimeRefreshMs);
  const succeeded = useQuery({
    queryKey: ['deployments', wsId, app.id, 'succeeded'],
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy', { params: { path: { wsId }, query: { appId: app.id, status: 'succeeded', limit: 100 } } })),
    refetchInterval: runtimeRefreshMs,
  });
  const http = takesHttp(app.type);
  // A worker runs no instance for a tag at 0 % (it would take jobs with other code).
  const serving = (revisions.data ?? []).filter((r) => r.trafficPercent > 0 || (http && r.tag)).sort((a, b) => b.trafficPercent - a.trafficPercent);
  const deployIdOf = (revisionName: string) => succeeded.data?.data.find((d) => d.revisionName === revisionName)?.id;
  return (
    <div className="card">
      <h2>Runtime</h2>
      <ErrorMessage error={succeeded.error ?? revisions.error} />
      {succeeded.data && revisions.data && serving.length === 0 ? <p>{succeeded.data.data.length === 0 ? 'No deployment has succeeded yet.' : http ? 'No revision receives traffic.' : 'No revision runs.'}</p> : null}
      {succeeded.data
        ? serving.map((r) => <RevisionRuntime key={r.revisionName} revision={r} deployId={deployIdOf(r.revisionName)} desired={r.trafficPercent > 0 ? app.replicas : 1} takesHttp={http} />)
        : null}
    </div>
  );
}
