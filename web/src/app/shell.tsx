// The frame around every signed-in page: a skip link, the main navigation and sign out.
import type { ReactNode } from 'react';
import { NavLink } from './nav-link';
import { useSession } from './session-context';

export function Shell({ children }: { children: ReactNode }) {
  const { session, signOut } = useSession();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <strong>Berth</strong>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink href="/apps">Apps</NavLink>
            </li>
            <li>
              <NavLink href="/databases">Databases</NavLink>
            </li>
            <li>
              <NavLink href="/overview">Overview</NavLink>
            </li>
            <li>
              <NavLink href="/alerts">Alerts</NavLink>
            </li>
            <li>
              <NavLink href="/api-keys">API keys</NavLink>
            </li>
          </ul>
        </nav>
        <div className="who">
          <span>Workspace {session?.workspaceName || session?.workspaceId}</span>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
