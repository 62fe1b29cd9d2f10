// Turns an instance's stdout/stderr byte stream into lines. A line longer than the cap is cut
// into pieces, so an app that never prints a newline cannot grow Berth's memory.
import { StringDecoder } from 'node:string_decoder';

export const DEFAULT_MAX_LINE_CHARS = 16 * 1024;

export interface LineSplitter {
  push(chunk: Buffer): void;
  /** Emits what is left without a trailing newline (the stream ended). */
  flush(): void;
}

export function createLineSplitter(
  onLine: (line: string) => void,
  maxLineChars = DEFAULT_MAX_LINE_CHARS,
): LineSplitter {
  const decoder = new StringDecoder('utf8');
  let pending = '';

  const drain = (): void => {
    let start = 0;
    for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n', start)) {
      const line = pending.slice(start, newline);
      start = newline + 1;
      emit(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    pending = pending.slice(start);
    while (pending.length > maxLineChars) {
      emit(pending.slice(0, maxLineChars));
      pending = pending.slice(maxLineChars);
    }
  };
  const emit = (line: string): void => {
    for (let i = 0; i < line.length; i += maxLineChars) onLine(line.slice(i, i + maxLineChars));
    if (line.length === 0) onLine('');
  };

  return {
    push(chunk) {
      pending += decoder.write(chunk);
      drain();
    },
    flush() {
      pending += decoder.end();
      drain();
      if (pending.length > 0) emit(pending);
      pending = '';
    },
  };
}
