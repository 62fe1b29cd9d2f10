// One serving revision on the Runtime card: its share of traffic, its tag, and its instances as
// the reconciler sees them (phase, ready of total against the replicas it should run, restarts,
// conditions), read from its deployment's runtime status.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { Revision } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';
import { StatusBadge } from '../../components/status-badge';

export interface RevisionRuntimeProps {
  revision: Pick<Revision, 'revisionName' | 'trafficPercent' | 'tag'>;
  /** The deployment that made the revision (undefined: not among the recent ones). */
  deployId: string | undefined;
  /** Instances it should run: the app's replicas, or one for a tag at 0 %. */
  desired: number;
  /** False for a worker: no share of traffic or tag to show, only what runs. */
  takesHttp: boolean;
}

export function RevisionRuntime({ revision, deployId, desired, takesHttp }: RevisionRuntimeProps) {
  const wsId = useWorkspaceId();
  const runtime = useQuery({
    queryKey: ['runtime', wsId, deployId],
    enabled: deployId !== undefined,
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy/{deployId}/runtime-status', { params: { path: { wsId, deployId: deployId ?? '' } } })),
    refetchInterval: 5000,
  });
  const name = revision.revisionName;
  return (
    <section className="revision-runtime" aria-label={`Revision ${name}`}>
      <ErrorMessage error={runtime.error} />
      <dl className="facts">
        <dt>Revision</dt>
        <dd>{name}</dd>
        {takesHttp ? (
          <>
            <dt>Traffic</dt>
            <dd>{revision.trafficPercent > 0 ? `${revision.trafficPercent} %` : '0 % (its tagged URL only)'}</dd>
          </>
        ) : null}
        {takesHttp && revision.tag ? (
          <>
            <dt>Tag</dt>
            <dd>
              <code>{revision.tag}</code>
            </dd>
          </>
        ) : null}
        {runtime.data ? (
          <>
            <dt>Phase</dt>
            <dd>
              <StatusBadge status={runtime.data.phase} />
            </dd>
            <dt>Instances</dt>
            <dd>
              {runtime.data.ready} ready of {runtime.data.total} (desired {desired})
              {runtime.data.stopping > 0 ? `, ${runtime.data.stopping} still stopping` : ''}
            </dd>
            <dt>Restarts</dt>
            <dd>{runtime.data.restarts}</dd>
          </>
        ) : null}
      </dl>
      {runtime.data ? (
        <table style={{ marginTop: 8 }}>
          <caption className="sr-only">Conditions of {name}</caption>
          <thead>
            <tr>
              <th scope="col">Condition</th>
              <th scope="col">Status</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {runtime.data.conditions.map((c) => (
              <tr key={c.type}>
                <td>{c.type}</td>
                <td>
                  <StatusBadge status={c.status} />
                </td>
                <td>{c.message ?? c.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
