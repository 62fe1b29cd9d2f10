// Log page tokens: opaque to clients, and stable while new lines arrive, because a token names a
// position in the log (timestamp and sequence of the last line returned), not an offset.
import { invalid } from '../../domain/errors.js';
import type { LogCursor } from '../ports/telemetry.js';

const prefix = 'l1.';

export function encodePageToken(cursor: LogCursor): string {
  return Buffer.from(`${prefix}${cursor.timestampMs.toString(36)}.${cursor.seq.toString(36)}`).toString('base64url');
}

export function decodePageToken(token: string): LogCursor {
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const match = /^l1\.([0-9a-z]{1,12})\.([0-9a-z]{1,12})$/.exec(text);
  if (!match?.[1] || !match[2]) return invalid('pageToken is not a token returned by this endpoint');
  return { timestampMs: parseInt(match[1], 36), seq: parseInt(match[2], 36) };
}
