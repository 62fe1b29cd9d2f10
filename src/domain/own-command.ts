// A revision runs its start command behind Berth's own wrapper (`/usr/bin/env` with the variables
// a built tree needs, or `/bin/sh -c` for a shell line); people are shown the command they wrote.
// The builder (engine/builder/start-command.ts) puts only these variables in front of it.

/** The variables Berth sets for a built tree's programs, in front of the app's own words. */
export const treeVariableNames = ['PATH', 'PYTHONPATH', 'PYTHONUNBUFFERED'] as const;

const berthAssignment = (word: string, seen: Set<string>): boolean => {
  const name = treeVariableNames.find((n) => word.startsWith(`${n}=`));
  if (!name || seen.has(name)) return false; // a second PATH=… is the app's own
  seen.add(name);
  return true;
};

/** The app's own start command, as it wrote it: Berth's wrapper left out, a shell line as it is. */
export function ownCommand(argv: readonly string[]): string {
  let words = [...argv];
  if (words[0] === '/usr/bin/env') {
    words = words.slice(1);
    const seen = new Set<string>();
    while (words[0] !== undefined && berthAssignment(words[0], seen)) words.shift();
  }
  if (words.length === 3 && words[0] === '/bin/sh' && words[1] === '-c') return words[2] ?? '';
  return words.join(' ');
}
