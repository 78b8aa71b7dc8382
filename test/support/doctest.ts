/**
 * The doc-test runner (the contract: `.lead/DOCTEST.md`). It finds the `ts` and `js` fenced
 * blocks of a Markdown file, turns their assertion comments into assertions, and writes each block
 * as an ES module that the test imports through vitest, so `oss-source-guard` and its
 * subpaths resolve to the `src/` entry files and no build is needed.
 *
 * Assertion comments, on the line that ends an expression statement:
 * - `expr; // → LITERAL`: the value of `expr` deep-equals LITERAL (`assert.deepStrictEqual`);
 * - `expr; // → partial {…}` (or `partial […]`): only the fields written are compared, at every
 *   depth of objects (arrays compare element by element and must have the same length);
 * - `expr; // throws NAME`: evaluating `expr` throws (or rejects with) an error whose `name` is
 *   NAME.
 * A promise is awaited before it is compared. Any other comment holding `→`, a `…` in LITERAL,
 * a LITERAL that does not parse, or an assertion comment that does not end an expression
 * statement is an error of the block: the runner never skips what it cannot read.
 *
 * `ts` blocks are also type-checked together ({@link typeCheckBlocks}), as a user's strict
 * TypeScript project would compile them.
 *
 * Not run: blocks right after `<!-- examples/NAME -->` (copies of `examples/`, run in their real
 * runtimes by test/adapters/examples.test.ts) and every other language. A `json` block whose info
 * string also says `policy` (```` ```json policy ````) is validated as a policy by the suite.
 */
import { AssertionError, deepStrictEqual } from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where transformed blocks are written: one folder per process, so two runs at once do not
 * share files; the suite removes it when it ends.
 */
export const TMP_DIR = join(ROOT, 'test', '.doctest-tmp', String(process.pid));

/** The package's entry points → the `src/` files they are built from (tsup.config.ts). */
export const ENTRY_FILES: Readonly<Record<string, string>> = {
  'oss-source-guard': 'src/index.ts',
  'oss-source-guard/verify': 'src/verify/index.ts',
  'oss-source-guard/fetch': 'src/adapters/fetch.ts',
  'oss-source-guard/hono': 'src/adapters/hono.ts',
  'oss-source-guard/node': 'src/adapters/node.ts',
};

/** One fenced block of a Markdown file. */
export interface FencedBlock {
  /** `docs/FILE.md`, from the repository root. */
  readonly file: string;
  /** The line of the opening fence (1-based). */
  readonly line: number;
  /** The first word of the info string (`ts`, `json`, `decision`), lower-cased. */
  readonly lang: string;
  /** The whole info string. */
  readonly info: string;
  readonly code: string;
  /** The block copies `examples/NAME` (an `<!-- examples/NAME -->` comment right above it). */
  readonly example: string | undefined;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const EXAMPLE_MARK = /^\s*<!--\s*examples\/(\S+)\s*-->\s*$/;

/** Every fenced block of `text`, with its line and info string. */
export function fencedBlocks(text: string, file: string): FencedBlock[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const out: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] as string);
    if (!open) continue;
    const indent = (open[1] as string).length;
    const mark = open[2] as string;
    const info = (open[3] as string).trim();
    // A backtick fence's info string cannot hold a backtick (CommonMark): not a fence.
    if (mark[0] === '`' && info.includes('`')) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = FENCE.exec(lines[j] as string);
      if (
        close &&
        (close[2] as string)[0] === mark[0] &&
        (close[2] as string).length >= mark.length &&
        (close[3] as string).trim() === ''
      )
        break;
      // Strip the opening fence's indentation, as CommonMark does.
      body.push((lines[j] as string).replace(new RegExp(`^ {0,${indent}}`), ''));
    }
    let k = i - 1;
    while (k >= 0 && (lines[k] as string).trim() === '') k--;
    const example = k >= 0 ? EXAMPLE_MARK.exec(lines[k] as string)?.[1] : undefined;
    out.push({
      file,
      line: i + 1,
      lang: (info.split(/\s+/)[0] ?? '').toLowerCase(),
      info,
      code: body.join('\n'),
      example,
    });
    i = j;
  }
  return out;
}

