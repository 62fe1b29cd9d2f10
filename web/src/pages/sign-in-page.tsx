// Sign in with an API key: checked against /api-keys/whoami, then kept for this tab only.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useSession } from '../app/session-context';
import { ErrorMessage } from '../components/error-message';

export function SignInPage() {
  const { signIn, endedBecause } = useSession();
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(key.trim());
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" style={{ maxWidth: 480 }}>
      <h1>Sign in to Berth</h1>
      {endedBecause ? (
        <p className="notice" role="status">
          {endedBecause}
        </p>
      ) : null}
      <form className="card" onSubmit={(event) => void submit(event)}>
        <label htmlFor="api-key">API key</label>
        <input id="api-key" name="api-key" type="password" autoComplete="off" required value={key} onChange={(e) => setKey(e.target.value)} style={{ width: '100%' }} placeholder="dor_sk_…" />
        <p className="muted">The key stays in this browser tab only (session storage) and is sent to this Berth alone. The first admin key is in <code>.berth/admin-key</code>.</p>
        <ErrorMessage error={error} />
        <button className="primary" type="submit" disabled={busy || key.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
