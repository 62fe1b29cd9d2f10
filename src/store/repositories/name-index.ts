// Case-insensitive substring search over many names at once: the lower-cased names joined by NUL
// form one string that V8 scans with indexOf far faster than one `includes` per name. A search
// holding NUL itself (Berth refuses it in bodies and URLs) takes the slow path, so matches are exact.
const separator = '\0';

export interface NameIndex {
  /** Positions (in the order the names were given) of every name containing `search`. */
  matching(search: string): number[];
}

export function nameIndex(names: readonly string[]): NameIndex {
  const lowered = names.map((name) => name.toLowerCase());
  /** Where each name starts in the haystack; one more entry marks the end. */
  const starts = new Int32Array(names.length + 1);
  lowered.forEach((name, i) => (starts[i + 1] = (starts[i] ?? 0) + name.length + 1));
  const haystack = lowered.join(separator) + separator;

  /** The name the character at `at` belongs to (the last start at or before it). */
  function nameAt(at: number): number {
    let low = 0;
    let high = names.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= at) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  return {
    matching(search) {
      const needle = search.toLowerCase();
      if (needle.includes(separator)) return lowered.flatMap((name, i) => (name.includes(needle) ? [i] : []));
      const found: number[] = [];
      // indexOf('') answers any position up to the length itself, so the end is checked too.
      for (let at = haystack.indexOf(needle); at !== -1 && at < haystack.length && names.length > 0;) {
        const i = nameAt(at);
        found.push(i);
        at = haystack.indexOf(needle, starts[i + 1] ?? haystack.length);
      }
      return found;
    },
  };
}
