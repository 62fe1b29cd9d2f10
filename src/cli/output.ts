// How commands print: `--json` prints the API's answer as JSON on stdout (for scripts); otherwise
// aligned columns for people. Progress and notes go to stderr so stdout stays clean.
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printTable(headers: string[], rows: (string | number | null | undefined)[][]): void {
  const cells = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '-' : String(cell))));
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${[line(headers), ...cells.map(line)].join('\n')}\n`);
}

export function printFacts(facts: [string, string | number | null | undefined][]): void {
  const width = Math.max(...facts.map(([name]) => name.length));
  for (const [name, value] of facts) process.stdout.write(`${`${name}:`.padEnd(width + 2)}${value === null || value === undefined ? '-' : String(value)}\n`);
}

export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}
