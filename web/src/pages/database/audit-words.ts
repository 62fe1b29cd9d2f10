// An audit entry of a database in words for the console. Its detail is whatever the action
// recorded (unknown on the wire): only strings and numbers are shown, and a query's SQL the key
// may not see (null for keys without databases:query) is said to be hidden, never shown as "null".

export interface AuditEntryLike {
  action: string;
  detail: Record<string, unknown> | null;
}

const actions: Record<string, string> = {
  'database.create': 'Created',
  'database.attach': 'Attached to an app',
  'database.detach': 'Detached from an app',
  'database.query': 'Query',
  'database.backup': 'Backup',
  'database.restore': 'Restore',
  'database.restart': 'Restarted',
  'database.fail': 'Failed (Berth stopped restarting its server)',
  'database.delete': 'Deleted',
};

export const SQL_HIDDEN = 'SQL hidden (needs databases:query)';

export const auditActionText = (action: string): string => actions[action] ?? action;

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null);

/** What was done, beyond the action: the SQL (or that it is hidden), rows, errors, reasons. */
export function auditDetailText(entry: AuditEntryLike): string[] {
  const d = entry.detail ?? {};
  const error = text(d['error']);
  switch (entry.action) {
    case 'database.query': {
      const rows = text(d['rows']);
      const ms = text(d['durationMs']);
      const sql = text(d['sql']);
      // Without the SQL the error is withheld too (it may quote the SQL): only that it failed.
      const failed = error === null ? '' : sql === null ? 'failed (its error is hidden too)' : `failed: ${error}`;
      return [sql ?? SQL_HIDDEN, [rows !== null ? `${rows} rows` : null, ms !== null ? `${ms} ms` : null].filter(Boolean).join(', '), failed].filter((s) => s !== '');
    }
    case 'database.attach':
    case 'database.detach': {
      const mount = text(d['mountPath']);
      return [`as ${text(d['envKey']) ?? 'a variable'}${mount !== null ? `, mounted at ${mount}` : ''}`];
    }
    case 'database.backup':
    case 'database.restore':
      return error !== null ? [`failed: ${error}`] : [];
    case 'database.restart': {
      const failedWith = text(d['failedWith']);
      return failedWith !== null ? [`after it FAILED: ${failedWith}`] : [];
    }
    case 'database.fail':
      return [text(d['reason']) ?? ''].filter((s) => s !== '');
    default:
      return [];
  }
}
