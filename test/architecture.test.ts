// DESIGN.md's picture as a table: which layer may import which, no import cycles, and the two
// capabilities that live in exactly one module (process.env in config.ts, child_process in spawn.ts).
// Imports are read with the TypeScript parser, so code inside strings (fixture apps) is not mistaken for Berth's.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const srcDir = path.resolve(import.meta.dirname, '../src');

type Layer =
  'domain' | 'core/ports' | 'core' | 'store' | 'engine' | 'edge' | 'telemetry' | 'api' | 'cli' | 'config' | 'main';

/** What a layer may import besides itself. `types` are allowed as `import type` only. */
interface Rule {
  values: Layer[];
  types?: Layer[];
}

const adapter: Rule = { values: ['domain', 'core/ports'], types: ['core'] };

const rules: Record<Layer, Rule> = {
  domain: { values: [] },
  'core/ports': { values: ['domain'] },
  core: { values: ['domain', 'core/ports'] },
  store: adapter,
  engine: adapter,
  edge: adapter,
  telemetry: adapter,
  api: { values: ['core', 'core/ports', 'domain'] },
  // The CLI is a client of the API; from the rest it takes the composition root (`berth serve`),
  // config, and pure words it shares with the console (domain/app-kind-facts.ts).
  cli: { values: ['main', 'config', 'domain'] },
  config: { values: [] },
  main: { values: ['domain', 'core/ports', 'core', 'store', 'engine', 'edge', 'telemetry', 'api', 'config'] },
};

/** Libraries that belong to one layer (main.ts, which wires all, aside): the core never sees HTTP, schemas or SQL. */
const packageHomes: Record<string, Layer[]> = {
  fastify: ['api'],
  '@fastify/': ['api'],
  '@sinclair/typebox': ['api'],
  ajv: ['api'],
  'ajv-formats': ['api'],
  kysely: ['store'],
  pg: ['store', 'engine'],
  'better-sqlite3': ['store'],
};

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

interface ParsedFile {
  file: string;
  relative: string[];
  packages: string[];
  readsEnv: number[];
  childProcess: number[];
  /** Lines of module-level mutable state: a `let`/`var`, or a const Map, Set or array not typed read-only. */
  moduleState: number[];
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

const isTest = (file: string) => file.endsWith('.test.ts');
const rel = (file: string) => path.relative(srcDir, file).split(path.sep).join('/');

function layerOf(file: string): Layer {
  const r = rel(file);
  // The composition root: main.ts, and the parts of it it keeps in main/ (the edge's, the runtimes').
  if (r === 'main.ts' || r.startsWith('main/')) return 'main';
  if (r === 'config.ts' || r.startsWith('config/')) return 'config';
  if (r.startsWith('core/ports/')) return 'core/ports';
  const top = r.split('/')[0] ?? '';
  const known: Layer[] = ['domain', 'core', 'store', 'engine', 'edge', 'telemetry', 'api', 'cli'];
  const found = known.find((layer) => layer === top);
  if (!found)
    throw new Error(`${r} is outside every layer of DESIGN.md: add it to the table in test/architecture.test.ts`);
  return found;
}

function resolveRelative(from: string, specifier: string): string {
  const target = path.resolve(path.dirname(from), specifier);
  const candidates = [target.replace(/\.js$/, '.ts'), `${target}.ts`, path.join(target, 'index.ts')];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) throw new Error(`${rel(from)} imports "${specifier}", which does not resolve to a .ts file in src/`);
  return found;
}