/** The blocks the runner executes: `ts` and `js`, except copies of `examples/`. */
export function docTestBlocks(text: string, file: string): FencedBlock[] {
  return fencedBlocks(text, file).filter(
    (b) => (b.lang === 'ts' || b.lang === 'js') && b.example === undefined,
  );
}

/** README.md and every docs/*.md (docs/api/ is generated, and not read). */
export function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

/** A block the runner cannot read: the message names the file and line. */
export class DocTestSyntaxError extends Error {
  override readonly name = 'DocTestSyntaxError';
}

const ARROW = /^\/\/\s*→\s*(.*)$/;
const THROWS = /^\/\/\s*throws\s+(.*)$/;
const ERROR_NAME = /^[A-Za-z_$][\w$]*$/;

type Assertion =
  | { readonly kind: 'equal'; readonly literal: string }
  | { readonly kind: 'partial'; readonly literal: string }
  | { readonly kind: 'throws'; readonly name: string };

/** Parse the text of one assertion comment, or explain why it cannot be read. */
function readAssertion(comment: string, where: string): Assertion | undefined {
  const throws = THROWS.exec(comment);
  if (throws) {
    const name = (throws[1] as string).trim();
    if (!ERROR_NAME.test(name))
      throw new DocTestSyntaxError(`${where}: "// throws" needs an error name, got "${name}"`);
    return { kind: 'throws', name };
  }
  const arrow = ARROW.exec(comment);
  if (!arrow) {
    if (comment.includes('→'))
      throw new DocTestSyntaxError(`${where}: cannot read the comment ${JSON.stringify(comment)}`);
    return undefined;
  }
  let text = (arrow[1] as string).trim();
  let kind: 'equal' | 'partial' = 'equal';
  if (/^partial\s/.test(text)) {
    kind = 'partial';
    text = text.slice('partial'.length).trim();
  }
  if (text === '') throw new DocTestSyntaxError(`${where}: "// →" needs a value`);
  if (text.includes('…'))
    throw new DocTestSyntaxError(
      `${where}: "…" is not a value; write the fields you mean and use "// → partial {…}"`,
    );
  const probe = ts.createSourceFile('v.ts', `(${text});`, ts.ScriptTarget.ES2022, true);
  const diagnostics = (probe as unknown as { parseDiagnostics: readonly ts.Diagnostic[] })
    .parseDiagnostics;
  const statement = probe.statements[0];
  if (
    diagnostics.length > 0 ||
    probe.statements.length !== 1 ||
    statement === undefined ||
    !ts.isExpressionStatement(statement)
  )
    throw new DocTestSyntaxError(`${where}: the value after "→" is not an expression: ${text}`);
  const value = skipParens(statement.expression);
  if (
    kind === 'partial' &&
    !ts.isObjectLiteralExpression(value) &&
    !ts.isArrayLiteralExpression(value)
  )
    throw new DocTestSyntaxError(`${where}: "→ partial" needs an object or array literal`);
  return { kind, literal: text };
}

function skipParens(e: ts.Expression): ts.Expression {
  return ts.isParenthesizedExpression(e) ? skipParens(e.expression) : e;
}

/**
 * Every `//` comment of a block, from the syntax tree's trivia (a text search would misread `//`
 * inside strings and regular expressions).
 */
function lineComments(sf: ts.SourceFile): { pos: number; end: number; text: string }[] {
  const out: { pos: number; end: number; text: string }[] = [];
  const seen = new Set<number>();
  const visit = (node: ts.Node) => {
    for (const ranges of [
      ts.getLeadingCommentRanges(sf.text, node.getFullStart()),
      ts.getTrailingCommentRanges(sf.text, node.getEnd()),
    ]) {
      for (const r of ranges ?? []) {
        if (r.kind !== ts.SyntaxKind.SingleLineCommentTrivia || seen.has(r.pos)) continue;
        seen.add(r.pos);
        out.push({ pos: r.pos, end: r.end, text: sf.text.slice(r.pos, r.end) });
      }
    }
    ts.forEachChild(node, visit);
  };
  // The end-of-file token is a child too: it carries the comments after the last statement.
  visit(sf);
  return out.sort((a, b) => a.pos - b.pos);
}

