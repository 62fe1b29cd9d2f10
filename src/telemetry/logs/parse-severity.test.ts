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

  // Real lines, captured from gunicorn 20.1, Flask 2.2 (werkzeug), uvicorn 0.17, hypercorn 0.13,
  // Django 3.2 runserver, Next.js 15.5, NestJS 10, morgan 1.10 and pino-pretty 11, on the stream
  // each wrote them to.
  it.each([
    ['gunicorn', 'stderr', '[2026-12-03 22:39:06 +0000] [30207] [INFO] Starting gunicorn 20.1.0', 'INFO'],
    ['gunicorn', 'stderr', '[2026-12-03 22:39:06 +0000] [30207] [INFO] Listening at: http://127.0.0.1:18931 (30207)', 'INFO'],
    ['gunicorn', 'stderr', '[2026-12-03 22:39:06 +0000] [30274] [INFO] Booting worker with pid: 30274', 'INFO'],
    ['gunicorn', 'stderr', '[2026-12-03 22:40:36 +0000] [30207] [CRITICAL] WORKER TIMEOUT (pid:30274)', 'CRITICAL'],
    ['gunicorn', 'stderr', '[2026-12-03 22:40:37 +0000] [30207] [WARNING] Worker with pid 30274 was terminated due to signal 9', 'WARNING'],
    ['gunicorn', 'stderr', '[2026-12-03 22:40:37 +0000] [30274] [ERROR] Exception in worker process', 'ERROR'],
    ['gunicorn access', 'stdout', '127.0.0.1 - - [03/Dec/2026:22:39:08 +0000] "GET / HTTP/1.1" 200 2 "-" "curl/7.88.1"', 'INFO'],
    ['gunicorn access', 'stderr', '127.0.0.1 - - [03/Dec/2026:22:39:08 +0000] "GET /missing HTTP/1.1" 404 207 "-" "curl/7.88.1"', 'WARNING'],
    ['gunicorn access', 'stdout', '127.0.0.1 - - [03/Dec/2026:22:39:08 +0000] "GET /boom HTTP/1.1" 500 265 "-" "curl/7.88.1"', 'ERROR'],
    ['Flask', 'stdout', " * Serving Flask app 'app'", 'INFO'],
    ['Flask', 'stderr', 'WARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead.', 'WARNING'],
    ['Flask', 'stderr', ' * Running on http://127.0.0.1:18932', 'INFO'],
    ['Flask', 'stderr', 'Press CTRL+C to quit', 'INFO'],
    ['werkzeug access', 'stderr', '127.0.0.1 - - [03/Dec/2026 22:39:11] "GET / HTTP/1.1" 200 -', 'INFO'],
    ['werkzeug access', 'stderr', '127.0.0.1 - - [03/Dec/2026 22:39:12] "GET /missing HTTP/1.1" 404 -', 'WARNING'],
    ['werkzeug access', 'stderr', '127.0.0.1 - - [03/Dec/2026 22:39:12] "GET /boom HTTP/1.1" 500 -', 'ERROR'],
    ['Flask', 'stderr', '[2026-12-03 22:39:12,137] ERROR in app: Exception on /boom [GET]', 'ERROR'],
    ['Flask', 'stdout', '[2026-12-03 22:39:12,137] ERROR in app: Exception on /boom [GET]', 'ERROR'],
    ['a traceback', 'stderr', 'Traceback (most recent call last):', 'ERROR'],
    ['uvicorn', 'stderr', 'INFO:     Started server process [30571]', 'INFO'],
    ['uvicorn', 'stderr', 'INFO:     Uvicorn running on http://127.0.0.1:18933 (Press CTRL+C to quit)', 'INFO'],
    ['uvicorn, coloured', 'stderr', '\u001b[32mINFO\u001b[0m:     Application startup complete.', 'INFO'],
    ['uvicorn access', 'stdout', 'INFO:     127.0.0.1:46540 - "GET / HTTP/1.1" 200 OK', 'INFO'],
    ['uvicorn access', 'stdout', 'INFO:     127.0.0.1:46544 - "GET /missing HTTP/1.1" 404 Not Found', 'WARNING'],
    ['uvicorn access', 'stdout', 'INFO:     127.0.0.1:46550 - "GET /boom HTTP/1.1" 500 Internal Server Error', 'ERROR'],
    ['hypercorn', 'stderr', '[2026-12-03 22:39:16 +0000] [30609] [INFO] Running on http://127.0.0.1:18934 (CTRL + C to quit)', 'INFO'],
    ['hypercorn access', 'stdout', '[2026-12-03 22:39:18 +0000] [30609] [INFO] 127.0.0.1:49804 - - [03/Dec/2026:22:39:18 +0000] "GET / 1.1" 200 - "-" "curl/7.88.1"', 'INFO'],
    ['hypercorn access', 'stdout', '[2026-12-03 22:39:18 +0000] [30609] [INFO] 127.0.0.1:49814 - - [03/Dec/2026:22:39:18 +0000] "GET /boom 1.1" 500 - "-" "curl/7.88.1"', 'ERROR'],
    ['Django', 'stderr', 'Watching for file changes with StatReloader', 'INFO'],
    ['Django access', 'stderr', '[03/Dec/2026 22:39:35] "GET / HTTP/1.1" 200 10697', 'INFO'],
    ['Django', 'stderr', 'Not Found: /missing', 'WARNING'],
    ['Django access', 'stderr', '[03/Dec/2026 22:39:35] "GET /missing HTTP/1.1" 404 2098', 'WARNING'],
    ['Django', 'stderr', 'Internal Server Error: /boom', 'ERROR'],
    ['Django', 'stderr', 'Forbidden (CSRF cookie not set.): /login', 'WARNING'],
    ['Next.js', 'stdout', '   \u25b2 Next.js 15.5.29', 'INFO'],
    ['Next.js', 'stdout', ' \u2713 Ready in 648ms', 'INFO'],
    ['Next.js', 'stderr', ' \u26a0 Unsupported metadata viewport is configured in metadata export in /. Please move it to viewport export instead.', 'WARNING'],
    ['Next.js', 'stderr', ' \u2a2f Error: boom', 'ERROR'],
    ['Next.js 13', 'stderr', '- warn You have enabled experimental feature (serverActions) in next.config.js.', 'WARNING'],
    ['Next.js 12', 'stderr', 'ready - started server on 0.0.0.0:3000, url: http://localhost:3000', 'INFO'],
    ['Next.js 12', 'stderr', 'event - compiled client and server successfully in 1234 ms (172 modules)', 'INFO'],
    ['NestJS', 'stdout', '\u001b[32m[Nest] 31324  - \u001b[39m12/03/2026, 10:40:02 PM \u001b[32m    LOG\u001b[39m \u001b[38;5;3m[RoutesResolver] \u001b[39m\u001b[32mAppController {/}:\u001b[39m', 'INFO'],
    ['NestJS', 'stdout', '\u001b[33m[Nest] 31324  - \u001b[39m12/03/2026, 10:40:02 PM \u001b[33m   WARN\u001b[39m \u001b[38;5;3m[RoutesResolver] \u001b[39m\u001b[33mcareful\u001b[39m', 'WARNING'],
    ['NestJS', 'stderr', '\u001b[31m[Nest] 31324  - \u001b[39m12/03/2026, 10:40:02 PM \u001b[31m  ERROR\u001b[39m \u001b[38;5;3m[RoutesResolver] \u001b[39m\u001b[31mboom\u001b[39m', 'ERROR'],
    ['NestJS without colour', 'stderr', '[Nest] 31324  - 12/03/2026, 10:40:02 PM VERBOSE [RoutesResolver] vv', 'DEBUG'],
    ['NestJS without colour', 'stderr', '[Nest] 31324  - 12/03/2026, 10:40:02 PM     LOG [NestFactory] Starting Nest application...', 'INFO'],
    ['morgan combined', 'stdout', '::ffff:127.0.0.1 - - [03/Dec/2026:22:39:51 +0000] "GET /missing HTTP/1.1" 404 - "-" "node"', 'WARNING'],
    ['morgan common', 'stderr', '::ffff:127.0.0.1 - - [03/Dec/2026:22:39:51 +0000] "GET / HTTP/1.1" 200 -', 'INFO'],
    ['morgan dev', 'stdout', '\u001b[0mGET /boom \u001b[31m500\u001b[0m 0.490 ms - -\u001b[0m', 'ERROR'],
    ['morgan dev', 'stderr', '\u001b[0mGET / \u001b[32m200\u001b[0m 0.284 ms - -\u001b[0m', 'INFO'],
    ['morgan short', 'stdout', '::ffff:127.0.0.1 - GET /missing HTTP/1.1 404 - - 0.098 ms', 'WARNING'],
    ['morgan tiny', 'stdout', 'GET /boom 500 - - 0.490 ms', 'ERROR'],
    ['pino-pretty', 'stdout', '[22:39:52.002] INFO (31115): server listening', 'INFO'],
    ['pino-pretty', 'stdout', '[22:39:52.008] WARN (31115): slow', 'WARNING'],
    ['pino-pretty', 'stdout', '[22:39:52.009] ERROR (31115): bad', 'ERROR'],
    ['npm', 'stderr', 'npm WARN config production Use `--omit=dev` instead.', 'WARNING'],
    ['npm', 'stderr', 'npm ERR! code ELIFECYCLE', 'ERROR'],
    ['npm', 'stderr', 'npm notice New major version of npm available!', 'INFO'],
  ] as const)('reads %s lines: %s %s', (_server, stream, line, expected) => {
    expect(parseSeverity(line, stream)).toBe(expected);
  });

  it('keeps an access line that states a higher level at that level', () => {
    expect(parseSeverity('WARNING:  127.0.0.1:46540 - "GET / HTTP/1.1" 200 OK', 'stdout')).toBe('WARNING');
    expect(parseSeverity('[2026-12-03 22:39:18 +0000] [1] [CRITICAL] "GET / HTTP/1.1" 404 -', 'stdout')).toBe('CRITICAL');
  });

  it('does not take a word that only looks like a method for an access line', () => {
    expect(parseSeverity('FORGET / 500 times', 'stdout')).toBe('INFO');
    expect(parseSeverity('retrying GET /upstream in 500 ms', 'stdout')).toBe('INFO');
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
