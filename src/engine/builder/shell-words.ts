// The simple commands of a user's shell line (a Procfile, a start script), as sh would split them:
// words with their quotes removed, one list per command between `&&`, `||`, `;`, `|` and `&`.
// Only what Berth can read for certain: a line with subshells, substitutions or shell keywords
// is not split (null), so whoever asks can say it cannot tell what the line runs.

const keywords = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'function', '{', '}', '!']);

/** The line's simple commands, each a list of words; null when the line uses what Berth does not read. */
export function shellCommands(line: string): string[][] | null {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | null = null;
  const endWord = () => {
    if (word !== null) words.push(word);
    word = null;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (c === '`' || c === '(' || c === ')' || (c === '$' && line.charAt(i + 1) === '(')) return null;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return null;
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      const end = line.indexOf('"', i + 1);
      const inner = end < 0 ? null : line.slice(i + 1, end);
      if (inner === null || /[`\\]|\$\(/.test(inner)) return null;
      word = (word ?? '') + inner;
      i = end;
    } else if (c === '\\') {
      word = (word ?? '') + line.charAt(i + 1);
      i += 1;
    } else if (c === ' ' || c === '\t') endWord();
    else if (c === '&' || c === '|' || c === ';' || c === '\n') endCommand();
    else if (c === '<' || c === '>') {
      // A redirection: its target is no word of the command (`2>&1`, `> out.log`).
      if (word !== null && /^\d+$/.test(word)) word = null;
      endWord();
      while (/[<>&]/.test(line.charAt(i + 1))) i += 1;
      while (line.charAt(i + 1) === ' ') i += 1;
      while (i + 1 < line.length && !/[\s;&|<>]/.test(line.charAt(i + 1))) i += 1;
    } else if (c === '#' && word === null) break;
    else word = (word ?? '') + c;
  }
  endCommand();
  return commands.some((command) => keywords.has(command[0] ?? '')) ? null : commands;
}
