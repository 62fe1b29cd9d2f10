import { describe, expect, it } from 'vitest';
import { lookupField } from './container-user.js';

describe('lookupField', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1001::/home/node:/bin/sh\nodd:x::abc::/:/bin/sh\n';
  it('finds a user by name or by uid', () => {
    expect(lookupField(passwd, 0, 'node', 2)).toBe(1000);
    expect(lookupField(passwd, 2, '1000', 3)).toBe(1001);
  });
  it('answers null for a missing name, a missing file or a field that is not a number', () => {
    expect(lookupField(passwd, 0, 'nobody', 2)).toBeNull();
    expect(lookupField(null, 0, 'root', 2)).toBeNull();
    expect(lookupField(passwd, 0, 'odd', 2)).toBeNull();
    expect(lookupField(passwd, 0, 'odd', 3)).toBeNull();
  });
});
