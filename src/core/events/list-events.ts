// An app's events, most recent first (by their last occurrence).
import type { AppEvent } from '../../domain/app-event.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import type { Deps } from '../deps.js';
import { eventRetention } from './event-recorder.js';

export async function listAppEvents(deps: Pick<Deps, 'store'>, input: AppRef & { limit?: number }): Promise<AppEvent[]> {
  const app = await findApp(deps, input, 'monitoring:read');
  return deps.store.events.list(app.id, Math.min(Math.max(1, input.limit ?? eventRetention.keepPerApp), eventRetention.keepPerApp));
}
