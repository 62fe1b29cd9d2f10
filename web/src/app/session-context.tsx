// The signed-in session for every page: sign in checks the key with /api-keys/whoami first.
import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api, setApiKey, unwrap } from '../api/client';
import { loadSession, saveSession } from '../api/session';
import type { Session } from '../api/session';

interface SessionState {
  session: Session | null;
  signIn(key: string): Promise<void>;
  signOut(): void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => {
    const loaded = loadSession();
    setApiKey(loaded?.key ?? null);
    return loaded;
  });
  const signIn = useCallback(async (key: string) => {
    const who = await unwrap(api.GET('/api/v1/api-keys/whoami', { headers: { authorization: `Bearer ${key}` } }));
    const next = { key, workspaceId: who.workspaceId, workspaceName: who.workspace.name, scopes: who.scopes };
    saveSession(next);
    setApiKey(key);
    setSession(next);
  }, []);
  const signOut = useCallback(() => {
    saveSession(null);
    setApiKey(null);
    setSession(null);
  }, []);
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** The workspace id of the signed-in key (pages behind sign-in only). */
export function useWorkspaceId(): string {
  const { session } = useSession();
  if (!session) throw new Error('not signed in');
  return session.workspaceId;
}
