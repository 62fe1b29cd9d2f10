// The severity of one output line: from a JSON line's level field (pino and bunyan numbers,
// winston and structlog words, Python logging's levelname/levelno, GCP's severity), else from the
// level a well-known server's format states or a leading level word ("ERROR: …", "[warn] …",
// "2025-01-20 14:30:01 INFO …"), raised by an access line's status code (4xx WARNING, 5xx ERROR),
// else the stream's default: stdout INFO, stderr ERROR (as Cloud Run and App Engine do).
import type { LogStream, Severity } from '../../core/ports/telemetry.js';
import { accessLineSeverity, serverLineSeverity } from './server-line-severity.js';

const words: Record<string, Severity> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  dbg: 'DEBUG',
  verbose: 'DEBUG',
  silly: 'DEBUG',
  fine: 'DEBUG',
  info: 'INFO',
  information: 'INFO',
  notice: 'INFO',
  http: 'INFO',
  warn: 'WARNING',
  warning: 'WARNING',
  error: 'ERROR',
  err: 'ERROR',
  severe: 'ERROR',
  fatal: 'CRITICAL',
  critical: 'CRITICAL',
  crit: 'CRITICAL',
  alert: 'CRITICAL',
  emerg: 'CRITICAL',
  emergency: 'CRITICAL',
  panic: 'CRITICAL',
};

/** pino and bunyan: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
function pinoLevel(n: number): Severity {
  if (n <= 20) return 'DEBUG';
  if (n <= 30) return 'INFO';
  if (n <= 40) return 'WARNING';
  if (n <= 50) return 'ERROR';
  return 'CRITICAL';
}

/** Python logging: 10 DEBUG, 20 INFO, 30 WARNING, 40 ERROR, 50 CRITICAL. */
function pythonLevel(n: number): Severity {
  if (n < 20) return 'DEBUG';
  if (n < 30) return 'INFO';
  if (n < 40) return 'WARNING';
  if (n < 50) return 'ERROR';
  return 'CRITICAL';
}

const word = (value: unknown): Severity | null => (typeof value === 'string' ? (words[value.trim().toLowerCase()] ?? null) : null);

function fromJson(record: Record<string, unknown>): Severity | null {
  const level = record.level;
  if (typeof level === 'number') return pinoLevel(level);
  const found = word(level) ?? word(record.levelname) ?? word(record.severity) ?? word(record.lvl) ?? word(record['log.level']);
  if (found) return found;
  if (typeof record.levelno === 'number') return pythonLevel(record.levelno);
  const ecs = record.log;
  if (ecs && typeof ecs === 'object') return word((ecs as Record<string, unknown>).level);
  return null;
}

// An optional timestamp (ISO-8601 or "2025-01-20 14:30:01,123"), then an optional opening
// bracket, then the level word, then a delimiter. Anchored: a level word mid-sentence says nothing.
const leading = /^(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\s+(?:-\s+)?)?[[<(]?([A-Za-z]{3,11})(?=[\]>):|\s-]|$)/;

const order: readonly Severity[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];
const mostSevere = (a: Severity | null, b: Severity | null): Severity | null => (a === null ? b : b === null ? a : order.indexOf(a) >= order.indexOf(b) ? a : b);

// Colour codes (winston's colorize, morgan's dev format, uvicorn on a terminal) hide the level word.
// eslint-disable-next-line no-control-regex -- matching the ESC character is the point
const ansiColour = /\u001b\[[\d;]*m/g;

export function parseSeverity(line: string, stream: LogStream): Severity {
  const text = line.trimStart();
  if (text.startsWith('{') && text.trimEnd().endsWith('}')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const severity = fromJson(parsed as Record<string, unknown>);
        if (severity) return severity;
      }
    } catch {
      // Not JSON after all: read it as text.
    }
  }
  const plain = line.includes('\u001b') ? line.replace(ansiColour, '') : line;
  const word = leading.exec(plain.trimStart())?.[1];
  const stated = serverLineSeverity(plain) ?? (word ? (words[word.toLowerCase()] ?? null) : null);
  const found = mostSevere(stated, accessLineSeverity(plain));
  if (found) return found;
  return stream === 'stdout' ? 'INFO' : stream === 'stderr' ? 'ERROR' : 'INFO';
}
