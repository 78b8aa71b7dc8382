/**
 * SPEC S10: OSS's configuration XML to a policy and back. The case table (test/cases/oss-xml.ts)
 * pins every documented field and every refusal with its code, element path, line and column;
 * the properties show that import never throws, that the XML reader reads back what was written,
 * and that export then import is the identity on what the API carries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  definePolicy,
  formatPath,
  lintPolicy,
  type Policy,
  PolicyError,
  type PolicyInput,
  policyFromOssXml,
  policyToOssXml,
} from '../src/index.js';
import { lineColumn, readXml, type XmlElement } from '../src/policy/xml.js';
import { type Expected, ossXmlCases, processXml, styleList } from './cases/oss-xml.js';
import { policyInputArb } from './support/arbitraries.js';
import { runs } from './support/runs.js';

/** The text without its markers, and the line and column of each `marker`, in order. */
function markers(marked: string, marker: string, other: string) {
  const positions: number[] = [];
  let text = '';
  for (const ch of marked) {
    if (ch === marker) positions.push(text.length);
    else if (ch !== other) text += ch;
  }
  return { text, at: positions.map((p) => lineColumn(text, p)) };
}

/** Expected issues (or warnings) with the line and column of their markers in each document. */
function located(
  expected: readonly Expected[],
  docs: { document: string; at: { line: number; column: number }[] }[],
) {
  const out: (Expected & { document: string; line: number; column: number })[] = [];
  let k = 0;
  for (const { document, at } of docs)
    for (const position of at) {
      const e = expected[k++];
      if (e === undefined) throw new Error('more markers than expected entries');
      out.push({ ...e, document, ...position });
    }
  if (k !== expected.length) throw new Error(`${expected.length} entries but ${k} markers`);
  return out;
}

const pick = (i: { code: string; at: string; document: string; line: number; column: number }) => ({
  code: i.code,
  at: i.at,
  document: i.document,
  line: i.line,
  column: i.column,
});

describe('S10 import case table', () => {
  for (const row of ossXmlCases) {
    it(row.clause, () => {
      const p = markers(row.process, '▶', '◆');
      const pw = markers(row.process, '◆', '▶');
      const s = row.styles === undefined ? undefined : markers(row.styles, '▶', '◆');
      const sw = row.styles === undefined ? undefined : markers(row.styles, '◆', '▶');
      const result = policyFromOssXml(p.text, s?.text);
      const docs = (a: typeof p, b: typeof s) => [
        { document: 'processConfiguration', at: a.at },
        ...(b === undefined ? [] : [{ document: 'styleList', at: b.at }]),
      ];
      if ('policy' in row) {
        expect(result.ok, JSON.stringify(!result.ok && result.issues)).toBe(true);
        if (!result.ok) return;
        expect(result.policy).toStrictEqual(definePolicy(row.policy));
      } else {
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.issues.map(pick)).toEqual(located(row.issues, docs(p, s)));
        for (const i of result.issues) {
          expect(i.at).toBe(formatPath(i.path));
          expect(i.message.length).toBeGreaterThan(20);
        }
      }
      if (row.warnings !== undefined)
        expect(result.warnings.map(pick)).toEqual(located(row.warnings, docs(pw, sw)));
      for (const w of result.warnings) expect(w.at).toBe(formatPath(w.path));
    });
  }

  it('every issue and warning code in the table is one of the documented codes', () => {
    const codes = new Set(
      ossXmlCases
        .flatMap((r) => [...('issues' in r ? r.issues : []), ...(r.warnings ?? [])])
        .map((e) => e.code),
    );
    // The codes OssXmlIssueCode and OssXmlWarningCode name for S10 (not the S2 fallbacks).
    for (const code of [
      'xml-too-large',
      'xml-syntax',
      'xml-dtd',
      'xml-entity',
      'xml-too-deep',
      'xml-unsupported',
      'wrong-root',
      'unknown-element',
      'duplicate-element',
      'missing-element',
      'unexpected-attribute',
      'unexpected-text',
      'expected-text',
      'invalid-value',
      'empty-entry',
      'invalid-extension',
      'duplicate-extension',
      'wildcard-mixed',
      'invalid-delimiter',
      'duplicate-delimiter',
      'too-many-styles',
      'invalid-style-name',
      'duplicate-style',
      'complied-host-img',
      'protection-disabled',
      'rules-not-in-api',
    ])
      expect(codes, code).toContain(code);
  });
});

describe('S10 import: input that is not text', () => {
  it('a number, null or an object is an issue, not an exception', () => {
    for (const value of [42, null, {}, ['<x/>']]) {
      const result = policyFromOssXml(value as unknown as string);
      expect(result).toMatchObject({
        ok: false,
        issues: [{ code: 'not-text', line: 1, column: 1 }],
      });
    }
    const styles = policyFromOssXml(
      processXml('<SourceFileProtect>Disabled</SourceFileProtect>'),
      7 as unknown as string,
    );
    expect(styles).toMatchObject({
      ok: false,
      issues: [{ code: 'not-text', document: 'styleList' }],
    });
  });

  it('an imported policy is a policy: frozen, and lint sees what the bucket protects', () => {
    const result = policyFromOssXml(processXml('<SourceFileProtect>Disabled</SourceFileProtect>'));
    if (!result.ok) throw new Error('expected a policy');
    expect(Object.isFrozen(result.policy)).toBe(true);
    expect(lintPolicy(result.policy).map((w) => w.code)).toEqual(['protects-nothing']);
  });
});

