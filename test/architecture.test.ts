/**
 * The house rules of docs/architecture.md, enforced: no import cycles, no `node:` import in the
 * core, the exact public export list of each entry point, and `@internal` on every export between
 * modules that no entry point re-exports.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(src);
const rel = (file: string) => relative(src, file).replaceAll('\\', '/');

/** Entry points: what users import, by package subpath. */
const ENTRIES: Readonly<Record<string, string>> = {
  '.': 'index.ts',
  './verify': 'verify/index.ts',
  './fetch': 'adapters/fetch.ts',
  './hono': 'adapters/hono.ts',
  './node': 'adapters/node.ts',
};

/** Files that may import Node's modules: the CLI and the Node adapter. */
const mayUseNode = (file: string) => /^(cli\/|adapters\/node)/.test(rel(file));

const program = ts.createProgram(files, {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
});
const checker = program.getTypeChecker();

/** Every module specifier a file imports or re-exports, `import type` included. */
function specifiers(file: string): string[] {
  const sf = program.getSourceFile(file) as ts.SourceFile;
  const out: string[] = [];
  for (const statement of sf.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier !== undefined &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      out.push(statement.moduleSpecifier.text);
    }
  }
  return out;
}

const localTarget = (from: string, spec: string): string | undefined =>
  spec.startsWith('.') ? resolve(dirname(from), spec.replace(/\.js$/, '.ts')) : undefined;

describe('architecture', () => {
  it('has no import cycle (type imports count too)', () => {
    const graph = new Map(
      files.map((f) => [
        f,
        specifiers(f)
          .map((s) => localTarget(f, s))
          .filter((t): t is string => t?.endsWith('.ts') === true),
      ]),
    );
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(f)), f].map(rel).join(' → '));
        return;
      }
      state.set(f, 'visiting');
      for (const t of graph.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('keeps the core free of Node modules (only the CLI and the Node adapter may use them)', () => {
    const builtins = new Set(
      // A bare builtin name (`fs`) is as Node-only as `node:fs`.
      ['fs', 'path', 'url', 'util', 'crypto', 'http', 'https', 'net', 'os', 'stream', 'buffer'],
    );
    const offenders = files
      .filter((f) => !mayUseNode(f))
      .flatMap((f) =>
        specifiers(f)
          .filter((s) => s.startsWith('node:') || builtins.has(s.split('/')[0] as string))
          .map((s) => `${rel(f)} imports ${s}`),
      );
    expect(offenders).toEqual([]);
  });

  it('imports nothing outside the package in the library (zero runtime dependencies)', () => {
    const offenders = files
      .filter((f) => !mayUseNode(f))
      .flatMap((f) =>
        specifiers(f)
          .filter((s) => !s.startsWith('.'))
          .map((s) => `${rel(f)} imports ${s}`),
      );
    expect(offenders).toEqual([]);
  });
});

/** The names an entry point exports, values and types alike, sorted. */
function exportsOf(entry: string): string[] {
  const sf = program.getSourceFile(join(src, entry)) as ts.SourceFile;
  const symbol = checker.getSymbolAtLocation(sf) as ts.Symbol;
  return checker
    .getExportsOfModule(symbol)
    .map((s) => s.getName())
    .sort();
}

