import { describe, expect, it } from 'vitest';
import { parseSeverity } from './parse-severity.js';

describe('parseSeverity', () => {
  it.each([
    ['{"level":30,"time":1,"msg":"pino info"}', 'INFO'],
    ['{"level":20,"msg":"pino debug"}', 'DEBUG'],
    ['{"level":40,"msg":"w"}', 'WARNING'],
    ['{"level":50,"msg":"pino error"}', 'ERROR'],
    ['{"level":60,"msg":"fatal"}', 'CRITICAL'],
    ['{"name":"app","hostname":"h","pid":1,"level":50,"msg":"bunyan","v":0}', 'ERROR'],
    ['{"level":"warn","message":"winston"}', 'WARNING'],
    ['{"level":"silly","message":"winston"}', 'DEBUG'],
    ['{"levelname":"CRITICAL","message":"python"}', 'CRITICAL'],
    ['{"levelno":30,"message":"python number"}', 'WARNING'],
    ['{"severity":"ERROR","message":"gcp"}', 'ERROR'],
    ['{"log.level":"debug"}', 'DEBUG'],
    ['{"log":{"level":"warning"}}', 'WARNING'],
  ])('reads the level of the JSON line %s', (line, expected) => {
    expect(parseSeverity(line, 'stdout')).toBe(expected);
  });

  it.each([
    ['ERROR: database unreachable', 'ERROR'],
    ['WARNING:root:disk almost full', 'WARNING'],
    ['[warn] slow', 'WARNING'],
    ['info listening on 3000', 'INFO'],
    ['DEBUG - cache miss', 'DEBUG'],
    ['2025-01-20 14:30:01,123 CRITICAL out of memory', 'CRITICAL'],
    ['2025-01-20T14:30:01.123Z ERROR boom', 'ERROR'],
    ['Error: ENOENT', 'ERROR'],
    ['FATAL', 'CRITICAL'],
  ])('reads a leading level word in %s', (line, expected) => {
    expect(parseSeverity(line, 'stdout')).toBe(expected);
  });

  it('falls back to the stream default', () => {
    expect(parseSeverity('listening on 3000', 'stdout')).toBe('INFO');
    expect(parseSeverity('    at foo (bar.js:1:1)', 'stderr')).toBe('ERROR');
    expect(parseSeverity('an error happened', 'stdout')).toBe('INFO');
    expect(parseSeverity('Debugging enabled', 'stdout')).toBe('INFO');
    expect(parseSeverity('{"msg":"no level"}', 'stderr')).toBe('ERROR');
    expect(parseSeverity('{not json}', 'stdout')).toBe('INFO');
  });
});