/** Text the XML reader must accept: any XML character but `<` and `&` raw. */
const xmlChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'ab jpg,.-_/!*\t\n\r'.split('')) },
  { weight: 1, arbitrary: fc.constantFrom('<', '>', '&', '"', "'", ']]>', '图', '😀', '\u00a0') },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 0x20, max: 0x10ffff })
      .filter((c) => (c < 0xd800 || c > 0xdfff) && c !== 0xfffe && c !== 0xffff)
      .map((c) => String.fromCodePoint(c)),
  },
);
const xmlText = fc.array(xmlChar, { maxLength: 12 }).map((a) => a.join(''));
/** A text written the ways XML allows: escaped, as character references, in CDATA. */
const written = (text: string, how: number) => {
  if (how === 1 && !text.includes(']]>')) return `<![CDATA[${text}]]>`;
  return [...text]
    .map((c, i) =>
      c === '<' || c === '&' || c === '>'
        ? `&${{ '<': 'lt', '&': 'amp', '>': 'gt' }[c]};`
        : how === 2 && i % 2 === 0
          ? `&#x${(c.codePointAt(0) as number).toString(16)};`
          : c,
    )
    .join('');
};

interface Tree {
  name: string;
  text: string;
  children: Tree[];
}
const nameArb = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/);
/** Trees up to `levels` deep (five, as OSS's deepest shape). */
const treeArb = (levels: number): fc.Arbitrary<Tree> =>
  fc.record({
    name: nameArb,
    text: xmlText,
    children: levels <= 1 ? fc.constant([]) : fc.array(treeArb(levels - 1), { maxLength: 3 }),
  });
const tree = treeArb(5);

function serialise(t: Tree, how: number): string {
  if (t.text === '' && t.children.length === 0 && how === 0) return `<${t.name}/>`;
  return `<${t.name}>${written(t.text, how)}${t.children.map((c) => serialise(c, how)).join('<!-- c -->')}</${t.name} >`;
}
const shape = (e: XmlElement): Tree => ({
  name: e.name,
  text: e.text,
  children: e.children.map(shape),
});

describe('the XML reader (properties)', () => {
  it('reads back every tree it is given, however its text is written', () => {
    fc.assert(
      fc.property(tree, fc.integer({ min: 0, max: 2 }), (t, how) => {
        const read = readXml(`<?xml version="1.0"?>\n${serialise(t, how)}\n`);
        expect(read.ok, JSON.stringify(!read.ok && read.error)).toBe(true);
        if (read.ok) expect(shape(read.root)).toEqual(t);
      }),
      { numRuns: runs(1_000) },
    );
  });

  it('never throws, and points inside the text, on arbitrary strings', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.constantFrom(
        '<',
        '</',
        '>',
        '/>',
        '&',
        '&amp;',
        '&#x41;',
        '&#0;',
        '&lol;',
        '<!DOCTYPE x>',
        '<!ENTITY a "b">',
        '<![CDATA[',
        ']]>',
        '<!--',
        '-->',
        '<?xml version="1.0"?>',
        '<?pi?>',
        '<BucketProcessConfiguration>',
        '</BucketProcessConfiguration>',
        '<SourceFileProtect>Enabled</SourceFileProtect>',
        '<SourceFileProtectSuffix>',
        '</SourceFileProtectSuffix>',
        '<StyleList>',
        '<Style><Name>',
        'jpg,png',
        ' a="1"',
        '\ud800',
        '\ufeff',
      ),
    );
    const text = fc.array(piece, { maxLength: 24 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, fc.option(text, { nil: undefined }), (process, styles) => {
        const result = policyFromOssXml(process, styles);
        if (result.ok) return;
        expect(result.issues.length).toBeGreaterThan(0);
        for (const i of result.issues) {
          const source = i.document === 'styleList' ? (styles as string) : process;
          expect(i.line).toBeGreaterThanOrEqual(1);
          expect(i.line).toBeLessThanOrEqual(source.split('\n').length);
          expect(i.column).toBeGreaterThanOrEqual(1);
          expect(i.message).not.toBe('');
          expect(i.code).not.toBe('unreadable');
        }
      }),
      { numRuns: runs(3_000) },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(typeof policyFromOssXml(s).ok).toBe('boolean');
      }),
      { numRuns: runs(2_000) },
    );
  });

  it('an element nested past the bound is refused at any size of input, without recursion', () => {
    const deep = `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`;
    const read = readXml(deep);
    expect(read).toMatchObject({ ok: false, error: { code: 'xml-too-deep', offset: 48 } });
  });
});

/** What the API carries of a policy: no rules, so no case switch either. */
const carried = (input: PolicyInput): PolicyInput => ({
  ...input,
  rules: [],
  caseInsensitive: false,
});
const withAt = fc
  .tuple(policyInputArb, fc.boolean())
  .map(([input, atProcessing]): PolicyInput => ({ ...input, atProcessing }));

