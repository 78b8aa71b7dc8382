/**
 * The string shapes the matcher's equivalence tests and the warm benchmarks feed it
 * (`bench/shapes.ts`) are the shapes they claim: checked in a child `node --allow-natives-syntax`
 * with V8's `%DebugPrint`, which names each string's internal type.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { allShapes, type Shape } from '../bench/shapes.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'oss-source-guard-shapes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** V8's type names for each shape (one-byte and two-byte variants of the indirect ones). */
const TYPES: Record<Shape, RegExp> = {
  'flat one-byte': /^ONE_BYTE_STRING_TYPE$/,
  'flat two-byte': /^STRING_TYPE$/,
  sliced: /^SLICED_(ONE_BYTE_)?STRING_TYPE$/,
  concatenated: /^CONS_(ONE_BYTE_)?STRING_TYPE$/,
};

const KEYS = [
  'images/2024/05/IMG_1234.jpg',
  'a/b.jpg',
  'café/crème brûlée.JPG',
  '图片/2024/猫の写真.jpg',
  'x\ud800y/lone-surrogate.png',
  '\u017fecret/\u0130mage.\u212a',
  'ab\u00e9',
];

describe('bench/shapes.ts builds the string shapes it names', () => {
  it('every shape of every key, as V8 reports it', () => {
    const bundle = join(dir, 'shapes.mjs');
    buildSync({
      entryPoints: [join(root, 'bench', 'shapes.ts')],
      outfile: bundle,
      bundle: true,
      format: 'esm',
      platform: 'node',
      logLevel: 'silent',
    });
    const script = join(dir, 'check.mjs');
    // Labels go through %DebugPrint too (as small integers): it writes with C stdio, whose output
    // would not interleave with console.log's.
    writeFileSync(
      script,
      `import { allShapes } from ${JSON.stringify(bundle)};
let n = 0;
for (const key of ${JSON.stringify(KEYS)})
  for (const salt of [0, 1, 2])
    for (const [, s] of allShapes(key, salt)) {
      if (s !== key) throw new Error('content changed');
      %DebugPrint(n++);
      %DebugPrint(s);
    }
`,
    );
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', script], {
      encoding: 'utf8',
    });
    const types = new Map<number, string>();
    let label = -1;
    for (const line of out.split('\n')) {
      const smi = /^DebugPrint: Smi: 0x[0-9a-f]+ \((\d+)\)/.exec(line);
      if (smi) label = Number(smi[1]);
      const type = /^ - type: (\w+)/.exec(line);
      if (type && label !== -1) {
        types.set(label, type[1] as string);
        label = -1;
      }
    }
    let n = 0;
    for (const key of KEYS)
      for (const salt of [0, 1, 2])
        for (const [shape] of allShapes(key, salt))
          expect(types.get(n++), `${shape} of ${JSON.stringify(key)}`).toMatch(TYPES[shape]);
    expect(n).toBeGreaterThan(40);
    // Every shape occurs among the keys.
    const shapes = new Set(KEYS.flatMap((key) => allShapes(key).map(([s]) => s)));
    expect([...shapes].sort()).toEqual(Object.keys(TYPES).sort());
  });
});
