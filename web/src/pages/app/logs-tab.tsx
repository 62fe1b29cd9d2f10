// An app's logs: pages back through history (newest first from the API, shown oldest at the top),
// a live tail over SSE batched into a few renders per second, severity, time range and search.
// Live lines that arrive while a new filter's newest page is read are kept, not replaced by it.
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useEventStream } from '../../api/event-stream';
import type { App, LogEntry, Severity } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';
import { VirtualLines } from '../../components/virtual-lines';
import { mergeLiveLines } from './merge-live-lines';

const severities: Severity[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];
/** Lines kept in the page; past this the oldest go (the API still has them). */
const maxLines = 500_000;

const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** A line's time in the browser's time zone, as the From and To fields read it. */
const localTime = (iso: string) => {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
};
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function LogsTab({ app }: { app: App }) {
  const wsId = useWorkspaceId();
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [search, setSearch] = useState('');
  const [live, setLive] = useState(true);
  const [lines, setLines] = useState<LogEntry[]>([]);
  const [nextPage, setNextPage] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [streamOpen, setStreamOpen] = useState(false);
  const [skipped, setSkipped] = useState(0);
  const [skippedUncounted, setSkippedUncounted] = useState(false);
  const generation = useRef(0);
  /** Live lines gathered (a few times a second) and not yet shown. */
  const pending = useRef<LogEntry[]>([]);
  /** Live lines shown while the newest page is read: the page replaces what is shown, not these. */
  const arrivedDuringLoad = useRef<LogEntry[] | null>(null);

  const fetchPage = useCallback(
    async (pageToken: string | undefined) =>
      unwrap(
        api.GET('/api/v1/workspaces/{wsId}/monitoring/apps/{appId}/logs', {
          params: { path: { wsId, appId: app.id }, query: { limit: 1000, severity: severity || undefined, startTime: toIso(from), endTime: toIso(to), pageToken } },
        }),
      ),
    [wsId, app.id, severity, from, to],
  );

  // A new filter starts over from the newest page.
  useEffect(() => {
    const mine = ++generation.current;
    arrivedDuringLoad.current = [];
    setLoading(true);
    setError(null);
    fetchPage(undefined).then(
      (page) => {
        if (mine !== generation.current) return;
        const live = (arrivedDuringLoad.current ?? []).concat(pending.current);
        arrivedDuringLoad.current = null;
        pending.current = [];
        setLines(mergeLiveLines(page.logs.slice().reverse(), live).slice(-maxLines));
        setNextPage(page.nextPageToken);
        setLoading(false);
      },
      (caught: unknown) => {
        if (mine !== generation.current) return;
        arrivedDuringLoad.current = null;
        setError(caught);
        setLoading(false);
      },
    );
  }, [fetchPage]);

  const loadOlder = async () => {
    if (!nextPage || loading) return;
    const mine = generation.current;
    setLoading(true);
    try {
      const page = await fetchPage(nextPage);
      if (mine !== generation.current) return;
      setLines((all) => [...page.logs.slice().reverse(), ...all].slice(-maxLines));
      setNextPage(page.nextPageToken);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  };

  // Live lines arrive one event each: gather them and render a few times a second.
  useEffect(() => {
    const timer = setInterval(() => {
      if (pending.current.length === 0) return;
      const batch = pending.current;
      pending.current = [];
      if (arrivedDuringLoad.current) arrivedDuringLoad.current = arrivedDuringLoad.current.concat(batch);
      setLines((all) => (all.length + batch.length > maxLines ? [...all, ...batch].slice(-maxLines) : all.concat(batch)));
    }, 250);
    return () => clearInterval(timer);
  }, []);
  const following = live && to === '';
  useEventStream<LogEntry>(following ? `/api/v1/workspaces/${wsId}/monitoring/apps/${app.id}/logs/stream` : null, {
    onData: (entry) => {
      if (severity && entry.severity !== severity) return;
      pending.current.push(entry);
    },
    onOpenChange: setStreamOpen,
    onSkipped: (count) => (count === null ? setSkippedUncounted(true) : setSkipped((n) => n + count)),
  });

  const query = useDeferredValue(search.trim().toLowerCase());
  const shown = useMemo(() => (query ? lines.filter((l) => l.message.toLowerCase().includes(query)) : lines), [lines, query]);

  return (
    <>
      <form className="row" onSubmit={(e) => e.preventDefault()} aria-label="Log filters">
        <div>
          <label htmlFor="log-severity">Severity</label>
          <select id="log-severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity | '')}>
            <option value="">all</option>
            {severities.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="log-from">From</label>
          <input id="log-from" type="datetime-local" step={1} value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div>
          <label htmlFor="log-to">To (stops the live tail)</label>
          <input id="log-to" type="datetime-local" step={1} value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <div>
          <label htmlFor="log-search">Search</label>
          <input id="log-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <label className="inline">
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live tail
        </label>
      </form>
      <ErrorMessage error={error} />
      <p role="status" className="muted">
        {shown.length} of {lines.length} lines loaded{query ? ' match the search' : ''}
        {following ? (streamOpen ? ' · following live' : ' · connecting to the live tail…') : ''}
        {skipped > 0 ? ` · ${skipped} live lines skipped while the page was behind` : ''}
        {skippedUncounted ? ' · some live lines skipped while the page was away (no longer kept, so not counted)' : ''}
        {loading ? ' · loading…' : ''}
      </p>
      <p className="muted">Times are in your time zone ({timeZone}), in the lines and in From and To.</p>
      <p>
        <button type="button" disabled={!nextPage || loading} onClick={() => void loadOlder()}>
          {nextPage ? 'Load older lines' : 'No older lines'}
        </button>
      </p>
      <VirtualLines
        items={shown}
        label={`Logs of ${app.name}`}
        follow={following}
        render={(l) => (
          <>
            <time dateTime={l.timestamp} title={l.timestamp}>
              {localTime(l.timestamp)}
            </time>
            <span className={`sev sev-${l.severity}`}>{l.severity}</span>
            <span className="log-instance" title={`revision ${l.revisionName}`}>
              {l.instanceId}
            </span>
            {l.message}
          </>
        )}
      />
    </>
  );
}