/** The transformed module of one block, ready to be written and imported. */
export interface TransformedBlock {
  readonly code: string;
  /** How many assertions the block makes. */
  readonly assertions: number;
}

/**
 * Turn a block into a module: assertion comments become calls to the helpers of this file,
 * package imports point at `src/`. `fromDir` is the folder the module is written to.
 */
export function transformBlock(block: FencedBlock, fromDir: string): TransformedBlock {
  const at = (pos: number, sf: ts.SourceFile) =>
    `${block.file}:${block.line + 1 + sf.getLineAndCharacterOfPosition(pos).line}`;
  const sf = ts.createSourceFile(
    'block.ts',
    block.code,
    ts.ScriptTarget.ES2022,
    true,
    ts.ScriptKind.TS,
  );
  const diagnostics = (sf as unknown as { parseDiagnostics: readonly ts.Diagnostic[] })
    .parseDiagnostics;
  if (diagnostics.length > 0) {
    const d = diagnostics[0] as ts.Diagnostic;
    throw new DocTestSyntaxError(
      `${at(d.start ?? 0, sf)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
  }
  // Expression statements by the line they end on.
  const statements = new Map<number, ts.ExpressionStatement>();
  const collect = (node: ts.Node) => {
    if (ts.isExpressionStatement(node))
      statements.set(sf.getLineAndCharacterOfPosition(node.getEnd()).line, node);
    ts.forEachChild(node, collect);
  };
  collect(sf);

  const edits: { start: number; end: number; text: string }[] = [];
  let assertions = 0;
  for (const c of lineComments(sf)) {
    const where = at(c.pos, sf);
    const assertion = readAssertion(c.text, where);
    if (assertion === undefined) continue;
    const line = sf.getLineAndCharacterOfPosition(c.pos).line;
    const statement = statements.get(line);
    // The comment must follow the statement on its last line, nothing but space between them.
    if (statement === undefined || sf.text.slice(statement.getEnd(), c.pos).trim() !== '')
      throw new DocTestSyntaxError(
        `${where}: an assertion comment must end an expression statement (\`expr; // → value\`)`,
      );
    const expr = statement.expression.getText(sf);
    const label = JSON.stringify(where);
    const text =
      assertion.kind === 'throws'
        ? `await __doc.throws(async () => (${expr}), ${JSON.stringify(assertion.name)}, ${label});`
        : `await __doc.${assertion.kind}(await (${expr}), (${assertion.literal}), ${label});`;
    edits.push({ start: statement.getStart(sf), end: c.end, text });
    assertions++;
  }
  for (const spec of moduleSpecifiers(sf)) {
    const entry = ENTRY_FILES[spec.text];
    if (entry === undefined) continue;
    let path = relative(fromDir, join(ROOT, entry)).split('\\').join('/');
    if (!path.startsWith('.')) path = `./${path}`;
    edits.push({ start: spec.getStart(sf), end: spec.getEnd(), text: JSON.stringify(path) });
  }
  let code = block.code;
  for (const e of edits.sort((a, b) => b.start - a.start))
    code = code.slice(0, e.start) + e.text + code.slice(e.end);
  let helpers = relative(fromDir, fileURLToPath(import.meta.url))
    .split('\\')
    .join('/');
  if (!helpers.startsWith('.')) helpers = `./${helpers}`;
  const js = ts.transpileModule(code, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: false,
    },
  }).outputText;
  return {
    code: `import * as __doc from ${JSON.stringify(helpers)};\n${js}\nexport {};\n`,
    assertions,
  };
}