function isTypeOnlyImport(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly;
  const clause = node.importClause;
  if (!clause) return false; // a side-effect import runs the module
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    !clause.name &&
    !!bindings &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

const isChildProcess = (specifier: string) => specifier === 'child_process' || specifier === 'node:child_process';

function parse(file: string, edges: Edge[]): ParsedFile {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const parsed: ParsedFile = { file: rel(file), relative: [], packages: [], readsEnv: [], childProcess: [], moduleState: [] };
  const line = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  const addSpecifier = (specifier: string, node: ts.Node, typeOnly: boolean) => {
    if (specifier.startsWith('.')) {
      const to = resolveRelative(file, specifier);
      parsed.relative.push(rel(to));
      edges.push({ from: file, to, typeOnly });
    } else {
      parsed.packages.push(specifier);
      if (isChildProcess(specifier)) parsed.childProcess.push(line(node));
    }
  };
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      addSpecifier(node.moduleSpecifier.text, node, isTypeOnlyImport(node));
    } else if (ts.isCallExpression(node)) {
      const [first] = node.arguments;
      const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const required = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if ((dynamic || required) && first && ts.isStringLiteralLike(first)) addSpecifier(first.text, node, false);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      addSpecifier(node.argument.literal.text, node, true);
    } else if (readsProcessEnv(node)) {
      parsed.readsEnv.push(line(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const statement of source.statements) if (holdsState(statement)) parsed.moduleState.push(line(statement));
  return parsed;
}

const containers = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array']);

function holdsState(statement: ts.Statement): boolean {
  if (!ts.isVariableStatement(statement)) return false;
  if (!(statement.declarationList.flags & ts.NodeFlags.Const)) return true;
  return statement.declarationList.declarations.some((d) => {
    const init = d.initializer;
    const container = !!init && ((ts.isNewExpression(init) && ts.isIdentifier(init.expression) && containers.has(init.expression.text)) || ts.isArrayLiteralExpression(init));
    const readOnly = !!d.type && (/^Readonly|^readonly /.test(d.type.getText()));
    return container && !readOnly;
  });
}

function readsProcessEnv(node: ts.Node): boolean {
  const onProcess = (expression: ts.Expression) => ts.isIdentifier(expression) && expression.text === 'process';
  if (ts.isPropertyAccessExpression(node)) return onProcess(node.expression) && node.name.text === 'env';
  if (ts.isElementAccessExpression(node)) {
    return (
      onProcess(node.expression) &&
      ts.isStringLiteralLike(node.argumentExpression) &&
      node.argumentExpression.text === 'env'
    );
  }
  // const { env } = process
  if (ts.isVariableDeclaration(node) && node.initializer && ts.isObjectBindingPattern(node.name)) {
    return (
      onProcess(node.initializer) && node.name.elements.some((e) => (e.propertyName ?? e.name).getText() === 'env')
    );
  }
  return false;
}

/** Strongly connected components with more than one file (or a file importing itself). */
function cycles(files: string[], edges: Edge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const edge of edges) next.get(edge.from)?.push(edge.to);
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop();
      if (w === undefined) break;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (next.get(v) ?? []).includes(v)) found.push(component.map(rel).sort());
  };
  for (const file of files) if (!index.has(file)) connect(file);
  return found;
}

const files = sourceFiles(srcDir).sort();
const edges: Edge[] = [];
const parsed = files.map((file) => parse(file, edges));

