// Reading package.json scripts as npm would run them: which command a script ends up running
// (through `npm run x`, `npx`, `cross-env` and `NAME=value` words), and all the text a script
// runs, so plan rules can recognise a framework's dev server or build behind a project's naming.

/** Words of a script that is one command (no `&&`, pipes, subshells or several lines); else null. */
function singleCommand(script: string): string[] | null {
  if (/&&|\|\||[;|&`\n<>]|\$\(/.test(script)) return null;
  const words = script.trim().split(/\s+/).filter(Boolean);
  return words.length > 0 ? words : null;
}

/** Drops what only sets the stage: `NAME=value`, `env`, `cross-env`, `npx`, `npm exec --`, `pnpm exec`, `yarn exec`. */
function withoutLaunchers(words: readonly string[]): string[] {
  let rest = [...words];
  for (;;) {
    const [head, next] = rest;
    if (head === undefined) return rest;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(head) || head === 'env' || head === 'cross-env' || head === 'cross-env-shell') rest = rest.slice(1);
    else if (head === 'npx' || head === 'bunx') {
      rest = rest.slice(1);
      while (rest[0]?.startsWith('-')) rest = rest.slice(1); // --yes, --no-install
    }
    else if ((head === 'npm' || head === 'pnpm' || head === 'yarn') && next === 'exec') rest = rest.slice(2);
    else if (head === '--') rest = rest.slice(1);
    else return rest;
  }
}

/** `npm run dev`, `yarn dev`, `pnpm run dev`, `bun run dev` → the script `dev` names, when the project has it. */
function scriptCalled(words: readonly string[], scripts: Record<string, unknown>): string | null {
  const [tool, second, third] = words;
  let name: string | undefined;
  if ((tool === 'npm' || tool === 'bun') && (second === 'run' || second === 'run-script')) name = third;
  else if ((tool === 'yarn' || tool === 'pnpm') && second === 'run') name = third;
  else if (tool === 'yarn' || tool === 'pnpm') name = second;
  else if (tool === 'npm' && (second === 'start' || second === 'test')) name = second;
  if (name === undefined || words.length > (second === 'run' || second === 'run-script' ? 3 : 2)) return null;
  const script = scripts[name];
  return typeof script === 'string' ? script : null;
}

/** The words of the command a script ends up running, following `npm run x` a few steps; null when it is not one command. */
export function resolvedCommand(script: string, scripts: Record<string, unknown>): string[] | null {
  let current = script;
  for (let hop = 0; hop < 4; hop++) {
    const words = singleCommand(current);
    if (!words) return null;
    const command = withoutLaunchers(words);
    const called = scriptCalled(command, scripts);
    // `yarn vite` runs the vite bin when no script has that name.
    if (called === null) return (command[0] === 'yarn' || command[0] === 'pnpm') && command[1] !== 'run' ? command.slice(1) : command;
    current = called;
  }
  return null;
}

/** A script's text and the text of every script it runs by name (so `build: "npm run build:prod"` counts). */
export function expandedText(script: string, scripts: Record<string, unknown>): string {
  const seen = new Set<string>();
  let text = script;
  for (let hop = 0; hop < 4; hop++) {
    let grew = false;
    for (const match of text.matchAll(/\b(?:npm\s+run(?:-script)?|yarn(?:\s+run)?|pnpm(?:\s+run)?|bun\s+run)\s+([\w:.-]+)/g)) {
      const name = match[1];
      const called = name === undefined ? undefined : scripts[name];
      if (name !== undefined && !seen.has(name) && typeof called === 'string') {
        seen.add(name);
        text += `\n${called}`;
        grew = true;
      }
    }
    if (!grew) break;
  }
  return text;
}
