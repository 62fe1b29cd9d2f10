import { describe, expect, it } from 'vitest';
import { failureExcerpt, lineTail } from './failure-excerpt.js';

describe('failureExcerpt', () => {
  it("names the compiler's error, not npm's wrap-up or Berth's own lines", () => {
    const out = [
      '[build] $ npm run build',
      '',
      '> notes-api@1.0.0 build',
      '> tsc -p .',
      '',
      "src/server.ts(9,47): error TS2352: Conversion of type '{ ok: boolean; }' to type 'number' may be a mistake.",
      'npm error Lifecycle script `build` failed with error:',
      'npm error code 2',
    ];
    expect(failureExcerpt(out)).toBe("src/server.ts(9,47): error TS2352: Conversion of type '{ ok: boolean; }' to type 'number' may be a mistake.");
  });

  it("names pip's error, not the warnings of its retries", () => {
    const retry = (n: number) =>
      `WARNING: Retrying (Retry(total=${n}, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno -2] Name or service not known')': /simple/flask/`;
    const out = ['[build] $ python3 -m pip install -r requirements.txt', retry(4), retry(3), retry(0)];
    out.push('ERROR: Could not find a version that satisfies the requirement flask==3.0.0 (from versions: none)');
    out.push('ERROR: No matching distribution found for flask==3.0.0');
    expect(failureExcerpt(out)).toBe(
      'ERROR: Could not find a version that satisfies the requirement flask==3.0.0 (from versions: none) | ERROR: No matching distribution found for flask==3.0.0',
    );
  });

  it("names a Python traceback's exception, not its frames", () => {
    const out = ['Traceback (most recent call last):', '  File "/app/manage.py", line 3, in <module>', '    import django', "ModuleNotFoundError: No module named 'django'"];
    expect(failureExcerpt(out)).toBe("ModuleNotFoundError: No module named 'django'");
  });

  it('keeps at most three error lines, joined', () => {
    const out = ['a.ts(1,1): error TS1', 'b.ts(2,2): error TS2', 'c.ts(3,3): error TS3', 'd.ts(4,4): error TS4'];
    expect(failureExcerpt(out)).toBe('a.ts(1,1): error TS1 | b.ts(2,2): error TS2 | c.ts(3,3): error TS3');
  });

  it("falls back to the step's last lines when none reads as an error", () => {
    expect(failureExcerpt(['[build] $ npm run build', 'compiling', 'the compiler is broken', 'npm error code 3'])).toBe('compiling | the compiler is broken');
  });

  it("uses the package manager's lines when the step printed nothing of its own", () => {
    const out = ['[build] $ npm ci', 'npm error code ENOENT', 'npm error enoent Could not read package.json'];
    expect(failureExcerpt(out)).toBe('npm error code ENOENT | npm error enoent Could not read package.json');
  });

  it('says nothing when there is no output, and ends a long excerpt with an ellipsis', () => {
    expect(failureExcerpt(['[build] $ npm run build'])).toBe('');
    const long = failureExcerpt([`error: ${'x'.repeat(500)}`]);
    expect(long).toHaveLength(300);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('lineTail', () => {
  it('keeps only the newest lines', () => {
    const tail = lineTail(2);
    for (const line of ['one', 'two', 'three']) tail.push(line);
    expect(tail.lines()).toEqual(['two', 'three']);
  });
});
