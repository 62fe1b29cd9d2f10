// The few lines of a failed build step's output that say why it failed, for the deployment's
// reason (the status line, alerts, the CLI's "Why:"). The whole output stays in the build log.
// The step's own output comes first: the package manager's wrap-up ("npm error Lifecycle script
// `build` failed…") and Berth's lines ([build] $ …) say less than the compiler's first error.
import { stripVTControlCharacters } from 'node:util';

const berthLine = /^\[[a-z]+\] /;
const managerLine = /^(npm (ERR!|error|warn|notice)|ERR_PNPM|\s*ELIFECYCLE|error Command failed|info Visit)/;
const scriptHeader = /^> /;
const errorWord = /\b(error|ERROR|Error|ERR!|failed|FAILED|Failed|Cannot|cannot)\b/;
/** A line that is itself the error: pip's `ERROR: …`, Python's `ModuleNotFoundError: …`, `fatal: …`. */
const errorHead = /^(ERROR|error|Error|FATAL|fatal|\w+(Error|Exception))\b:?/;
/** Warnings name failures they recovered from (pip's retries: "Failed to establish a new connection"). */
const warningLine = /^(WARNING|WARN|warning|Warning|npm warn)\b/;

const maxLines = 3;
const maxChars = 300;

/** Up to 3 lines (joined by " | ", at most 300 characters) of `lines` that explain a failure; '' when there is nothing to say. */
export function failureExcerpt(lines: readonly string[]): string {
  const own = lines.map((l) => stripVTControlCharacters(l).trim()).filter((l) => l !== '' && !berthLine.test(l) && !scriptHeader.test(l));
  const stepLines = own.filter((l) => !managerLine.test(l));
  const pick = (from: string[]) => {
    const heads = from.filter((l) => errorHead.test(l));
    if (heads.length > 0) return heads.slice(0, maxLines);
    const errors = from.filter((l) => errorWord.test(l) && !warningLine.test(l));
    return errors.length > 0 ? errors.slice(0, maxLines) : from.slice(-maxLines);
  };
  const chosen = stepLines.length > 0 ? pick(stepLines) : pick(own);
  const text = chosen.join(' | ');
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

/** Keeps the last `size` lines written to a log, for failureExcerpt. */
export function lineTail(size = 200): { push(line: string): void; lines(): string[] } {
  const kept: string[] = [];
  return {
    push(line) {
      kept.push(line);
      if (kept.length > size) kept.shift();
    },
    lines: () => [...kept],
  };
}