describe('public API', () => {
  // An API change must be deliberate: update this list, the CHANGELOG and the docs together.
  it('the main entry exports exactly these names', () => {
    expect(exportsOf(ENTRIES['.'] as string)).toEqual(
      [
        'Access',
        'Allow',
        'AllowReason',
        'CompiledPolicy',
        'DELIMITERS',
        'Decision',
        'Delimiter',
        'Denial',
        'DenyReason',
        'DetectOptions',
        'Endpoint',
        'ErrorResponse',
        'ErrorResponseOptions',
        'EvaluateOptions',
        'HeadersLike',
        'LIMITS',
        'MatchOptions',
        'OssXmlDocument',
        'OssXmlExport',
        'OssXmlExportWarning',
        'OssXmlExportWarningCode',
        'OssXmlImportResult',
        'OssXmlIssue',
        'OssXmlIssueCode',
        'OssXmlWarning',
        'OssXmlWarningCode',
        'ParsedRequest',
        'ParsedUrl',
        'Policy',
        'PolicyError',
        'PolicyInput',
        'PolicyIssue',
        'PolicyIssueCode',
        'PolicyWarning',
        'PolicyWarningCode',
        'ProcessParam',
        'ProtectionExplanation',
        'ProtectionMatch',
        'ProtectionRule',
        'ProtectionRuleInput',
        'QueryParam',
        'Reading',
        'ReadingDecision',
        'ReadingSource',
        'RequestLike',
        'RuleTest',
        'SignatureInfo',
        'SignatureScheme',
        'StyleUrlError',
        'StyleUrlErrorCode',
        'StyleUrlOptions',
        'UrlError',
        'UrlOptions',
        'ValidationResult',
        'Watermarks',
        'compilePolicy',
        'definePolicy',
        'detectSignature',
        'encodeObjectKey',
        'errorResponse',
        'evaluate',
        'explainProtection',
        'formatPath',
        'headerValue',
        'headerValues',
        'isAnonymous',
        'isImageContentType',
        'isPolicy',
        'isProtected',
        'keyExtension',
        'lintPolicy',
        'matchProtection',
        'parseRequestUrl',
        'policyFromOssXml',
        'policyToOssXml',
        'styleUrl',
        'validatePolicy',
        'xmlEscape',
      ].sort(),
    );
  });

  it('oss-source-guard/verify exports exactly these names', () => {
    expect(exportsOf(ENTRIES['./verify'] as string)).toEqual(
      [
        'VerifiableScheme',
        'VerifyFailure',
        'VerifyOptions',
        'VerifyResult',
        'VerifySuccess',
        'verifyAndEvaluate',
        'verifySignature',
      ].sort(),
    );
  });

  // The adapters share the option and decision types of adapters/options.ts.
  it.each([
    [
      './fetch',
      [
        'createFetchGuard',
        'FetchGuard',
        'FetchGuardOptions',
        'GuardAllow',
        'GuardBaseOptions',
        'GuardDecision',
        'GuardDenial',
        'GuardSignature',
        'GuardVerifyOptions',
      ],
    ],
    [
      './hono',
      [
        'ossSourceGuard',
        'HonoContextLike',
        'HonoGuardMiddleware',
        'HonoGuardOptions',
        'GuardAllow',
        'GuardBaseOptions',
        'GuardDecision',
        'GuardDenial',
        'GuardSignature',
        'GuardVerifyOptions',
      ],
    ],
    [
      './node',
      [
        'createNodeGuard',
        'NodeDenyResponse',
        'NodeDenyResult',
        'NodeGuard',
        'NodeGuardOptions',
        'NodeRequestLike',
        'NodeResponseLike',
        'GuardAllow',
        'GuardBaseOptions',
        'GuardDecision',
        'GuardDenial',
        'GuardSignature',
        'GuardVerifyOptions',
      ],
    ],
  ] as const)('oss-source-guard/%s exports exactly these names', (entry, names) => {
    expect(exportsOf(ENTRIES[entry] as string)).toEqual([...names].sort());
  });

  it('tags @internal every export between modules that no entry point re-exports', () => {
    const publicNames = new Set(Object.values(ENTRIES).flatMap(exportsOf));
    const untagged: string[] = [];
    for (const file of files.filter((f) => !rel(f).startsWith('cli/'))) {
      if (Object.values(ENTRIES).includes(rel(file)) || rel(file).endsWith('/index.ts')) continue;
      const sf = program.getSourceFile(file) as ts.SourceFile;
      const moduleSymbol = checker.getSymbolAtLocation(sf);
      if (moduleSymbol === undefined) continue;
      for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
        if (publicNames.has(symbol.getName())) continue;
        const declarations = symbol.getDeclarations() ?? [];
        // Re-exports of another module's names are judged where they are declared.
        if (declarations.every((d) => d.getSourceFile() !== sf)) continue;
        const tagged = declarations.some((d) =>
          ts.getJSDocTags(d).some((t) => t.tagName.text === 'internal'),
        );
        if (!tagged) untagged.push(`${rel(file)}: ${symbol.getName()}`);
      }
    }
    expect(untagged).toEqual([]);
  });
});
