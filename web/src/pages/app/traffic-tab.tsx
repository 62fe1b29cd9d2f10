// Revisions and the traffic editor: percentages and tags per revision (saved as one split),
// promote a revision to 100 %, and the URL each tag gets. A worker or cron app takes no requests:
// its shares only say which revision runs, and tags (URLs) are not offered.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { takesHttp } from '../../api/app-kind';
import { useRevisions } from '../../api/queries';
import type { App, Revision } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';
import { StatusBadge } from '../../components/status-badge';
import { TimeAgo } from '../../components/time-ago';

/** `http://{tag}---{slug}.{base}:{port}`: the app's URL with the tag before its host. */
export function taggedUrl(appUrl: string, tag: string): string {
  const url = new URL(appUrl);
  url.hostname = `${tag}---${url.hostname}`;
  return url.toString().replace(/\/$/, '');
}

interface Row {
  percent: string;
  tag: string;
}

export function TrafficTab({ app }: { app: App }) {
  const wsId = useWorkspaceId();
  const queries = useQueryClient();
  const revisions = useRevisions(app.id);
  const [rows, setRows] = useState<Record<string, Row>>({});
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (revisions.data) setRows(Object.fromEntries(revisions.data.map((r) => [r.revisionName, { percent: String(r.trafficPercent), tag: r.tag ?? '' }])));
  }, [revisions.data]);
  const refresh = () => void queries.invalidateQueries({ queryKey: ['revisions', wsId, app.id] });
  const save = useMutation({
    mutationFn: () => {
      const splits = Object.entries(rows)
        .filter(([, row]) => Number(row.percent) > 0 || row.tag.trim() !== '')
        .map(([revisionName, row]) => ({ revisionName, percent: Number(row.percent) || 0, ...(row.tag.trim() ? { tag: row.tag.trim() } : {}) }));
      return unwrap(api.POST('/api/v1/workspaces/{wsId}/deploy/apps/{appId}/traffic', { params: { path: { wsId, appId: app.id } }, body: { splits } }));
    },
    onSuccess: () => {
      setSaved(true);
      refresh();
    },
  });
  const promote = useMutation({
    mutationFn: (revisionName: string) => unwrap(api.POST('/api/v1/workspaces/{wsId}/deploy/revisions/{revisionName}/promote', { params: { path: { wsId, revisionName } } })),
    onSuccess: refresh,
  });
  const total = Object.values(rows).reduce((sum, row) => sum + (Number(row.percent) || 0), 0);
  const setRow = (name: string, patch: Partial<Row>) => {
    setSaved(false);
    setRows((all) => ({ ...all, [name]: { percent: all[name]?.percent ?? '0', tag: all[name]?.tag ?? '', ...patch } }));
  };
  const http = takesHttp(app.type);
  return (
    <>
      {http ? null : <p className="notice">{app.type === 'cron' ? cronTrafficNote : workerTrafficNote}</p>}
      <ErrorMessage error={revisions.error} />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <table>
          <caption className="sr-only">Revisions and their traffic</caption>
          <thead>
            <tr>
              <th scope="col">Revision</th>
              <th scope="col">Status</th>
              <th scope="col">Traffic %</th>
              {http ? (
                <>
                  <th scope="col">Tag</th>
                  <th scope="col">Tagged URL</th>
                </>
              ) : null}
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(revisions.data ?? []).map((r) => (
              <RevisionRow key={r.id} app={app} http={http} revision={r} row={rows[r.revisionName] ?? { percent: '0', tag: '' }} onChange={(patch) => setRow(r.revisionName, patch)} onPromote={() => promote.mutate(r.revisionName)} promoting={promote.isPending} />
            ))}
          </tbody>
        </table>
        <p role="status">
          Total: {total} %{total !== 100 ? ' (the splits must add up to 100 %)' : ''}
        </p>
        <ErrorMessage error={save.error ?? promote.error} />
        {saved && !save.isPending ? <p className="notice" role="status">Traffic saved.</p> : null}
        <button className="primary" type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save traffic'}
        </button>
      </form>
    </>
  );
}

const workerTrafficNote = "A worker takes no HTTP requests: a share here only says which revision runs (each revision with a share runs the app's replicas), and a tag would give it no URL, so tags are not offered.";
const cronTrafficNote = 'A cron app takes no HTTP requests: its runs use the revision with a share here (promote one to run it on the schedule), and a tag would give it no URL, so tags are not offered.';

function RevisionRow({ app, http, revision, row, onChange, onPromote, promoting }: { app: App; http: boolean; revision: Revision; row: Row; onChange: (patch: Partial<Row>) => void; onPromote: () => void; promoting: boolean }) {
  const name = revision.revisionName;
  return (
    <tr>
      <td>
        {name}
        <div className="muted">
          <TimeAgo at={revision.createdAt} />
        </div>
      </td>
      <td>
        <StatusBadge status={revision.status} />
        {revision.statusMessage ? <div className="muted">{revision.statusMessage}</div> : null}
      </td>
      <td>
        <label className="sr-only" htmlFor={`percent-${name}`}>
          Traffic percent for {name}
        </label>
        <input id={`percent-${name}`} type="number" min={0} max={100} style={{ width: 80 }} value={row.percent} onChange={(e) => onChange({ percent: e.target.value })} />
      </td>
      {http ? <TagCells app={app} revision={revision} row={row} onChange={onChange} /> : null}
      <td>
        <button type="button" disabled={promoting || revision.trafficPercent === 100} onClick={onPromote} aria-label={`Promote ${name} to 100 %`}>
          Promote
        </button>
      </td>
    </tr>
  );
}

function TagCells({ app, revision, row, onChange }: { app: App; revision: Revision; row: Row; onChange: (patch: Partial<Row>) => void }) {
  const name = revision.revisionName;
  return (
    <>
      <td>
        <label className="sr-only" htmlFor={`tag-${name}`}>
          Tag for {name}
        </label>
        <input id={`tag-${name}`} style={{ width: 110 }} value={row.tag} title="Lowercase letters, digits and hyphens; starting and ending with a letter or digit" pattern="[a-z0-9]([a-z0-9\-]*[a-z0-9])?" onChange={(e) => onChange({ tag: e.target.value })} />
      </td>
      <td>
        {revision.tag && app.url !== null ? (
          <a href={taggedUrl(app.url, revision.tag)} target="_blank" rel="noreferrer">
            {taggedUrl(app.url, revision.tag)}
          </a>
        ) : (
          <span className="muted">–</span>
        )}
      </td>
    </>
  );
}
