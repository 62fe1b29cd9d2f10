// Follows one of Berth's Server-Sent Event streams (build log, app logs) with the key as ?token=:
// each data line is JSON; `end` closes the stream; EventSource reconnects by itself otherwise, sending
// the last event id, after which Berth's log stream resumes (what it cannot resend it counts as skipped).
import { useEffect, useRef } from 'react';
import { streamUrl } from './client';

export interface StreamHandlers<T> {
  onData(item: T): void;
  onEnd?(data: unknown): void;
  /** null: lines were skipped, how many is unknown (gone from the log before they could be resent). */
  onSkipped?(count: number | null): void;
  onOpenChange?(open: boolean): void;
}

export function useEventStream<T>(path: string | null, handlers: StreamHandlers<T>): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    if (!path) return undefined;
    const source = new EventSource(streamUrl(path));
    source.onopen = () => latest.current.onOpenChange?.(true);
    source.onerror = () => latest.current.onOpenChange?.(false);
    source.onmessage = (event: MessageEvent<string>) => latest.current.onData(JSON.parse(event.data) as T);
    source.addEventListener('skipped', (event) => latest.current.onSkipped?.((JSON.parse((event as MessageEvent<string>).data) as { skipped: number | null }).skipped));
    source.addEventListener('end', (event) => {
      source.close();
      latest.current.onOpenChange?.(false);
      latest.current.onEnd?.(JSON.parse((event as MessageEvent<string>).data));
    });
    return () => source.close();
  }, [path]);
}
