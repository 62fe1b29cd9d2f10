// Start scripts that run the app under a file watcher (`nodemon server.js`, `node --watch`, `tsx
// watch`) restart it whenever a file in its folder changes, and an app's own writes are such
// changes: a todo app that saved todos.json on each POST was restarted by nodemon at every save,
// and answered 502 twenty times in a row. A revision's code never changes while it runs (a deploy
// is how it changes), so Berth runs the same file without the watcher.
import { resolvedCommand } from './package-scripts.js';

/** What Berth runs instead of a watcher, and which watcher it was. */
export interface WatcherSwap {
  tool: string;
  script: string;
}

const plainWord = (word: string) => /^[\w@%+=:,./-]+$/.test(word);

/** nodemon's options that take a value, and those that do not (`nodemon --help options`). */
const nodemonValued = new Set(['-w', '--watch', '-e', '--ext', '-i', '--ignore', '-d', '--delay', '-x', '--exec', '-s', '--signal', '--config', '-P', '--polling-interval']);
const nodemonFlags = new Set(['-L', '--legacy-watch', '-q', '--quiet', '-V', '--verbose', '-I', '--no-stdin', '--no-colors', '-C', '--on-change-only', '--spawn', '--no-update-notifier']);

/** `nodemon [options] [script [args]]` → the command nodemon itself runs, or null when it is not plain. */
function unwatchNodemon(args: readonly string[], main: string | null): string[] | null {
  let exec: string | null = null;
  let rest = [...args];
  while (rest[0]?.startsWith('-')) {
    const [word = '', next] = rest;
    if (word === '--') {
      rest = rest.slice(1);
      break;
    }
    const [name = '', inline] = word.split(/=(.*)/s, 2);
    if (nodemonFlags.has(name) && inline === undefined) rest = rest.slice(1);
    else if (nodemonValued.has(name)) {
      const value = inline ?? next;
      if (value === undefined) return null;
      if (name === '-x' || name === '--exec') exec = value;
      rest = rest.slice(inline === undefined ? 2 : 1);
    } else return null; // node's own flags (--inspect) or ones not known here: run as written
  }
  const [script = main, ...scriptArgs] = rest;
  if (script === null) return null;
  // nodemon runs .ts files with ts-node and other files with what --exec says; plain .js-like files with node.
  if (exec !== null) return plainWord(exec) ? [exec, script, ...scriptArgs] : null;
  return /\.[cm]?js$/.test(script) ? ['node', script, ...scriptArgs] : null;
}

/** `node --watch [--watch-path=dir] server.js` → `node server.js`. */
function unwatchNode(args: readonly string[]): string[] | null {
  const kept: string[] = [];
  let watched = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i] ?? '';
    if (word === '--watch' || word === '--watch-preserve-output' || word.startsWith('--watch-path=')) watched = true;
    else if (word === '--watch-path') {
      watched = true;
      i += 1;
    } else kept.push(word);
  }
  return watched && kept.length > 0 ? ['node', ...kept] : null;
}

/** `tsx watch [--clear-screen=false] [--include x] src/index.ts` → `tsx src/index.ts`. */
function unwatchTsx(args: readonly string[]): string[] | null {
  if (args[0] !== 'watch') return null;
  const kept: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const word = args[i] ?? '';
    if (/^--(clear-screen|include|exclude|ignore)=/.test(word) || word === '--clear-screen') continue;
    if (/^--(include|exclude|ignore)$/.test(word)) i += 1;
    else kept.push(word);
  }
  return kept.length > 0 ? ['tsx', ...kept] : null;
}

/**
 * The command a start script's watcher would run, without the watcher; null when the script runs
 * no known watcher, or runs one in a way not read here (then it runs as written).
 */
export function watcherSwap(startScript: string, scripts: Record<string, unknown>, main: string | null): WatcherSwap | null {
  const [bin, ...args] = resolvedCommand(startScript, scripts) ?? [];
  if (bin === undefined || !args.every(plainWord)) return null;
  const found: [string, string[] | null] | null =
    bin === 'nodemon' ? ['nodemon', unwatchNodemon(args, main)] : bin === 'node' ? ['node --watch', unwatchNode(args)] : bin === 'tsx' ? ['tsx watch', unwatchTsx(args)] : null;
  const [tool, command] = found ?? ['', null];
  return command ? { tool, script: command.join(' ') } : null;
}
