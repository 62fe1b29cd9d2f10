// Turns an instance's or a build's stdout/stderr byte stream into lines. A line longer than the
// cap is cut into pieces, so an app that never prints a newline cannot grow Berth's memory; each
// cut lands between two characters (never inside a surrogate pair), and the pieces say so: every
// piece but the last ends with `LINE_CONTINUES_MARK`, every piece but the first starts with
// `LINE_CONTINUED_MARK` (README, "Logs"), so a reader of the API, a stream, `berth logs` or the
// console can tell a line was cut and join it back.
import { StringDecoder } from 'node:string_decoder';

export const DEFAULT_MAX_LINE_CHARS = 16 * 1024;
/** Ends a piece of a cut line that the next piece continues. */
export const LINE_CONTINUES_MARK = ' [line continues]';
/** Starts a piece that continues a cut line. */
export const LINE_CONTINUED_MARK = '[continued] ';

export interface LineSplitter {
  push(chunk: Buffer): void;
  /** Emits what is left without a trailing newline (the stream ended). */
  flush(): void;
}

/** Where to cut `text` at most `max` UTF-16 units in: one unit earlier when that would split a surrogate pair. */
function cutAt(text: string, max: number): number {
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff && max > 1 ? max - 1 : max;
}

export function createLineSplitter(
  onLine: (line: string) => void,
  maxLineChars = DEFAULT_MAX_LINE_CHARS,
): LineSplitter {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  /** The next piece continues a line already cut. */
  let continuing = false;

  const piece = (text: string, continues: boolean): void => {
    onLine(`${continuing ? LINE_CONTINUED_MARK : ''}${text}${continues ? LINE_CONTINUES_MARK : ''}`);
    continuing = continues;
  };
  /** Cuts pieces off `text` while it is longer than the cap; returns the rest. */
  const cutLong = (text: string): string => {
    let rest = text;
    while (rest.length > maxLineChars) {
      const at = cutAt(rest, maxLineChars);
      piece(rest.slice(0, at), true);
      rest = rest.slice(at);
    }
    return rest;
  };
  const drain = (): void => {
    let start = 0;
    for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n', start)) {
      const line = pending.slice(start, newline);
      start = newline + 1;
      piece(cutLong(line.endsWith('\r') ? line.slice(0, -1) : line), false);
    }
    pending = cutLong(pending.slice(start));
  };

  return {
    push(chunk) {
      pending += decoder.write(chunk);
      drain();
    },
    flush() {
      pending += decoder.end();
      drain();
      if (pending.length > 0 || continuing) piece(pending, false);
      pending = '';
    },
  };
}
