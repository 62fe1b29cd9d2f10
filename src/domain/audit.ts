// Who did what, when: written by every mutating use-case; never holds secret values.
export interface AuditEntry {
  id: string;
  workspaceId: string;
  actorKeyId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  /** The app the change was made to, when it was made to one. */
  appId: string | null;
  detail: Record<string, unknown> | null;
  createdAt: Date;
}
