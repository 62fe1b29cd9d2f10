import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.js';
import { decodePageToken, encodePageToken } from './page-token.js';

describe('page tokens', () => {
  it('round-trip a position and look opaque', () => {
    const cursor = { timestampMs: 1_737_383_401_123, seq: 4_999_999 };
    const token = encodePageToken(cursor);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token)).toEqual(cursor);
  });

  it.each(['', 'abc', 'bDEuMTIzLg', '%%%', Buffer.from('l1.zz.').toString('base64url')])('refuses %j', (token) => {
    expect(() => decodePageToken(token)).toThrow(DomainError);
  });
});