describe('architecture (DESIGN.md: imports point inward)', () => {
  it('finds the layers it is about', () => {
    const layers = new Set(files.map(layerOf));
    for (const layer of ['domain', 'core', 'core/ports', 'store', 'api', 'main', 'config'] as const)
      expect(layers).toContain(layer);
    expect(edges.length).toBeGreaterThan(100);
  });

  it('every import between layers is one the table allows', () => {
    const violations = edges
      .filter((edge) => !isTest(edge.from))
      .flatMap((edge) => {
        const from = layerOf(edge.from);
        const to = layerOf(edge.to);
        if (from === to) return [];
        const rule = rules[from];
        if (rule.values.includes(to) || (edge.typeOnly && rule.types?.includes(to))) return [];
        const kind = edge.typeOnly ? 'type import' : 'import';
        return [
          `${rel(edge.from)} (${from}) → ${rel(edge.to)} (${to}): ${kind} not allowed; ${from} may import ${describeRule(rule)}`,
        ];
      });
    expect(violations).toEqual([]);
  });

  it('frameworks stay in their layer: HTTP and schemas in api/, SQL in store/', () => {
    const violations = parsed
      .filter((p) => !isTest(path.join(srcDir, p.file)))
      .flatMap((p) =>
        p.packages.flatMap((specifier) => {
          const home = Object.entries(packageHomes).find(([name]) =>
            name.endsWith('/') ? specifier.startsWith(name) : specifier === name || specifier.startsWith(`${name}/`),
          );
          const layer = layerOf(path.join(srcDir, p.file));
          return home && layer !== 'main' && !home[1].includes(layer)
            ? [`${p.file} (${layer}) imports ${specifier}, which belongs in ${home[1].join(', ')}`]
            : [];
        }),
      );
    expect(violations).toEqual([]);
  });

  it('the core and the tree builder depend on ports, never on the process driver', () => {
    // Builders are drivers too: the tree builder runs its steps through engine/builder/build-steps.ts,
    // and main.ts wires the process driver's sandboxed steps to it (DESIGN.md, runtime drivers).
    const processDriver = 'engine/runtime/process/';
    const violations = edges
      .filter((edge) => /^(core|engine\/builder)\//.test(rel(edge.from)) && rel(edge.to).startsWith(processDriver))
      .map((edge) => `${rel(edge.from)} → ${rel(edge.to)}`);
    expect(violations).toEqual([]);
  });

  it('drivers do not reach into each other: the docker driver and database servers share engine/runtime/host, not the process driver', () => {
    const violations = edges
      .filter((edge) => /^engine\/(runtime\/docker|databases|runtime\/host)\//.test(rel(edge.from)) && rel(edge.to).startsWith('engine/runtime/process/'))
      .map((edge) => `${rel(edge.from)} → ${rel(edge.to)}`);
    expect(violations).toEqual([]);
  });

  it('engine parts share code through engine/ itself or runtime/host, never through the builder: database servers take nothing from it', () => {
    const violations = edges
      .filter((edge) => rel(edge.from).startsWith('engine/databases/') && rel(edge.to).startsWith('engine/builder/'))
      .map((edge) => `${rel(edge.from)} → ${rel(edge.to)}`);
    expect(violations).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(cycles(files, edges)).toEqual([]);
  });

  it('only src/config.ts reads process.env', () => {
    const readers = parsed
      .filter((p) => p.file !== 'config.ts' && p.readsEnv.length > 0)
      .map((p) => `${p.file}:${p.readsEnv.join(',')}`);
    expect(readers).toEqual([]);
  });

  it('only src/engine/spawn.ts imports child_process', () => {
    const importers = parsed
      .filter((p) => p.file !== 'engine/spawn.ts' && p.childProcess.length > 0)
      .map((p) => `${p.file}:${p.childProcess.join(',')}`);
    expect(importers).toEqual([]);
  });

  it('core and domain keep no module-level mutable state: it would be shared by every Berth in the process (STYLE habit 6)', () => {
    const holders = parsed
      .filter((p) => /^(core|domain)\//.test(p.file) && !isTest(path.join(srcDir, p.file)) && p.moduleState.length > 0)
      .map((p) => `${p.file}:${p.moduleState.join(',')}`);
    expect(holders).toEqual([]);
  });

  it('sees through strings: the fixture app source is text, not Berth code', () => {
    const fixture = parsed.find((p) => p.file === 'engine/runtime/conformance-fixture.ts');
    if (fixture) expect(fixture.readsEnv).toEqual([]);
    const config = parsed.find((p) => p.file === 'config.ts');
    expect(config?.readsEnv.length).toBeGreaterThan(0);
  });
});

function describeRule(rule: Rule): string {
  const values = rule.values.length > 0 ? rule.values.join(', ') : 'nothing of Berth';
  return rule.types ? `${values} (and types from ${rule.types.join(', ')})` : values;
}
