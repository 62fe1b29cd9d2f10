// An app version (spec 003): an editable file tree of an app, snapshotted when built.
export interface AppVersion {
  id: string;
  appId: string;
  workspaceId: string;
  /** The version it was copied from; null: created empty. */
  copiedFrom: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}
