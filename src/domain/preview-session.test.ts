import { describe, expect, it } from 'vitest';
import { idleSince } from './preview-session.js';

describe('idleSince', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

  it('does not count a session that is still getting ready', () => {
    for (const status of ['hydrating', 'installing', 'starting'] as const) {
      expect(idleSince({ status, lastHeartbeatAt: at(0), readyAt: null })).toBeNull();
    }
  });

  it('counts from readiness when the last keepalive came before it, else from the keepalive', () => {
    expect(idleSince({ status: 'ready', lastHeartbeatAt: at(0), readyAt: at(30) })).toEqual(at(30));
    expect(idleSince({ status: 'ready', lastHeartbeatAt: at(40), readyAt: at(30) })).toEqual(at(40));
  });
});
