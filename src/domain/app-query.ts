// A query over apps in the core's terms (spec 003's list: a filter tree, a multi-key order, keyset
// pages). Dialects parse their wire forms into this; the store compiles it to SQL with the query
// builder, or answers it from its catalog of live apps with the same meaning. Values are already in
// the core's terms: `lifecycle` is derived (an app is `live` while it serves, else `draft`), so is
// `reach` (`public` for a public app that takes HTTP, else `private`), dates are ISO-8601 UTC strings
// (stored the same way, so they compare).
import { httpTypes } from './app-kind-facts.js';

export const appQueryFields = ['id', 'name', 'description', 'slug', 'lifecycle', 'visibility', 'reach', 'defaultVersionId', 'createdBy', 'createdAt', 'updatedAt', 'deletedAt'] as const;
export type AppQueryField = (typeof appQueryFields)[number];

export const comparisons = ['equals', 'not', 'in', 'notIn', 'lt', 'lte', 'gt', 'gte', 'contains', 'startsWith', 'endsWith'] as const;
export type Comparison = (typeof comparisons)[number];

export type FilterValue = string | null | readonly string[];

export type AppFilter =
  | { readonly and: readonly AppFilter[] }
  | { readonly or: readonly AppFilter[] }
  | { readonly not: AppFilter }
  | { readonly field: AppQueryField; readonly op: Comparison; readonly value: FilterValue };

export interface AppOrderKey {
  readonly field: AppQueryField;
  readonly direction: 'asc' | 'desc';
  readonly nulls: 'first' | 'last';
}

export type DeletedVisibility = 'exclude' | 'include' | 'only';

/** The rows a list selects, before paging. */
export interface AppSelection {
  readonly workspaceId: string;
  readonly filter: AppFilter | null;
  readonly ids: readonly string[] | null;
  readonly deleted: DeletedVisibility;
}

/** One page: `after` / `before` hold the sort values of the row the page starts after / ends before. */
export interface AppPageQuery extends AppSelection {
  readonly order: readonly AppOrderKey[];
  readonly limit: number;
  readonly after: readonly (string | null)[] | null;
  readonly before: readonly (string | null)[] | null;
}

/** The order a list uses when the caller gives none: newest first. */
export const defaultAppOrder: readonly AppOrderKey[] = [{ field: 'createdAt', direction: 'desc', nulls: 'last' }];

/** Keys made total: the id breaks every tie, so a keyset cursor names one position. */
export function totalOrder(order: readonly AppOrderKey[]): AppOrderKey[] {
  const keys = order.length > 0 ? [...order] : [...defaultAppOrder];
  return keys.some((k) => k.field === 'id') ? keys : [...keys, { field: 'id', direction: 'asc', nulls: 'last' }];
}

/** The same order run backwards (for `before` pages, read in reverse then turned around). */
export const reversedOrder = (order: readonly AppOrderKey[]): AppOrderKey[] =>
  order.map((k) => ({ field: k.field, direction: k.direction === 'asc' ? 'desc' : 'asc', nulls: k.nulls === 'first' ? 'last' : 'first' }));

/** A row's value of a query field, as the store compares it. */
export function appQueryValue(
  app: { id: string; name: string; description: string | null; slug: string; type: string; status: string; visibility: string; defaultVersionId: string | null; createdBy: string | null; createdAt: Date; updatedAt: Date; deletedAt: Date | null },
  field: AppQueryField,
): string | null {
  switch (field) {
    case 'id':
      return app.id;
    case 'name':
      return app.name;
    case 'description':
      return app.description;
    case 'slug':
      return app.slug;
    case 'lifecycle':
      return lifecycleOf(app.status);
    case 'visibility':
      return app.visibility;
    case 'reach':
      return reachOf(app);
    case 'defaultVersionId':
      return app.defaultVersionId;
    case 'createdBy':
      return app.createdBy;
    case 'createdAt':
      return app.createdAt.toISOString();
    case 'updatedAt':
      return app.updatedAt.toISOString();
    case 'deletedAt':
      return app.deletedAt ? app.deletedAt.toISOString() : null;
  }
}

/** Whether anyone may reach the app: a public one that takes HTTP (nothing routes to a worker or cron app). */
export const reachOf = (app: { type: string; visibility: string }): 'public' | 'private' => (app.visibility === 'public' && (httpTypes as readonly string[]).includes(app.type) ? 'public' : 'private');

/** Spec 003's two states: `live` while the app serves (the core's `active`), `draft` otherwise. */
export const lifecycleOf = (status: string): 'draft' | 'live' => (status === 'active' ? 'live' : 'draft');
