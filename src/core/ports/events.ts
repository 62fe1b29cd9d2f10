// Where what happens to an app is told, as it happens: the core's deployments and scaling, and
// the engine's reconciler and autoscaler (instances started, ready, killed, backing off). The
// core records them (events/event-recorder.ts); telling never waits and never fails the caller.
import type { AppEvent, AppEventInput } from '../../domain/app-event.js';

export interface EventSink {
  record(event: AppEventInput): void;
}

export interface EventRepository {
  /** Adds one to the newest event with this key if it last happened at or after `since`; false when there is none. */
  fold(appId: string, foldKey: string, since: Date, at: Date): Promise<boolean>;
  insert(event: AppEvent & { foldKey: string }): Promise<void>;
  /** Newest first (by last occurrence). */
  list(appId: string, limit: number): Promise<AppEvent[]>;
  /** Deletes all but the app's `keep` most recent events; returns how many went. */
  prune(appId: string, keep: number): Promise<number>;
}