describe('S10 export', () => {
  it('writes the body PUT /?processConfiguration takes, and the catalogue as a style list', () => {
    const out = policyToOssXml(
      definePolicy({
        extensions: ['*'],
        delimiters: ['-', '!'],
        styles: ['small'],
        atProcessing: true,
      }),
    );
    expect(out.xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<BucketProcessConfiguration>\n  <CompliedHost>Both</CompliedHost>\n  <SourceFileProtect>Enabled</SourceFileProtect>\n  <SourceFileProtectSuffix>*</SourceFileProtectSuffix>\n  <StyleDelimiters>!,-</StyleDelimiters>\n  <OssDomainSupportAtProcess>Enabled</OssDomainSupportAtProcess>\n</BucketProcessConfiguration>\n',
    );
    expect(out.styleListXml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<StyleList>\n  <Style>\n    <Name>small</Name>\n  </Style>\n</StyleList>\n',
    );
    expect(out.warnings.map((w) => ({ code: w.code, at: w.at }))).toEqual([
      { code: 'styles-not-carried', at: 'styles' },
    ]);
  });

  it('a policy that protects nothing exports SourceFileProtect Disabled; one with rules Enabled', () => {
    expect(policyToOssXml(definePolicy({})).xml).toContain(
      '<SourceFileProtect>Disabled</SourceFileProtect>',
    );
    const ruled = policyToOssXml(
      definePolicy({ rules: [{ prefix: 'a/' }], caseInsensitive: true }),
    );
    expect(ruled.xml).toContain('<SourceFileProtect>Enabled</SourceFileProtect>');
    expect(ruled.xml).toContain('<SourceFileProtectSuffix></SourceFileProtectSuffix>');
    expect(ruled.styleListXml).toBeUndefined();
    expect(ruled.warnings.map((w) => [w.code, w.at])).toEqual([
      ['rules-not-carried', 'rules'],
      ['case-insensitive-not-carried', 'caseInsensitive'],
    ]);
  });

  it('refuses a look-alike that is not a policy', () => {
    expect(() => policyToOssXml({ extensions: ['a.b'] } as unknown as Policy)).toThrow(PolicyError);
  });

  it('property: export then import is the identity on every policy without rules', () => {
    fc.assert(
      fc.property(withAt, (input) => {
        const policy = definePolicy(carried(input));
        const out = policyToOssXml(policy);
        const back = policyFromOssXml(out.xml, out.styleListXml);
        expect(back.ok, JSON.stringify(!back.ok && back.issues)).toBe(true);
        if (back.ok) expect(back.policy).toStrictEqual(policy);
      }),
      { numRuns: runs(2_000) },
    );
  });

  it('property: on any policy, import(export) drops exactly what the warnings name', () => {
    fc.assert(
      fc.property(withAt, (input) => {
        const policy = definePolicy(input);
        const out = policyToOssXml(policy);
        const back = policyFromOssXml(out.xml);
        if (!back.ok) throw new Error(JSON.stringify(back.issues));
        const { styles: _, ...rest } = carried(input);
        expect(back.policy).toStrictEqual(definePolicy(rest));
        const dropped = [
          policy.rules.length > 0 ? 'rules' : undefined,
          policy.caseInsensitive ? 'caseInsensitive' : undefined,
          policy.styles !== undefined ? 'styles' : undefined,
        ].filter((f) => f !== undefined);
        expect(out.warnings.map((w) => w.at)).toEqual(dropped);
      }),
      { numRuns: runs(1_000) },
    );
  });

  it('property: import then export then import gives the same policy (OSS shapes with noise)', () => {
    const entry = fc.constantFrom('jpg', '.PNG', 'gif', 'webp', 'Heic', '.tif');
    fc.assert(
      fc.property(
        fc.uniqueArray(entry, { selector: (e) => e.replace('.', '').toLowerCase(), maxLength: 5 }),
        fc.subarray(['-', '_', '/', '!']),
        fc.boolean(),
        fc.constantFrom(' ', '', '\n  '),
        (exts, delims, at, pad) => {
          const xml = processXml(
            '<Version>2</Version>',
            '<SourceFileProtect>Enabled</SourceFileProtect>',
            `<SourceFileProtectSuffix>${pad}${exts.join(`${pad},`)}${pad}</SourceFileProtectSuffix>`,
            `<StyleDelimiters>${delims.join(',')}</StyleDelimiters>`,
            `<OssDomainSupportAtProcess>${at ? 'Enabled' : 'Disabled'}</OssDomainSupportAtProcess>`,
          );
          const first = policyFromOssXml(xml, styleList('small'));
          if (!first.ok) throw new Error(JSON.stringify(first.issues));
          const out = policyToOssXml(first.policy);
          const second = policyFromOssXml(out.xml, out.styleListXml);
          if (!second.ok) throw new Error(JSON.stringify(second.issues));
          expect(second.policy).toStrictEqual(first.policy);
        },
      ),
      { numRuns: runs(500) },
    );
  });
});
