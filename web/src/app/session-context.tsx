// The signed-in session for every page: sign in checks the key with /api-keys/whoami first.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, setApiKey, setKeyRefusedHandler, unwrap } from '../api/client';
import { loadSession, saveSession } from '../api/session';
import type { Session } from '../api/session';

interface SessionState {
  session: Session | null;
  /** Why the last session ended, when Berth ended it (the key was revoked or expired). */
  endedBecause: string | null;
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
  const [endedBecause, setEndedBecause] = useState<string | null>(null);
  const queries = useQueryClient();
  const signIn = useCallback(async (key: string) => {
    const who = await unwrap(api.GET('/api/v1/api-keys/whoami', { headers: { authorization: `Bearer ${key}` } }));
    const next = { key, workspaceId: who.workspaceId, workspaceName: who.workspace.name, scopes: who.scopes };
    saveSession(next);
    setApiKey(key);
    setEndedBecause(null);
    setSession(next);
  }, []);
  const signOut = useCallback(() => {
    saveSession(null);
    setApiKey(null);
    setSession(null);
    // The next key may belong to another workspace or see less: nothing read with this one stays.
    queries.clear();
  }, [queries]);
  useEffect(() => {
    setKeyRefusedHandler((messages) => {
      signOut();
      setEndedBecause(`Berth refused your API key (${messages.join(' ')}); it may have been revoked or have expired. Sign in with a valid key.`);
    });
    return () => setKeyRefusedHandler(null);
  }, [signOut]);
  const value = useMemo(() => ({ session, endedBecause, signIn, signOut }), [session, endedBecause, signIn, signOut]);
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
