// Records what happens to apps as Kubernetes-style events: one writer, in order, so a repeat of
// the newest identical event (same object, type, reason and message) within the fold window
// adds to its count instead of adding a row; every `pruneEvery` events of an app, its oldest
// beyond `keepPerApp` go. Telling an event never waits and never throws: a store that fails
// loses the event, and says so in the log.
import { foldKey } from '../../domain/app-event.js';
import type { AppEventInput } from '../../domain/app-event.js';
import type { IdGenerator } from '../../domain/ids.js';
import type { Clock } from '../ports/clock.js';
import type { EventRepository, EventSink } from '../ports/events.js';
import type { Logger } from '../ports/logger.js';

export const eventRetention = {
  /** Events kept per app (the most recent). */
  keepPerApp: 500,
  /** A repeat this long after the last occurrence starts a new event. */
  foldWindowMs: 60 * 60_000,
  pruneEvery: 50,
};

export interface EventRecorder extends EventSink {
  /** Resolves once every event told so far is stored. */
  flush(): Promise<void>;
}

export function createEventRecorder(deps: { events: EventRepository; clock: Clock; ids: IdGenerator; logger: Logger }, options = eventRetention): EventRecorder {
  let chain: Promise<void> = Promise.resolve();
  const sincePrune = new Map<string, number>();

  async function store(event: AppEventInput, at: Date): Promise<void> {
    const key = foldKey(event);
    const folded = await deps.events.fold(event.appId, key, new Date(at.getTime() - options.foldWindowMs), at);
    if (!folded) await deps.events.insert({ ...event, id: deps.ids('event'), foldKey: key, count: 1, firstAt: at, lastAt: at });
    const count = (sincePrune.get(event.appId) ?? 0) + 1;
    sincePrune.set(event.appId, count);
    if (count >= options.pruneEvery) {
      sincePrune.delete(event.appId);
      await deps.events.prune(event.appId, options.keepPerApp);
    }
  }

  return {
    record(event) {
      const at = deps.clock.now();
      chain = chain
        .then(() => store(event, at))
        .catch((error: unknown) => deps.logger.warn({ err: error, appId: event.appId, reason: event.reason }, 'could not store an app event'));
    },
    flush: () => chain,
  };
}
