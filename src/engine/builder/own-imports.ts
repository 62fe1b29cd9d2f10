// Which devDependencies the app's own JavaScript loads (`require('dotenv')`, `import … from
// 'pino-pretty'`): such an app breaks at start once they are pruned, however clean its start
// command is. Reads the built tree's .js/.mjs/.cjs files outside node_modules, skipping tests and
// tool configs that never run in the artifact; a budget of files and bytes bounds the walk, and a
// tree past it is reported as not fully read (the caller keeps devDependencies then).
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const codeFile = /\.(js|mjs|cjs)$/;
/** Configs of tools that run at build or test time, never when the app serves. */
const toolConfig = /^(\.?eslint(rc)?|\.?prettier(rc)?|jest|vitest|vite|webpack|rollup|babel|\.babelrc|postcss|tailwind|tsup|playwright|cypress|commitlint|stylelint|karma|lint-staged|\.?release-it|gulpfile|gruntfile)([.-].*)?\.(js|mjs|cjs)$/i;
const skippedDirs = new Set(['node_modules', '.git', 'test', 'tests', '__tests__', 'spec', 'e2e', 'cypress', 'coverage', '.cache', '.berth']);
const specifiers = [/\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g];

export interface ImportBudget {
  maxFiles: number;
  maxBytes: number;
}

export const defaultImportBudget: ImportBudget = { maxFiles: 5_000, maxBytes: 64 * 1024 * 1024 };

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`; relative, absolute and node: specifiers → null. */
export function packageOfSpecifier(specifier: string): string | null {
  if (/^(\.|\/|node:|file:|data:|https?:)/.test(specifier)) return null;
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/** Packages among `wanted` that `source` loads. */
export function importsIn(source: string, wanted: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const pattern of specifiers) {
    for (const match of source.matchAll(pattern)) {
      const name = packageOfSpecifier(match[1] ?? '');
      if (name !== null && wanted.has(name)) found.add(name);
    }
  }
  return found;
}

export interface OwnImports {
  /** Each wanted package the app's code loads → the first file (relative to the tree) seen loading it. */
  loaded: Map<string, string>;
  /** False when the budget ran out before every file was read. */
  complete: boolean;
}

export async function ownImports(dir: string, wanted: ReadonlySet<string>, budget: ImportBudget = defaultImportBudget): Promise<OwnImports> {
  const loaded = new Map<string, string>();
  let files = 0;
  let bytes = 0;
  const pending = [dir];
  while (pending.length > 0 && wanted.size > loaded.size) {
    const current = pending.pop() as string;
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (!skippedDirs.has(entry.name)) pending.push(full);
        continue;
      }
      if (!entry.isFile() || !codeFile.test(entry.name) || toolConfig.test(entry.name)) continue;
      const size = (await stat(full)).size;
      files += 1;
      bytes += size;
      if (files > budget.maxFiles || bytes > budget.maxBytes) return { loaded, complete: false };
      for (const name of importsIn(await readFile(full, 'utf8'), wanted)) if (!loaded.has(name)) loaded.set(name, path.relative(dir, full));
    }
  }
  return { loaded, complete: true };
}
