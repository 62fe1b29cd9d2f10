// An API error as the API worded it (each message of a validation failure on its own line).
import { ApiError } from '../api/client';

export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const messages = error instanceof ApiError ? error.messages : [error instanceof Error ? error.message : String(error)];
  return (
    <div className="error" role="alert">
      {messages.length === 1 ? messages[0] : (
        <ul>
          {messages.map((message, i) => (
            <li key={i}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
