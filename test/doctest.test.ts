/**
 * The documentation runs: every `ts`/`js` block of README.md and docs/*.md is executed against
 * `src/` (test/support/doctest.ts), every decision example of docs/behaviour.md is checked
 * against `evaluate`, and no shipped text cites the old specification.
 */
import { readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { definePolicy, evaluate, validatePolicy } from '../src/index.js';
import {
  BEHAVIOUR_FILE,
  locatedBehaviourDecisions,
  markdownAnchors,
  parseDecisionExamples,
} from './support/behaviour-examples.js';
import {
  DocTestSyntaxError,
  docFiles,
  docTestBlocks,
  fencedBlocks,
  ROOT,
  readRepoFile,
  TMP_DIR,
  typeCheckBlocks,
  writeBlockModule,
} from './support/doctest.js';

// In watch mode the modules stay (deleting files the module graph holds would trigger a re-run).
afterAll(() => {
  if (process.env.VITEST_MODE === 'WATCH') return;
  rmSync(TMP_DIR, { recursive: true, force: true });
  // The parent too, unless another run is using it.
  if (readdirSync(dirname(TMP_DIR)).length === 0) rmdirSync(dirname(TMP_DIR));
});

/** Run one block as a module; resolves when it ran and every assertion held. */
async function runBlock(text: string, file: string, tag = ''): Promise<number> {
  const [block] = docTestBlocks(text, file);
  if (block === undefined) throw new Error('no block');
  const { path, assertions } = writeBlockModule(block, tag);
  await import(/* @vite-ignore */ pathToFileURL(path).href);
  return assertions;
}

describe('doc tests', () => {
  for (const file of docFiles()) {
    const blocks = docTestBlocks(readRepoFile(file), file);
    for (const block of blocks) {
      it(`${file}:${block.line}`, async () => {
        const { path } = writeBlockModule(block);
        await import(/* @vite-ignore */ pathToFileURL(path).href);
      });
    }
  }

  // A user copies these into a TypeScript project: they must compile there, not only run.
  // One tsc run over every block: seconds, more on a loaded machine.
  it('every ts block type-checks (strict, NodeNext)', { timeout: 180_000 }, () => {
    const blocks = docFiles().flatMap((file) => docTestBlocks(readRepoFile(file), file));
    expect(typeCheckBlocks(blocks)).toEqual([]);
  });

  it('docs/behaviour.md has doc tests', () => {
    expect(docTestBlocks(readRepoFile(BEHAVIOUR_FILE), BEHAVIOUR_FILE).length).toBeGreaterThan(10);
  });
});

describe('policies written as `json policy` blocks are valid', () => {
  for (const file of docFiles()) {
    for (const block of fencedBlocks(readRepoFile(file), file)) {
      if (block.lang !== 'json' || !/\bpolicy\b/.test(block.info)) continue;
      it(`${file}:${block.line}`, () => {
        const result = validatePolicy(JSON.parse(block.code));
        expect(result.ok ? [] : result.issues).toEqual([]);
      });
    }
  }
  it('docs/example-policy.json', () => {
    const result = validatePolicy(JSON.parse(readRepoFile('docs/example-policy.json')));
    expect(result.ok ? [] : result.issues).toEqual([]);
  });
});

describe('decision examples of docs/behaviour.md', () => {
  const examples = locatedBehaviourDecisions();

  for (const ex of examples) {
    it(`${ex.at} (${ex.section}) ${ex.title}`, () => {
      const d = evaluate(
        { method: ex.method, url: ex.url, headers: ex.headers },
        definePolicy(ex.policy as Parameters<typeof definePolicy>[0]),
      );
      expect({
        decision: d.allow ? 'allow' : 'deny',
        status: d.allow ? 200 : d.status,
        reason: d.reason,
      }).toEqual({ decision: ex.decision, status: ex.status, reason: ex.reason });
    });
  }

  it('are many, spread over the sections, allows and denials alike', () => {
    expect(examples.length).toBeGreaterThanOrEqual(50);
    expect(new Set(examples.map((e) => e.section)).size).toBeGreaterThanOrEqual(12);
    expect(examples.some((e) => e.decision === 'allow')).toBe(true);
    expect(examples.some((e) => e.decision === 'deny')).toBe(true);
  });

  it('show every reason evaluate gives (invalid-signature and expired-signature need options: ts blocks)', () => {
    const reasons = new Set(examples.map((e) => e.reason));
    const all = [
      'not-a-read',
      'signed',
      'not-an-object',
      'not-protected',
      'style',
      'invalid-request',
      'malformed-signature',
      'no-such-style',
      'original',
      'inline-processing',
      'ambiguous-processing',
      'protected-watermark',
    ];
    expect(all.filter((r) => !reasons.has(r))).toEqual([]);
  });

  it('sit in sections that exist', () => {
    const anchors = new Set(markdownAnchors(readRepoFile(BEHAVIOUR_FILE)));
    expect(examples.map((e) => e.section).filter((s) => !anchors.has(s))).toEqual([]);
  });
});

describe('the runner itself', () => {
  const md = (code: string, lang = 'ts') => `# t\n\n\`\`\`${lang}\n${code}\n\`\`\`\n`;
  const cases: { name: string; code: string; error: RegExp | undefined }[] = [
    { name: 'a true arrow passes', code: '1 + 1; // → 2', error: undefined },
    {
      name: 'a wrong value fails',
      code: '1 + 1; // → 3',
      error: /t\.md:4.*Expected values to be strictly deep-equal/s,
    },
    {
      name: 'deep equality, not identity',
      code: '({ a: [1] }); // → { a: [1] }',
      error: undefined,
    },
    {
      name: 'a missing field fails without partial',
      code: '({ a: 1, b: 2 }); // → { a: 1 }',
      error: /deep-equal/,
    },
    {
      name: 'partial compares only the fields written',
      code: '({ a: 1, b: { c: 2, d: 3 } }); // → partial { b: { c: 2 } }',
      error: undefined,
    },
    {
      name: 'partial still fails on a wrong field',
      code: '({ a: 1, b: 2 }); // → partial { b: 3 }',
      error: /deep-equal/,
    },
    { name: 'a promise is awaited', code: 'Promise.resolve(4); // → 4', error: undefined },
    {
      name: 'throws with the right name passes',
      code: "JSON.parse('{'); // throws SyntaxError",
      error: undefined,
    },
    {
      name: 'throws with another name fails',
      code: "JSON.parse('{'); // throws TypeError",
      error: /expected an error named TypeError, got SyntaxError/,
    },
    {
      name: 'throws without an error fails',
      code: '1; // throws Error',
      error: /expected an error named Error, got the value 1/,
    },
    {
      name: 'a rejection counts as a throw',
      code: "Promise.reject(new RangeError('x')); // throws RangeError",
      error: undefined,
    },
    {
      name: 'an arrow comment it cannot parse fails',
      code: '1; // →→ 2',
      error: /the value after "→" is not an expression/,
    },
    {
      name: 'an ellipsis is not a value',
      code: '({ a: 1 }); // → { a: 1, … }',
      error: /"…" is not a value/,
    },
    {
      name: 'an arrow elsewhere in a comment fails',
      code: '1; // gives → 1',
      error: /cannot read the comment/,
    },
    {
      name: 'an arrow not ending a statement fails',
      code: 'const x = 1; // → 1',
      error: /must end an expression statement/,
    },
    {
      name: 'partial needs an object',
      code: '1; // → partial 1',
      error: /needs an object or array literal/,
    },
    {
      name: 'package imports resolve to src',
      code: "import { definePolicy } from 'oss-source-guard';\ndefinePolicy({}).extensions; // → []",
      error: undefined,
    },
    {
      name: 'top-level await works',
      code: "const { verifySignature } = await import('oss-source-guard/verify');\ntypeof verifySignature; // → 'function'",
      error: undefined,
    },
    { name: 'a block that throws fails', code: "throw new Error('boom');", error: /boom/ },
  ];
  cases.forEach((c, i) => {
    it(c.name, async () => {
      const run = runBlock(md(c.code), 't.md', `_self${i}`);
      if (c.error === undefined) await expect(run).resolves.toBeGreaterThanOrEqual(0);
      else await expect(run).rejects.toThrow(c.error);
    });
  });

  it('reports syntax problems as DocTestSyntaxError with file and line', async () => {
    await expect(runBlock(md('let = ;'), 'x.md', '_syntax')).rejects.toBeInstanceOf(
      DocTestSyntaxError,
    );
    await expect(runBlock(md('1;\n2; // → 3 4'), 'x.md', '_line')).rejects.toThrow(/^x\.md:5:/);
  });

  it('type-checking names the Markdown line of an error', { timeout: 120_000 }, () => {
    const blocks = docTestBlocks(
      "# t\n\n```ts\nconst ok = 1;\nconst n: number = 'x';\n```\n",
      't.md',
    );
    expect(typeCheckBlocks(blocks)).toEqual([
      "t.md:5: TS2322: Type 'string' is not assignable to type 'number'.",
    ]);
  });

  it('runs ts and js blocks only, and skips copies of examples/', () => {
    const text = [
      '```ts',
      'a',
      '```',
      '```js',
      'b',
      '```',
      '```sh',
      'c',
      '```',
      '<!-- examples/fetch.ts -->',
      '',
      '```ts',
      'd',
      '```',
      '```json',
      '{}',
      '```',
    ].join('\n');
    expect(docTestBlocks(text, 'f.md').map((b) => [b.code, b.line])).toEqual([
      ['a', 1],
      ['b', 4],
    ]);
    expect(fencedBlocks(text, 'f.md').find((b) => b.code === 'd')?.example).toBe('fetch.ts');
  });

  it('reads decision examples, and refuses a line it cannot read', () => {
    const ok =
      '## Styles\n\n```decision\npolicy: {"rules":[]}\n\n# t\nGET https://h/a.jpg\nx-a: 1\n→ allow 200 not-protected\n```\n';
    expect(parseDecisionExamples(ok, 'f.md')).toEqual([
      {
        section: 'styles',
        title: 't',
        policy: { rules: [] },
        url: 'https://h/a.jpg',
        method: 'GET',
        headers: { 'x-a': '1' },
        decision: 'allow',
        status: 200,
        reason: 'not-protected',
        at: 'f.md:6',
      },
    ]);
    expect(() => parseDecisionExamples(ok.replace('→ allow 200', '→ allow 403'), 'f.md')).toThrow(
      /f\.md:9/,
    );
    expect(() => parseDecisionExamples(ok.replace('→ allow', '-> allow'), 'f.md')).toThrow(
      /f\.md:9/,
    );
    expect(() => parseDecisionExamples(ok.replace('GET https://h', 'GET /h'), 'f.md')).toThrow(
      /absolute/,
    );
    expect(() =>
      parseDecisionExamples(ok.replace('\n→ allow 200 not-protected', ''), 'f.md'),
    ).toThrow(/no "→ allow\|deny" line/);
    expect(() => parseDecisionExamples(ok.replace('{"rules":[]}', '{rules}'), 'f.md')).toThrow(
      /f\.md:4: the policy is not JSON/,
    );
  });

  it('anchors as GitHub makes them', () => {
    expect(
      markdownAnchors(
        '# A `b` c\n## Hosts and buckets\n## S1–S10: old\n## Hosts and buckets\n```\n# no\n```',
      ),
    ).toEqual(['a-b-c', 'hosts-and-buckets', 's1s10-old', 'hosts-and-buckets-1']);
  });
});

describe('links to the behaviour reference', () => {
  const anchors = new Set(markdownAnchors(readRepoFile(BEHAVIOUR_FILE)));
  const files = [...docFiles(), ...walk('src')];
  it.each(files)('%s links only to sections that exist', (file) => {
    const text = readRepoFile(file);
    const broken = [...text.matchAll(/behaviour\.md#([\w-]+)/g)]
      .map((m) => m[1] as string)
      .filter((a) => !anchors.has(a));
    expect(broken).toEqual([]);
  });
});

/** Every file under `dir` (from the repository root). */
function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`],
  );
}

describe('no shipped text cites the old specification', () => {
  // What ships or is published: src/ (dist, its .d.ts and the CLI's help are built from it), the
  // README, CHANGELOG.md and every docs/*.md (they ship in the package). Excluded: docs/api/
  // (generated from src/, so src/ covers it; it does not ship) and test/ (test names may keep
  // the old clause ids, S1…S10).
  const shipped = [...walk('src'), ...docFiles(), 'CHANGELOG.md'];
  const numbered = (file: string) =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .map((line, i) => `${i + 1}: ${line.trim()}`);
  it.each(shipped)('%s', (file) => {
    expect(numbered(file).filter((line) => /\bSPEC\b/.test(line))).toEqual([]);
  });

  // A bare clause id ("(S4)", "S3.2", "S8 R2") is a citation of it too. Amazon S3 is not.
  const CLAUSE = /(?<![\w-])S(?:10|[1-9])(?:\.[1-3])?(?: R2)?(?![\w-])/;
  const AMAZON_S3 = /S3-compatible|OSS and S3:|AWS S3|Amazon S3/;
  it.each(walk('src'))('%s cites no clause id', (file) => {
    const cited = numbered(file).filter((line) => CLAUSE.test(line) && !AMAZON_S3.test(line));
    expect(cited).toEqual([]);
  });
});
