import { describe, expect, it } from 'vitest';
import { CliError } from '../exit-codes.js';
import { slugOf } from './apps.js';
import { parseSince } from './logs.js';
import { parseSplit, taggedUrl } from './traffic.js';

describe('berth arguments', () => {
  it('reads traffic splits as REVISION=PERCENT[:TAG]', () => {
    expect(parseSplit('shop-00002=90')).toEqual({ revisionName: 'shop-00002', percent: 90 });
    expect(parseSplit('shop-00003=10:canary')).toEqual({ revisionName: 'shop-00003', percent: 10, tag: 'canary' });
    expect(() => parseSplit('shop-00003')).toThrow(CliError);
    expect(() => parseSplit('shop=ten')).toThrow(/REVISION=PERCENT/);
  });

  it('reads --since as a duration ago or a date', () => {
    const now = Date.parse('2026-01-02T03:04:05.000Z');
    expect(parseSince('10m', now)).toBe('2026-01-02T02:54:05.000Z');
    expect(parseSince('1d', now)).toBe('2026-01-01T03:04:05.000Z');
    expect(parseSince('2026-01-01T00:00:00Z', now)).toBe('2026-01-01T00:00:00.000Z');
    expect(() => parseSince('yesterday', now)).toThrow(CliError);
  });

  it('derives slugs and tagged URLs as the API names them', () => {
    expect(slugOf('My Shop!')).toBe('my-shop');
    expect(taggedUrl('http://shop.localhost:8080', 'canary')).toBe('http://canary---shop.localhost:8080');
  });
});
