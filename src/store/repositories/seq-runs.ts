// Positions (seqs) of pruned log lines, kept compact: a flooding app's lines hold consecutive
// seqs, so ascending seqs are written as runs, each `gap` or `gap+more` in base 36 (the gap from
// the previous run's last seq, then how many consecutive seqs follow), joined by commas.

export function encodeSeqRuns(seqs: readonly number[]): string {
  const sorted = [...seqs].sort((a, b) => a - b);
  const runs: string[] = [];
  let previous = 0;
  for (let i = 0; i < sorted.length; ) {
    const start = sorted[i] as number;
    let end = start;
    while (sorted[i + 1] === end + 1) {
      end += 1;
      i += 1;
    }
    i += 1;
    runs.push(end > start ? `${(start - previous).toString(36)}+${(end - start).toString(36)}` : (start - previous).toString(36));
    previous = end;
  }
  return runs.join(',');
}

/** How many of the encoded seqs are above `seq`, and whether `seq` is one of them. */
export function countSeqsAbove(encoded: string, seq: number): { above: number; holds: boolean } {
  let above = 0;
  let holds = false;
  let previous = 0;
  for (const run of encoded === '' ? [] : encoded.split(',')) {
    const [gap = '0', more = '0'] = run.split('+');
    const start = previous + parseInt(gap, 36);
    const end = start + parseInt(more, 36);
    if (start > seq) above += end - start + 1;
    else if (end >= seq) {
      holds = true;
      above += end - seq;
    }
    previous = end;
  }
  return { above, holds };
}
