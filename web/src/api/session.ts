// Who is signed in: the API key and the workspace it belongs to, kept in sessionStorage only
// (gone when the tab closes; never in localStorage or a cookie).
export interface Session {
  key: string;
  workspaceId: string;
  workspaceName: string;
  scopes: string[];
}

const storageKey = 'berth.session';

export function loadSession(): Session | null {
  const raw = sessionStorage.getItem(storageKey);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.key === 'string' && typeof parsed.workspaceId === 'string')
      return { key: parsed.key, workspaceId: parsed.workspaceId, workspaceName: parsed.workspaceName ?? '', scopes: parsed.scopes ?? [] };
  } catch {
    // a damaged entry is the same as none
  }
  return null;
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(storageKey, JSON.stringify(session));
  else sessionStorage.removeItem(storageKey);
}
