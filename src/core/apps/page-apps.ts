// Keyset pages of apps (spec 003's list): the caller's selection and order, pages that start
// after or end before a row named by a cursor, the total of the selection, and cursors that
// only the same query accepts.
import type { App } from '../../domain/app.js';
import { appQueryValue, totalOrder } from '../../domain/app-query.js';
import type { AppFilter, AppOrderKey, DeletedVisibility } from '../../domain/app-query.js';
import { refuse } from '../../domain/errors.js';
import { field, say } from '../../domain/wording.js';
import type { Phrase } from '../../domain/wording.js';
import type { Principal } from '../../domain/workspace.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';
import { decodeCursor, encodeCursor, queryFingerprint } from './keyset-cursor.js';
import { maxPageSize } from './manage-apps.js';

export interface PageAppsInput {
  actor: Principal;
  workspaceId: string;
  filter: AppFilter | null;
  ids: readonly string[] | null;
  deleted: DeletedVisibility;
  order: readonly AppOrderKey[];
  limit: number;
  after?: string;
  before?: string;
}

export interface PageInfo {
  total: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export async function pageApps(deps: Pick<Deps, 'store'>, input: PageAppsInput): Promise<{ apps: App[]; pageInfo: PageInfo }> {
  authorize(input.actor, input.workspaceId, 'apps:read');
  const order = totalOrder(input.order);
  const selection = { workspaceId: input.workspaceId, filter: input.filter, ids: input.ids, deleted: input.deleted };
  const fingerprint = queryFingerprint({ ...selection, order });
  const problems: Phrase[] = [];
  if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > maxPageSize) problems.push(say`${field('limit')} must be an integer between 1 and ${maxPageSize}`);
  if (input.after !== undefined && input.before !== undefined) problems.push(say`${field('after')} and ${field('before')} cannot be used together`);
  const cursorValues = (name: 'after' | 'before', text: string | undefined) => {
    if (text === undefined) return null;
    const cursor = decodeCursor(text);
    if (cursor && cursor.query === fingerprint && cursor.values.length === order.length) return cursor.values;
    problems.push(say`${field(name)} is not a cursor of this query (a cursor is only valid with the filter, order and scope that returned it)`);
    return null;
  };
  const after = cursorValues('after', input.after);
  const before = cursorValues('before', input.before);
  refuse(problems);

  const [page, total] = await Promise.all([deps.store.appPages.page({ ...selection, order, limit: input.limit, after, before }), deps.store.appPages.count(selection)]);
  const cursorOf = (app: App | undefined) => (app ? encodeCursor({ query: fingerprint, values: order.map((k) => appQueryValue(app, k.field)) }) : null);
  return {
    apps: page.apps,
    pageInfo: {
      total,
      hasNextPage: before !== null || page.hasMore,
      hasPreviousPage: after !== null || (before !== null && page.hasMore),
      startCursor: cursorOf(page.apps[0]),
      endCursor: cursorOf(page.apps.at(-1)),
    },
  };
}
