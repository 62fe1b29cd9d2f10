// Why a postgres server exited before it served, in its own words: the FATAL or PANIC line it
// logged (with its DETAIL and HINT, and the configuration errors it logged just before), or what
// it wrote before logging began ("postgres: could not find the database system …").

/** `2026-12-05 02:41:57.855 UTC [31883] LEVEL:  message`, as postgres logs with its default prefix. */
const LOG_LINE = /^\d{4}-\d\d-\d\d [\d:.]+ \S+ \[(\d+)\] ([A-Z]+\d?):\s+(.*)$/;
/** What a client's connection is told while the server starts or stops: no reason of the server's. */
const CLIENT_FATAL = /^(the database system is (starting up|shutting down|not yet accepting connections|in recovery mode)|password authentication failed|(role|database) "[^"]*" does not exist|terminating connection|sorry, too many clients)/;
/**
 * Fatal reasons that can pass (a previous server still holding its lock, the machine short of
 * memory or processes for a moment): a server that gave one is restarted, not given up on.
 */
const PASSING_FATAL = /lock file .* already exists|could not create shared memory segment|could not map anonymous shared memory|out of memory|could not fork|Resource temporarily unavailable/i;
/** A configuration error postgres logs (at LOG level) before "configuration file … contains errors". */
const SETTING_ERROR = /( in file "|^invalid value for parameter|^parameter "[^"]*" (requires|cannot be changed))/;
const REASON_CHARS = 600;

interface Line {
  pid: string;
  level: string;
  message: string;
}

function parse(log: string): { lines: Line[]; unprefixed: string[] } {
  const lines: Line[] = [];
  const unprefixed: string[] = [];
  for (const raw of log.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const parsed = LOG_LINE.exec(line);
    if (parsed) lines.push({ pid: parsed[1] ?? '', level: parsed[2] ?? '', message: (parsed[3] ?? '').trim() });
    else unprefixed.push(line);
  }
  return { lines, unprefixed };
}

const clip = (text: string) => (text.length > REASON_CHARS ? `${text.slice(0, REASON_CHARS)}…` : text);

/**
 * The server's own reason for exiting, or '' when it gave none (its launch failed before postgres
 * ran, it was killed, or it only told clients it was starting). `passing` when the reason is one
 * a restart may not meet again.
 */
export function postgresLogReason(log: string): { reason: string; passing: boolean } {
  const { lines, unprefixed } = parse(log);
  let at = -1;
  for (let i = lines.length - 1; i >= 0 && at < 0; i -= 1) {
    const line = lines[i];
    if (line && (line.level === 'PANIC' || (line.level === 'FATAL' && !CLIENT_FATAL.test(line.message)))) at = i;
  }
  const fatal = lines[at];
  if (fatal) {
    const before: string[] = [];
    for (let i = at - 1; i >= 0 && lines[i]?.pid === fatal.pid && lines[i]?.level === 'LOG' && SETTING_ERROR.test(lines[i]?.message ?? ''); i -= 1) before.unshift(lines[i]?.message ?? '');
    const after: string[] = [];
    for (let i = at + 1; i < lines.length && lines[i]?.pid === fatal.pid && (lines[i]?.level === 'DETAIL' || lines[i]?.level === 'HINT'); i += 1) after.push(`${lines[i]?.level}: ${lines[i]?.message}`);
    return { reason: clip([...before, `${fatal.level}: ${fatal.message}`, ...after].join(' ')), passing: PASSING_FATAL.test(fatal.message) };
  }
  // Before its log begins (no data dir, a bad option) postgres writes "postgres: …" and its continuation lines.
  const start = unprefixed.findIndex((line) => line.startsWith('postgres: '));
  return { reason: start < 0 ? '' : clip(unprefixed.slice(start).join(' ')), passing: false };
}
