// The severity of lines that the major Python and Node servers write in formats of their own
// (gunicorn, hypercorn, uvicorn, werkzeug/Flask, Django runserver, Next.js, NestJS, npm, morgan,
// pino-pretty). Most of them write to stderr, where a line of unknown shape counts as an error.
// Access lines are graded by their status code, as Cloud Run grades request logs: 5xx ERROR,
// 4xx WARNING, anything else INFO.
import type { Severity } from '../../core/ports/telemetry.js';

const methods = 'GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|CONNECT|TRACE';

/**
 * A request and its status: `"GET / HTTP/1.1" 200` (Apache common/combined as gunicorn, werkzeug,
 * Django, uvicorn, hypercorn and morgan write it), `GET / 200 3.4 ms` (morgan dev and tiny) and
 * `GET / HTTP/1.1 200` (morgan short).
 */
const accessLine = new RegExp(`(?:^|[\\s"])(?:${methods}) +\\S+(?: +(?:HTTP/)?\\d(?:\\.\\d)?)?"? +([1-5]\\d\\d)(?=[\\s,;]|$)`);

/** Next.js: `▲ Next.js 14`, `✓ Ready in 356ms`, `⚠ …`, `⨯ …` (13.5+); `- ready …` (13); `ready - …` (12). */
const nextSymbols: Record<string, Severity> = { '▲': 'INFO', '✓': 'INFO', '○': 'INFO', '»': 'DEBUG', '⚠': 'WARNING', '⨯': 'ERROR' };
const nextWords: Record<string, Severity> = { ready: 'INFO', event: 'INFO', wait: 'INFO', info: 'INFO', warn: 'WARNING', error: 'ERROR' };

const levelWords: Record<string, Severity> = {
  TRACE: 'DEBUG',
  DEBUG: 'DEBUG',
  VERBOSE: 'DEBUG',
  TIMING: 'DEBUG',
  INFO: 'INFO',
  LOG: 'INFO',
  NOTICE: 'INFO',
  HTTP: 'INFO',
  WARN: 'WARNING',
  WARNING: 'WARNING',
  ERROR: 'ERROR',
  'ERR!': 'ERROR',
  FATAL: 'CRITICAL',
  CRITICAL: 'CRITICAL',
};

const level = (word: string): Severity | null => levelWords[word.toUpperCase()] ?? null;

/** Werkzeug's (Flask's) and Django's start-up lines, which Python logging writes to stderr at INFO. */
const pythonDevServerInfo = [
  /^ \* (Serving Flask app|Debug mode:|Running on|Restarting with|Debugger is active|Debugger PIN:|Detected change in)/,
  /^Press CTRL\+C to quit$/,
  /^Watching for file changes with \w+$/,
];

/** Django's request logger names the status in words: `Not Found: /missing`, `Internal Server Error: /boom`. */
const djangoRequest = /^(Bad Request|Unauthorized|Forbidden|Not Found|Method Not Allowed|Gone|Conflict|Internal Server Error|Service Unavailable|Bad Gateway|Gateway Timeout)(?: \([^)]*\))?: \//;

/** Each format captures one word that says the level. */
const formats: readonly { pattern: RegExp; severity(word: string): Severity | null }[] = [
  // Python logging inside gunicorn and hypercorn: `[2024-01-15 10:23:45 +0000] [7] [INFO] …`.
  { pattern: /^\[[^\]]+\] \[\d+\] \[([A-Z]+)\]/, severity: level },
  // NestJS: `[Nest] 19096  - 01/15/2024, 10:23:45 AM     LOG [NestFactory] …`.
  // Flask's default handler: `[2024-01-15 10:23:45,123] ERROR in app: Exception on /boom [GET]`.
  { pattern: /^\[\d{4}-\d{2}-\d{2} [\d:,.]+\] ([A-Z]+) in [\w.]+: /, severity: level },
  { pattern: djangoRequest, severity: (words) => (/Error|Unavailable|Gateway/.test(words) ? 'ERROR' : 'WARNING') },
  { pattern: /^\[Nest\] +\d+ +- .*? (LOG|ERROR|WARN|DEBUG|VERBOSE|FATAL) +\[/, severity: level },
  // pino-pretty: `[10:23:45.123] INFO (1234): …`, with or without a date.
  { pattern: /^\[(?:\d{4}-\d{2}-\d{2}[ T])?\d{2}:\d{2}:\d{2}(?:\.\d+)?(?: ?[+-]\d{4}|Z)?\] +([A-Z]+)(?: \(|:)/, severity: level },
  // npm's own lines around `npm start`: `npm WARN …`, `npm ERR! …`.
  { pattern: /^npm (WARN|ERR!|error|warn|notice|info|http|verbose|timing) /, severity: level },
  { pattern: /^(▲|✓|○|»|⚠|⨯) /, severity: (symbol) => nextSymbols[symbol] ?? null },
  { pattern: /^- (ready|info|event|wait|warn|error) /, severity: (word) => nextWords[word] ?? null },
  { pattern: /^(ready|event|wait|info|warn|error) +- /, severity: (word) => nextWords[word] ?? null },
];

export function statusSeverity(status: number): Severity {
  if (status >= 500) return 'ERROR';
  if (status >= 400) return 'WARNING';
  return 'INFO';
}

/** An access line's severity by its status code, else null. */
export function accessLineSeverity(text: string): Severity | null {
  const status = accessLine.exec(text)?.[1];
  return status ? statusSeverity(Number(status)) : null;
}

/** The level a line in a well-known server format states (ANSI colours already removed), else null. */
export function serverLineSeverity(text: string): Severity | null {
  if (pythonDevServerInfo.some((pattern) => pattern.test(text))) return 'INFO';
  const trimmed = text.trimStart();
  for (const format of formats) {
    const word = format.pattern.exec(trimmed)?.[1];
    if (word) return format.severity(word);
  }
  return null;
}
