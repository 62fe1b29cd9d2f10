// Which revision serves a request: the tagged one for `{tag}---{slug}` hosts, otherwise the
// next pick of the app's exact weighted split.
import type { CompiledApp, CompiledTarget } from './compiled-table.js';

/** `unknown_tag`: answer 404. `no_revision`: nothing receives traffic yet, answer 503. */
export type TargetChoice = CompiledTarget | 'unknown_tag' | 'no_revision';

export function chooseTarget(app: CompiledApp, tag: string | null): TargetChoice {
  if (tag !== null) return app.byTag.get(tag) ?? 'unknown_tag';
  const index = app.selector.next();
  return app.weighted[index] ?? 'no_revision';
}
