// Deleting a database deletes its data for good: on a terminal, the user types its slug to go on;
// without one (a script), only --yes says that was meant.
import { createInterface } from 'node:readline/promises';
import { CliError, exitCodes } from '../exit-codes.js';

export async function confirmDelete(slug: string): Promise<void> {
  if (!process.stdin.isTTY) throw new CliError(`deleting ${slug} removes all its data for good: add --yes to confirm (there is no terminal to ask on)`, exitCodes.usage);
  const prompt = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  let typed: string;
  try {
    typed = (await prompt.question(`This deletes ${slug} and all its data, for good. Type its slug (${slug}) to go on: `)).trim();
  } finally {
    prompt.close();
  }
  if (typed !== slug) throw new CliError(`not deleted: you typed "${typed}", not ${slug}`, exitCodes.failed);
}
