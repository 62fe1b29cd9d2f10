// The console (web/) is a browser bundle and a client of the API: from Berth's own code it may
// take only pure modules of src/domain/ that import nothing themselves (words it shares with the
// CLI), never the CLI's, the core's or Node-only code. Imports are read with the TypeScript parser.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..');
const webDir = path.join(repoRoot, 'web/src');
const domainDir = path.join(repoRoot, 'src/domain');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every module specifier a file names, with whether it is a type-only import. */
function importsOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isExportDeclaration(node) ? node.isTypeOnly : !!node.importClause?.isTypeOnly;
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteralLike(first)) found.push({ specifier: first.text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolve(from: string, specifier: string): string {
  const target = path.resolve(path.dirname(from), specifier);
  const candidates = [target.replace(/\.js$/, '.ts'), target, `${target}.ts`, `${target}.tsx`, path.join(target, 'index.ts')];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) ?? target;
}

const inside = (dir: string, file: string) => !path.relative(dir, file).startsWith('..');
const shown = (file: string) => path.relative(repoRoot, file);

const outsideWeb = sourceFiles(webDir).flatMap((file) =>
  importsOf(file)
    .filter((i) => i.specifier.startsWith('.'))
    .map((i) => ({ file, target: resolve(file, i.specifier) }))
    .filter(({ target }) => !inside(path.join(repoRoot, 'web'), target)),
);

describe('architecture: what the console takes from src/', () => {
  it('finds the words it shares with the CLI', () => {
    expect(outsideWeb.map((i) => shown(i.target))).toContain('src/domain/app-kind-facts.ts');
  });

  it('takes only modules of src/domain/', () => {
    const violations = outsideWeb.filter(({ target }) => !inside(domainDir, target)).map(({ file, target }) => `${shown(file)} → ${shown(target)}`);
    expect(violations).toEqual([]);
  });

  it('and only those that import nothing themselves (types aside), so the bundle stays the browser’s', () => {
    const taken = [...new Set(outsideWeb.map((i) => i.target))].filter((target) => fs.existsSync(target));
    const violations = taken.flatMap((target) =>
      importsOf(target)
        .filter((i) => !i.typeOnly)
        .map((i) => `${shown(target)} imports ${i.specifier}`),
    );
    expect(violations).toEqual([]);
  });
});
