// Reads pasted .env text into key/value pairs in the browser (the CLI uses Node's util.parseEnv):
// KEY=value, `export` prefixes, # comments, single or double quotes, \n inside double quotes.
// Hand-written because the dotenv package reads files through Node modules a browser lacks.
export interface DotenvEntry {
  key: string;
  value: string;
}

const line = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(?:'([^']*)'|"((?:\\.|[^"\\])*)"|([^#]*?))\s*(?:#.*)?$/;

export interface ParsedDotenv {
  entries: DotenvEntry[];
  /** 1-based numbers of the lines that are neither KEY=value, a comment nor blank. */
  unreadLines: number[];
}

export function parseDotenv(text: string): ParsedDotenv {
  const found = new Map<string, string>();
  const unreadLines: number[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    if (/^\s*(#|$)/.test(raw)) continue;
    const match = line.exec(raw);
    if (!match?.[1]) {
      unreadLines.push(index + 1);
      continue;
    }
    const [, key, single, double, bare] = match;
    const value = single ?? (double !== undefined ? double.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : (bare ?? '').trim());
    found.set(key, value);
  }
  return { entries: [...found].map(([key, value]) => ({ key, value })), unreadLines };
}