/** The string literals naming modules: static imports, exports, and `import('…')`. */
function moduleSpecifiers(sf: ts.SourceFile): ts.StringLiteral[] {
  const out: ts.StringLiteral[] = [];
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      out.push(node.moduleSpecifier);
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    )
      out.push(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/**
 * Write a block's module under {@link TMP_DIR} and return its path; import it to run it. Each
 * block gets its own file (named by file and line), so no state is shared between blocks.
 */
export function writeBlockModule(
  block: FencedBlock,
  tag = '',
): { path: string; assertions: number } {
  mkdirSync(TMP_DIR, { recursive: true });
  const name = `${block.file.replace(/[^A-Za-z0-9]+/g, '_')}_${block.line}${tag}.mjs`;
  const path = join(TMP_DIR, name);
  const { code, assertions } = transformBlock(block, TMP_DIR);
  // Unchanged modules are not rewritten, so a watching vitest does not see them change.
  if (!existsSync(path) || readFileSync(path, 'utf8') !== code) writeFileSync(path, code);
  return { path, assertions };
}

/**
 * Type-check `ts` blocks as a user's project would (strict, NodeNext, the package names mapped to
 * `src/`), with one `tsc` run over all of them. Returns one line per error, naming the Markdown
 * file and line: `docs/x.md:12: TS2339: …`; empty when every block type-checks.
 */
export function typeCheckBlocks(blocks: readonly FencedBlock[]): string[] {
  // Outside the repository: the project's own tsconfig includes test/, and must not see these.
  const dir = mkdtempSync(join(tmpdir(), 'oss-source-guard-doc-types-'));
  const byName = new Map<string, FencedBlock>();
  blocks.forEach((block, i) => {
    if (block.lang !== 'ts') return;
    const name = `b${i}.mts`;
    byName.set(name, block);
    // `export {}` makes a block without imports a module too, as the runner runs it.
    writeFileSync(join(dir, name), `${block.code}\nexport {};\n`);
  });
  const paths = Object.fromEntries(
    Object.entries(ENTRY_FILES).map(([name, file]) => [name, [join(ROOT, file)]]),
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules', '@types')],
        paths,
      },
      include: ['*.mts'],
    }),
  );
  let output = '';
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    output = String((error as { stdout?: unknown }).stdout ?? error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const errors: string[] = [];
  for (const line of output.split('\n')) {
    const m = /(?:^|[\\/])(b\d+\.mts)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line);
    const block = m && byName.get(m[1] as string);
    if (m && block) errors.push(`${block.file}:${block.line + Number(m[2])}: ${m[3]}: ${m[4]}`);
    // Errors outside the blocks (src/, the config) are reported whole.
    else if (/error TS\d+/.test(line)) errors.push(line);
  }
  return errors;
}

/** Read a repository file (for the suite). */
export const readRepoFile = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

// ---- The helpers a transformed block calls. ----

const prefix = (where: string, error: unknown): never => {
  if (error instanceof AssertionError) error.message = `${where}: ${error.message}`;
  throw error;
};

/** `// → literal`. @internal */
export function equal(actual: unknown, expected: unknown, where: string): void {
  try {
    deepStrictEqual(actual, expected);
  } catch (error) {
    prefix(where, error);
  }
}

/** The parts of `actual` that `expected` names, at every depth of objects. */
function pick(actual: unknown, expected: unknown): unknown {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return actual;
    return expected.map((e, i) => pick(actual[i], e));
  }
  if (
    typeof expected === 'object' &&
    expected !== null &&
    Object.getPrototypeOf(expected) === Object.prototype
  ) {
    if (typeof actual !== 'object' || actual === null) return actual;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(expected))
      if (k in actual)
        out[k] = pick(
          (actual as Record<string, unknown>)[k],
          (expected as Record<string, unknown>)[k],
        );
    return out;
  }
  return actual;
}

/** `// → partial {…}`. @internal */
export function partial(actual: unknown, expected: unknown, where: string): void {
  equal(pick(actual, expected), expected, where);
}

/** `// throws NAME`. @internal */
export async function throws(
  run: () => Promise<unknown>,
  name: string,
  where: string,
): Promise<void> {
  let value: unknown;
  try {
    value = await run();
  } catch (error) {
    const got = (error as { name?: unknown } | null)?.name;
    if (got === name) return;
    throw new AssertionError({
      message: `${where}: expected an error named ${name}, got ${String(got)}: ${String((error as Error)?.message ?? error)}`,
    });
  }
  throw new AssertionError({
    message: `${where}: expected an error named ${name}, got the value ${JSON.stringify(value)}`,
  });
}
