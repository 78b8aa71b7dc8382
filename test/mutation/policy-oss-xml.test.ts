/**
 * OSS's configuration XML to a policy and back (SPEC S10, docs/behaviour.md#oss-configuration-formats,
 * `src/policy/oss-xml.ts`), pinned to the whole answer: the policy produced, and every issue and
 * warning with its document, path, `at`, line, column, code and sentence. test/oss-xml.test.ts
 * checks codes and places; this file adds the sentences (which tell the two documents, the
 * swapped roots, the ignored suffix and the plural apart), the places that only a value with white
 * space or no text at all tells apart, elements that hold elements where text belongs (one issue,
 * not three), the order of issues that are found out of document order, and the two fallbacks no
 * well-formed input reaches (an exception inside the reader, and a validation failure the XML
 * checks did not foresee), which are reached by replacing a module with a stand-in.
 *
 * Every test loads `src/` afresh: the root names, the element lists and the order of issues are
 * module-level constants, and a mutant of one is seen only by a test that loads the module
 * (docs/testing.md, "Hybrid mutants"). Written to kill the mutants the broader suites let through.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PolicyInput } from '../../src/index.js';
import { runs } from '../support/runs.js';

type OssXml = typeof import('../../src/policy/oss-xml.js');
type Validate = typeof import('../../src/policy/validate.js');
let policyFromOssXml: OssXml['policyFromOssXml'];
let policyToOssXml: OssXml['policyToOssXml'];
let definePolicy: Validate['definePolicy'];

beforeEach(async () => {
  vi.resetModules();
  ({ policyFromOssXml, policyToOssXml } = await import('../../src/policy/oss-xml.js'));
  ({ definePolicy } = await import('../../src/policy/validate.js'));
});

afterEach(() => {
  vi.doUnmock('../../src/policy/xml.js');
  vi.doUnmock('../../src/policy/validate.js');
});

const ROOT = 'BucketProcessConfiguration';
const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
/** A processConfiguration body: the declaration, the root on line 2, one child per line. */
const proc = (...children: string[]) =>
  `${DECL}<${ROOT}>\n${children.map((c) => `  ${c}\n`).join('')}</${ROOT}>\n`;
const ON = '<SourceFileProtect>Enabled</SourceFileProtect>';
/** An enabled configuration, with `◆` where the rules-not-in-api warning is (the root). */
const enabled = (...children: string[]) => proc(ON, ...children).replace(`<${ROOT}>`, `◆<${ROOT}>`);

/** The 1-based line and column of an offset, counted plainly (no byte-order mark here). */
function position(text: string, offset: number) {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** The text without `▶` (issue) and `◆` (warning) markers, and where each marker was. */
function unmark(marked: string) {
  let text = '';
  const issues: number[] = [];
  const warnings: number[] = [];
  for (const ch of marked) {
    if (ch === '▶') issues.push(text.length);
    else if (ch === '◆') warnings.push(text.length);
    else text += ch;
  }
  return {
    text,
    issues: issues.map((o) => position(text, o)),
    warnings: warnings.map((o) => position(text, o)),
  };
}

interface Said {
  code: string;
  path: (string | number)[];
  at: string;
  message: string;
}

const RULES: Said = {
  code: 'rules-not-in-api',
  path: [ROOT],
  at: ROOT,
  message:
    'The processConfiguration API carries no prefix/suffix rules (the console\'s rules): if the bucket has any, add them to the policy\'s "rules" by hand.',
};

interface Row {
  clause: string;
  /** The processConfiguration, marked. */
  process: string;
  /** The style list, marked; absent: none. */
  styles?: string;
  /** The policy, when the import succeeds. */
  policy?: PolicyInput;
  /** Issues in order, each at the next `▶` (the processConfiguration's first, then the style list's). */
  issues?: Said[];
  /** Warnings in order, each at the next `◆`. */
  warnings: Said[];
}

/** The arguments of a row, and the whole result it expects, lines and columns from the markers. */
function expected(row: Row) {
  const process = unmark(row.process);
  const styles = row.styles === undefined ? undefined : unmark(row.styles);
  const place = (said: Said[], which: 'issues' | 'warnings') => {
    const spots = [
      ...process[which].map((p) => ({ document: 'processConfiguration', ...p })),
      ...(styles?.[which] ?? []).map((p) => ({ document: 'styleList', ...p })),
    ];
    if (spots.length !== said.length)
      throw new Error(`${said.length} ${which} but ${spots.length} markers`);
    return said.map((s, i) => ({
      ...spots[i],
      path: s.path,
      at: s.at,
      code: s.code,
      message: s.message,
    }));
  };
  const warnings = place(row.warnings, 'warnings');
  return {
    args: [process.text, styles?.text] as const,
    result:
      row.policy === undefined
        ? { ok: false, issues: place(row.issues ?? [], 'issues'), warnings }
        : { ok: true, policy: definePolicy(row.policy), warnings },
  };
}

function check(rows: Row[]) {
  for (const row of rows)
    it(row.clause, () => {
      const { args, result } = expected(row);
      expect(policyFromOssXml(...args)).toStrictEqual(result);
    });
}

const suffix = (s: string) => `<SourceFileProtectSuffix>${s}</SourceFileProtectSuffix>`;
const delims = (s: string) => `<StyleDelimiters>${s}</StyleDelimiters>`;
const P = (...rest: (string | number)[]) => [ROOT, ...rest];
const at = (...rest: (string | number)[]) =>
  rest.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : `${s}.${p}`), ROOT);
const SUFFIX_EMPTY =
  '<SourceFileProtectSuffix> has an empty entry (two commas in a row, or a comma at an end); remove it.';
const DELIM_EMPTY =
  '<StyleDelimiters> has an empty entry (two commas in a row, or a comma at an end); remove it.';
const PROCESS_EXPECTED =
  'expected <CompliedHost>, <SourceFileProtect>, <SourceFileProtectSuffix>, <StyleDelimiters>, <OssDomainSupportAtProcess>, <Version>, <BucketChannelConfig>.';
const STYLE_FIELDS_EXPECTED =
  'expected <Name>, <Content>, <CreateTime>, <LastModifyTime>, <Category>.';
const NAME_RULE = 'use 1–63 of A–Z, a–z, 0–9, "_", "." and "-"';
const none = { rules: [], caseInsensitive: false, atProcessing: false } as const;

describe('S10 the two roots: which document, and whether the two are swapped', () => {
  check([
    {
      clause: 'S10 a style list given as the processConfiguration: swapped',
      process: '▶<StyleList><Style><Name>small</Name></Style></StyleList>',
      issues: [
        {
          code: 'wrong-root',
          path: ['StyleList'],
          at: 'StyleList',
          message:
            'Expected <BucketProcessConfiguration> (the body of GET /?processConfiguration), found <StyleList>: the two documents are swapped.',
        },
      ],
      warnings: [],
    },
    {
      clause: 'S10 another root as the processConfiguration: not said to be swapped',
      process: `${DECL}▶<CORSConfiguration><CORSRule/></CORSConfiguration>`,
      issues: [
        {
          code: 'wrong-root',
          path: ['CORSConfiguration'],
          at: 'CORSConfiguration',
          message:
            'Expected <BucketProcessConfiguration> (the body of GET /?processConfiguration), found <CORSConfiguration>.',
        },
      ],
      warnings: [],
    },
    {
      clause: 'S10 a processConfiguration given as the style list: swapped',
      process: enabled(),
      styles: `▶<${ROOT}>${ON}</${ROOT}>`,
      issues: [
        {
          code: 'wrong-root',
          path: [ROOT],
          at: ROOT,
          message:
            'Expected <StyleList> (the body of GET /?style), found <BucketProcessConfiguration>: the two documents are swapped.',
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 another root as the style list: not said to be swapped',
      process: enabled(),
      styles: '\n ▶<ListStyleResult/>',
      issues: [
        {
          code: 'wrong-root',
          path: ['ListStyleResult'],
          at: 'ListStyleResult',
          message: 'Expected <StyleList> (the body of GET /?style), found <ListStyleResult>.',
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 both documents swapped: one issue in each, the configuration first',
      process: '▶<StyleList/>',
      styles: `▶<${ROOT}/>`,
      issues: [
        {
          code: 'wrong-root',
          path: ['StyleList'],
          at: 'StyleList',
          message:
            'Expected <BucketProcessConfiguration> (the body of GET /?processConfiguration), found <StyleList>: the two documents are swapped.',
        },
        {
          code: 'wrong-root',
          path: [ROOT],
          at: ROOT,
          message:
            'Expected <StyleList> (the body of GET /?style), found <BucketProcessConfiguration>: the two documents are swapped.',
        },
      ],
      warnings: [],
    },
  ]);
});

describe('S10 input that is not text: an issue at the document, naming it and the type', () => {
  const notText = (document: string, what: string, type: string) => ({
    document,
    path: [],
    at: '(root)',
    line: 1,
    column: 1,
    code: 'not-text',
    message: `The ${what} must be XML text (a string), not ${type}.`,
  });
  const PC = 'processConfiguration';
  const cases: [string, unknown, unknown, ReturnType<typeof notText>[]][] = [
    ['S10 a number as the processConfiguration', 42, undefined, [notText(PC, PC, 'a number')]],
    ['S10 null as the processConfiguration', null, undefined, [notText(PC, PC, 'null')]],
    ['S10 an object as the processConfiguration', {}, undefined, [notText(PC, PC, 'an object')]],
    [
      'S10 undefined as the processConfiguration',
      undefined,
      undefined,
      [notText(PC, PC, 'undefined')],
    ],
    [
      'S10 an array as the processConfiguration',
      ['<x/>'],
      undefined,
      [notText(PC, PC, 'an array')],
    ],
    [
      'S10 a boolean as the processConfiguration, a number as the style list',
      true,
      7,
      [notText(PC, PC, 'a boolean'), notText('styleList', 'style list', 'a number')],
    ],
  ];
  for (const [clause, process, styles, issues] of cases)
    it(clause, () => {
      expect(policyFromOssXml(process as string, styles as string)).toStrictEqual({
        ok: false,
        issues,
        warnings: [],
      });
    });

  it('S10 an array as the style list: the configuration is still read (its warning stays)', () => {
    const { text, warnings } = unmark(enabled());
    expect(policyFromOssXml(text, ['x'] as unknown as string)).toStrictEqual({
      ok: false,
      issues: [notText('styleList', 'style list', 'an array')],
      warnings: [
        {
          document: PC,
          path: RULES.path,
          at: RULES.at,
          ...warnings[0],
          code: RULES.code,
          message: RULES.message,
        },
      ],
    });
  });
});

describe('S10 SourceFileProtect', () => {
  check([
    {
      clause: 'S10 missing: an issue at the root',
      process: proc(suffix('jpg')).replace(`<${ROOT}>`, `▶<${ROOT}>`),
      issues: [
        {
          code: 'missing-element',
          path: [ROOT],
          at: ROOT,
          message:
            '<SourceFileProtect> (Enabled or Disabled) is missing; every processConfiguration has it.',
        },
      ],
      warnings: [],
    },
    {
      clause: 'S10 holding an element: that one issue, neither "missing" nor "invalid"',
      process: proc('<SourceFileProtect>▶<On/></SourceFileProtect>', suffix('jpg')),
      issues: [
        {
          code: 'expected-text',
          path: P('SourceFileProtect', 'On'),
          at: at('SourceFileProtect', 'On'),
          message: '<SourceFileProtect> holds text, not elements such as <On>.',
        },
      ],
      warnings: [],
    },
    {
      clause: 'S10 an invalid value is placed at its first character, after white space',
      process: proc('<SourceFileProtect>\t ▶On </SourceFileProtect>'),
      issues: [
        {
          code: 'invalid-value',
          path: P('SourceFileProtect'),
          at: at('SourceFileProtect'),
          message: '<SourceFileProtect> must be Enabled or Disabled, not "On".',
        },
      ],
      warnings: [],
    },
    {
      clause: 'S10 no value at all is placed just after the start tag',
      process: proc('<SourceFileProtect>▶   </SourceFileProtect>'),
      issues: [
        {
          code: 'invalid-value',
          path: P('SourceFileProtect'),
          at: at('SourceFileProtect'),
          message: '<SourceFileProtect> must be Enabled or Disabled, not "".',
        },
      ],
      warnings: [],
    },
    {
      clause: 'S10 an empty element likewise',
      process: proc('<SourceFileProtect>▶</SourceFileProtect>'),
      issues: [
        {
          code: 'invalid-value',
          path: P('SourceFileProtect'),
          at: at('SourceFileProtect'),
          message: '<SourceFileProtect> must be Enabled or Disabled, not "".',
        },
      ],
      warnings: [],
    },
    {
      clause: 'S10 an attribute on it',
      process: enabled().replace('<SourceFileProtect>', '<SourceFileProtect ▶v="1">'),
      issues: [
        {
          code: 'unexpected-attribute',
          path: P('SourceFileProtect'),
          at: at('SourceFileProtect'),
          message: "<SourceFileProtect> takes no attribute v; OSS's documents carry none.",
        },
      ],
      warnings: [RULES],
    },
  ]);
});

const DISABLED = (suffixText?: string): Said => ({
  code: 'protection-disabled',
  path: P('SourceFileProtect'),
  at: at('SourceFileProtect'),
  message: `SourceFileProtect is Disabled, so OSS protects no original and the policy lists no extension${suffixText === undefined ? '' : `; the SourceFileProtectSuffix ${JSON.stringify(suffixText)} is ignored, as OSS clears it when protection is off`}.`,
});

describe('S10 SourceFileProtect Disabled: no extensions, and a warning that says what is dropped', () => {
  check([
    {
      clause: 'S10 Disabled with a suffix: the warning quotes it, trimmed',
      process: proc('<SourceFileProtect> ◆Disabled</SourceFileProtect>', suffix(' jpg,png ')),
      policy: { ...none, extensions: [] },
      warnings: [DISABLED('jpg,png')],
    },
    {
      clause: 'S10 Disabled without a suffix: the short warning',
      process: proc(delims('-'), '<SourceFileProtect>◆disabled</SourceFileProtect>'),
      policy: { ...none, delimiters: ['-'] },
      warnings: [DISABLED()],
    },
    {
      clause: 'S10 Disabled with a blank suffix: the short warning',
      process: proc('<SourceFileProtect>◆DISABLED</SourceFileProtect>', suffix(' \t ')),
      policy: { ...none },
      warnings: [DISABLED()],
    },
    {
      clause: 'S10 Disabled, and a suffix that holds an element: the element is refused',
      process: proc(
        '<SourceFileProtect>◆Disabled</SourceFileProtect>',
        '<SourceFileProtectSuffix>▶<Suffix>jpg</Suffix></SourceFileProtectSuffix>',
      ),
      issues: [
        {
          code: 'expected-text',
          path: P('SourceFileProtectSuffix', 'Suffix'),
          at: at('SourceFileProtectSuffix', 'Suffix'),
          message: '<SourceFileProtectSuffix> holds text, not elements such as <Suffix>.',
        },
      ],
      warnings: [DISABLED()],
    },
  ]);
});

const IMG: Said = {
  code: 'complied-host-img',
  path: P('CompliedHost'),
  at: at('CompliedHost'),
  message:
    'CompliedHost is Img: OSS reads delimiter-style URLs (key!style) only on the IMG host of the bucket, while the policy reads them on every host (Both); export writes Both.',
};

describe('S10 CompliedHost and OssDomainSupportAtProcess', () => {
  check([
    {
      clause: 'S10 CompliedHost Img: a warning at its value',
      process: enabled('<CompliedHost>\n    ◆Img\n  </CompliedHost>', delims('!')),
      policy: { ...none, delimiters: ['!'] },
      warnings: [RULES, IMG],
    },
    {
      clause: 'S10 CompliedHost Both (any case): nothing to say',
      process: enabled('<CompliedHost>bOTH</CompliedHost>'),
      policy: { ...none },
      warnings: [RULES],
    },
    {
      clause: 'S10 CompliedHost neither Both nor Img',
      process: enabled('<CompliedHost> ▶Oss</CompliedHost>'),
      issues: [
        {
          code: 'invalid-value',
          path: P('CompliedHost'),
          at: at('CompliedHost'),
          message: '<CompliedHost> must be Both or Img, not "Oss".',
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 CompliedHost empty',
      process: enabled('<CompliedHost>▶</CompliedHost>'),
      issues: [
        {
          code: 'invalid-value',
          path: P('CompliedHost'),
          at: at('CompliedHost'),
          message: '<CompliedHost> must be Both or Img, not "".',
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 CompliedHost holding an element: only that',
      process: enabled('<CompliedHost>▶<Img/></CompliedHost>'),
      issues: [
        {
          code: 'expected-text',
          path: P('CompliedHost', 'Img'),
          at: at('CompliedHost', 'Img'),
          message: '<CompliedHost> holds text, not elements such as <Img>.',
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 R2 OssDomainSupportAtProcess enabled (any case) → atProcessing true',
      process: enabled('<OssDomainSupportAtProcess> enabled </OssDomainSupportAtProcess>'),
      policy: { ...none, atProcessing: true },
      warnings: [RULES],
    },
    {
      clause: 'S10 R2 OssDomainSupportAtProcess neither Enabled nor Disabled',
      process: enabled('<OssDomainSupportAtProcess>▶yes</OssDomainSupportAtProcess>'),
      issues: [
        {
          code: 'invalid-value',
          path: P('OssDomainSupportAtProcess'),
          at: at('OssDomainSupportAtProcess'),
          message: '<OssDomainSupportAtProcess> must be Enabled or Disabled, not "yes".',
        },
      ],
      warnings: [RULES],
    },
  ]);
});

describe('S10 the root: its children, attributes and text', () => {
  check([
    {
      clause: 'S10 a real GET response: Version and BucketChannelConfig are accepted and ignored',
      process: enabled(
        '<Version>2</Version>',
        suffix('jpg'),
        '<BucketChannelConfig><RuleList><DefaultRule><Name>default</Name></DefaultRule></RuleList></BucketChannelConfig>',
      ),
      policy: { ...none, extensions: ['jpg'] },
      warnings: [RULES],
    },
    {
      clause: 'S10 an unknown element: the sentence lists what belongs there',
      process: enabled('▶<SourceFileProtectPrefix>a/</SourceFileProtectPrefix>'),
      issues: [
        {
          code: 'unknown-element',
          path: P('SourceFileProtectPrefix'),
          at: at('SourceFileProtectPrefix'),
          message: `<SourceFileProtectPrefix> is not part of <BucketProcessConfiguration>; ${PROCESS_EXPECTED}`,
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 an element given twice',
      process: enabled(delims('-'), `▶${delims('!')}`),
      issues: [
        {
          code: 'duplicate-element',
          path: P('StyleDelimiters'),
          at: at('StyleDelimiters'),
          message:
            '<StyleDelimiters> appears more than once in <BucketProcessConfiguration>; keep one.',
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 namespace declarations (xmlns and xmlns:prefix) are accepted anywhere',
      process: enabled(
        '<SourceFileProtectSuffix xmlns:oss="http://doc.oss-cn-hangzhou.aliyuncs.com">jpg</SourceFileProtectSuffix>',
      ).replace(
        `<${ROOT}>`,
        `<${ROOT} xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com" xmlns:x="u">`,
      ),
      policy: { ...none, extensions: ['jpg'] },
      warnings: [RULES],
    },
    {
      clause: 'S10 another attribute on the root, and one that only starts like a namespace',
      process: enabled().replace(`<${ROOT}>`, `<${ROOT} ▶a="1" ▶xmlnsx="2">`),
      issues: [
        {
          code: 'unexpected-attribute',
          path: [ROOT],
          at: ROOT,
          message: "<BucketProcessConfiguration> takes no attribute a; OSS's documents carry none.",
        },
        {
          code: 'unexpected-attribute',
          path: [ROOT],
          at: ROOT,
          message:
            "<BucketProcessConfiguration> takes no attribute xmlnsx; OSS's documents carry none.",
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 text in the root, placed at its first character',
      process: enabled('  ▶stray'),
      issues: [
        {
          code: 'unexpected-text',
          path: [ROOT],
          at: ROOT,
          message: '<BucketProcessConfiguration> holds elements, not text; remove the text.',
        },
      ],
      warnings: [RULES],
    },
  ]);
});

describe('S10 the comma lists: each problem at its entry, white space skipped', () => {
  check([
    {
      clause: 'S10 an invalid extension after white space is placed at its first character',
      process: enabled(suffix('jpg,  ▶j.pg ,\t▶a_b')),
      issues: [
        {
          code: 'invalid-extension',
          path: P('SourceFileProtectSuffix', 1),
          at: at('SourceFileProtectSuffix', 1),
          message:
            '"j.pg" is not an extension: use 1–16 letters or digits, optionally after one leading ".", or "*" alone.',
        },
        {
          code: 'invalid-extension',
          path: P('SourceFileProtectSuffix', 2),
          at: at('SourceFileProtectSuffix', 2),
          message:
            '"a_b" is not an extension: use 1–16 letters or digits, optionally after one leading ".", or "*" alone.',
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 white space before the first entry',
      process: enabled(suffix('  ▶..png')),
      issues: [
        {
          code: 'invalid-extension',
          path: P('SourceFileProtectSuffix', 0),
          at: at('SourceFileProtectSuffix', 0),
          message:
            '"..png" is not an extension: use 1–16 letters or digits, optionally after one leading ".", or "*" alone.',
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 an entry of white space only is empty, placed at the comma that ends it',
      process: enabled(suffix('jpg,  ▶,png, ▶'), delims(' ▶, -')),
      issues: [
        {
          code: 'empty-entry',
          path: P('SourceFileProtectSuffix', 1),
          at: at('SourceFileProtectSuffix', 1),
          message: SUFFIX_EMPTY,
        },
        {
          code: 'empty-entry',
          path: P('SourceFileProtectSuffix', 3),
          at: at('SourceFileProtectSuffix', 3),
          message: SUFFIX_EMPTY,
        },
        {
          code: 'empty-entry',
          path: P('StyleDelimiters', 0),
          at: at('StyleDelimiters', 0),
          message: DELIM_EMPTY,
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 "*" with another extension',
      process: enabled(suffix('▶*, jpg')),
      issues: [
        {
          code: 'wildcard-mixed',
          path: P('SourceFileProtectSuffix', 0),
          at: at('SourceFileProtectSuffix', 0),
          message: '"*" protects every image, so it must be alone in <SourceFileProtectSuffix>.',
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 "*" alone, with white space',
      process: enabled(suffix(' * ')),
      policy: { ...none, extensions: ['*'] },
      warnings: [RULES],
    },
    {
      clause: 'S10 an extension repeated without its dot and in another case',
      process: enabled(suffix('Jpg,png, ▶.jPG')),
      issues: [
        {
          code: 'duplicate-extension',
          path: P('SourceFileProtectSuffix', 2),
          at: at('SourceFileProtectSuffix', 2),
          message: '".jPG" repeats "Jpg" (extensions compare without "." and case).',
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 delimiters: an unknown one and a repeated one',
      process: enabled(delims('-, ▶|, !,  ▶-')),
      issues: [
        {
          code: 'invalid-delimiter',
          path: P('StyleDelimiters', 1),
          at: at('StyleDelimiters', 1),
          message: '"|" is not a style delimiter; OSS offers "-", "_", "/" and "!".',
        },
        {
          code: 'duplicate-delimiter',
          path: P('StyleDelimiters', 3),
          at: at('StyleDelimiters', 3),
          message: '"-" is listed twice in <StyleDelimiters>; keep one.',
        },
      ],
      warnings: [RULES],
    },
  ]);
});

describe('S10 the style list', () => {
  const style = (...fields: string[]) => `<Style>${fields.join('')}</Style>`;
  check([
    {
      clause: 'S10 every field of a real style is accepted; the names become the catalogue',
      process: enabled(),
      styles: `<StyleList>${style(
        '<Name>small</Name>',
        '<Content>image/resize,p_50</Content>',
        '<CreateTime>Wed, 20 May 2020 12:07:15 GMT</CreateTime>',
        '<LastModifyTime>Wed, 21 May 2020 12:07:15 GMT</LastModifyTime>',
        '<Category>image</Category>',
      )}${style('<Category>document</Category>', '<Name> big </Name>')}</StyleList>`,
      policy: { ...none, styles: ['small', 'big'] },
      warnings: [RULES],
    },
    {
      clause: 'S10 a style without a name is counted from 1 in the sentence',
      process: enabled(),
      styles: `<StyleList>${style('<Name>a</Name>')}\n  ▶${style('<Content>x</Content>')}</StyleList>`,
      issues: [
        {
          code: 'missing-element',
          path: ['StyleList', 'Style', 1],
          at: 'StyleList.Style[1]',
          message: '<Style> number 2 has no <Name>.',
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 a Name that holds an element: only that (no invalid name)',
      process: enabled(),
      styles: `<StyleList>${style('<Name>▶<b>x</b></Name>')}</StyleList>`,
      issues: [
        {
          code: 'expected-text',
          path: ['StyleList', 'Style', 0, 'Name', 'b'],
          at: 'StyleList.Style[0].Name.b',
          message: '<Name> holds text, not elements such as <b>.',
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 a Name with an attribute: said once',
      process: enabled(),
      styles: `<StyleList>${style('<Name ▶lang="en">a</Name>')}</StyleList>`,
      issues: [
        {
          code: 'unexpected-attribute',
          path: ['StyleList', 'Style', 0, 'Name'],
          at: 'StyleList.Style[0].Name',
          message: "<Name> takes no attribute lang; OSS's documents carry none.",
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 the other fields of a style hold text too',
      process: enabled(),
      styles: `<StyleList>${style(
        '<Name>a</Name>',
        '<Content ▶x="1">c</Content>',
        '<CreateTime>▶<Date/></CreateTime>',
        '<LastModifyTime ▶y="2"/>',
        '<Category>▶<c/></Category>',
      )}</StyleList>`,
      issues: [
        {
          code: 'unexpected-attribute',
          path: ['StyleList', 'Style', 0, 'Content'],
          at: 'StyleList.Style[0].Content',
          message: "<Content> takes no attribute x; OSS's documents carry none.",
        },
        {
          code: 'expected-text',
          path: ['StyleList', 'Style', 0, 'CreateTime', 'Date'],
          at: 'StyleList.Style[0].CreateTime.Date',
          message: '<CreateTime> holds text, not elements such as <Date>.',
        },
        {
          code: 'unexpected-attribute',
          path: ['StyleList', 'Style', 0, 'LastModifyTime'],
          at: 'StyleList.Style[0].LastModifyTime',
          message: "<LastModifyTime> takes no attribute y; OSS's documents carry none.",
        },
        {
          code: 'expected-text',
          path: ['StyleList', 'Style', 0, 'Category', 'c'],
          at: 'StyleList.Style[0].Category.c',
          message: '<Category> holds text, not elements such as <c>.',
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 unknown elements in the list and in a style, and a Name given twice',
      process: enabled(),
      styles: `<StyleList>▶<Marker/>${style('<Name>a</Name>', '▶<Owner>x</Owner>', '▶<Name>b</Name>')}</StyleList>`,
      issues: [
        {
          code: 'unknown-element',
          path: ['StyleList', 'Marker'],
          at: 'StyleList.Marker',
          message: '<Marker> is not part of <StyleList>; expected <Style>.',
        },
        {
          code: 'unknown-element',
          path: ['StyleList', 'Style', 0, 'Owner'],
          at: 'StyleList.Style[0].Owner',
          message: `<Owner> is not part of <Style>; ${STYLE_FIELDS_EXPECTED}`,
        },
        {
          code: 'duplicate-element',
          path: ['StyleList', 'Style', 0, 'Name'],
          at: 'StyleList.Style[0].Name',
          message: '<Name> appears more than once in <Style>; keep one.',
        },
      ],
      warnings: [RULES],
    },
    {
      clause:
        'S10 style names: invalid (at the first character, or after the tag when blank), repeated',
      process: enabled(),
      styles: `<StyleList>${style('<Name> ▶a b</Name>')}${style('<Name>▶  </Name>')}${style('<Name>c</Name>')}${style('<Name>\t▶c</Name>')}</StyleList>`,
      issues: [
        {
          code: 'invalid-style-name',
          path: ['StyleList', 'Style', 0, 'Name'],
          at: 'StyleList.Style[0].Name',
          message: `"a b" is not a style name: ${NAME_RULE}.`,
        },
        {
          code: 'invalid-style-name',
          path: ['StyleList', 'Style', 1, 'Name'],
          at: 'StyleList.Style[1].Name',
          message: `"" is not a style name: ${NAME_RULE}.`,
        },
        {
          code: 'duplicate-style',
          path: ['StyleList', 'Style', 3, 'Name'],
          at: 'StyleList.Style[3].Name',
          message: 'The style "c" is listed twice in the style list; keep one.',
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 more than fifty styles',
      process: enabled(),
      styles: `\n▶<StyleList>${Array.from({ length: 51 }, (_, i) => style(`<Name>s${i}</Name>`)).join('')}</StyleList>`,
      issues: [
        {
          code: 'too-many-styles',
          path: ['StyleList'],
          at: 'StyleList',
          message: 'A catalogue holds at most 50 styles; this list has 51.',
        },
      ],
      warnings: [RULES],
    },
  ]);
});

describe('S10 issues come in document order, whenever they were found', () => {
  check([
    {
      clause:
        'S10 a delimiter issue (found last) comes before a style-list issue on an earlier line',
      process: enabled(delims('▶|')),
      styles: '<StyleList>▶<Marker/></StyleList>',
      issues: [
        {
          code: 'invalid-delimiter',
          path: P('StyleDelimiters', 0),
          at: at('StyleDelimiters', 0),
          message: '"|" is not a style delimiter; OSS offers "-", "_", "/" and "!".',
        },
        {
          code: 'unknown-element',
          path: ['StyleList', 'Marker'],
          at: 'StyleList.Marker',
          message: '<Marker> is not part of <StyleList>; expected <Style>.',
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 on one line, by column: the delimiter before the unknown element after it',
      process: `◆<${ROOT}>${ON}${delims('/,▶|')}▶<Foo/></${ROOT}>`,
      issues: [
        {
          code: 'invalid-delimiter',
          path: P('StyleDelimiters', 1),
          at: at('StyleDelimiters', 1),
          message: '"|" is not a style delimiter; OSS offers "-", "_", "/" and "!".',
        },
        {
          code: 'unknown-element',
          path: P('Foo'),
          at: at('Foo'),
          message: `<Foo> is not part of <BucketProcessConfiguration>; ${PROCESS_EXPECTED}`,
        },
      ],
      warnings: [RULES],
    },
    {
      clause: 'S10 warnings too: the root warning first, then Img, on later lines',
      process: enabled('<CompliedHost>◆Img</CompliedHost>'),
      policy: { ...none },
      warnings: [RULES, IMG],
    },
  ]);
});

/** The policy checks' model of one comma list of extensions (docs/behaviour.md#validation). */
function extensionModel(entries: { pad: string; value: string; tail: string }[], start: number) {
  const issues: { index: number; offset: number; code: string; message: string }[] = [];
  const nonEmpty = entries.filter((e) => e.value !== '').length;
  const seen = new Map<string, string>();
  let offset = start;
  entries.forEach((e, index) => {
    // An empty entry is placed where its white space ends (at the comma, or the end tag).
    const first = offset + e.pad.length + (e.value === '' ? e.tail.length : 0);
    offset += e.pad.length + e.value.length + e.tail.length + 1;
    const add = (code: string, message: string) =>
      issues.push({ index, offset: first, code, message });
    if (e.value === '') add('empty-entry', SUFFIX_EMPTY);
    else if (e.value === '*') {
      if (nonEmpty > 1)
        add(
          'wildcard-mixed',
          '"*" protects every image, so it must be alone in <SourceFileProtectSuffix>.',
        );
    } else if (!/^\.?[A-Za-z0-9]{1,16}$/.test(e.value))
      add(
        'invalid-extension',
        `"${e.value}" is not an extension: use 1–16 letters or digits, optionally after one leading ".", or "*" alone.`,
      );
    else {
      const key = e.value.replace(/^\./, '').toLowerCase();
      const earlier = seen.get(key);
      if (earlier !== undefined)
        add(
          'duplicate-extension',
          `"${e.value}" repeats "${earlier}" (extensions compare without "." and case).`,
        );
      else seen.set(key, e.value);
    }
  });
  return issues;
}

describe('S10 property: every entry of a suffix list is judged and placed as the model says', () => {
  it('matches the model on lists of padded, empty, invalid, repeated and wildcard entries', () => {
    const entry = fc.record({
      pad: fc.constantFrom('', ' ', '\t', '  '),
      value: fc.constantFrom('', 'jpg', '.JPG', 'png', '*', 'j.pg', 'a-b', 'x'.repeat(17), 'Gif'),
      tail: fc.constantFrom('', ' ', '\t'),
    });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), (list) => {
        const text = list.map((e) => `${e.pad}${e.value}${e.tail}`).join(',');
        const head = `${DECL}<${ROOT}>\n  ${ON}\n  <SourceFileProtectSuffix>`;
        const xml = `${head}${text}</SourceFileProtectSuffix>\n</${ROOT}>\n`;
        const result = policyFromOssXml(xml);
        const model = text.trim() === '' ? [] : extensionModel(list, head.length);
        if (model.length === 0) {
          expect(result.ok, JSON.stringify(!result.ok && result.issues)).toBe(true);
          return;
        }
        expect(result.ok === false && result.issues).toStrictEqual(
          model.map((m) => ({
            document: 'processConfiguration',
            path: [ROOT, 'SourceFileProtectSuffix', m.index],
            at: `${ROOT}.SourceFileProtectSuffix[${m.index}]`,
            ...position(xml, m.offset),
            code: m.code,
            message: m.message,
          })),
        );
      }),
      { numRuns: runs(300) },
    );
  });
});

describe('S10 the fallbacks no well-formed input reaches', () => {
  it('an exception inside the reader is an answer, never thrown', async () => {
    vi.resetModules();
    vi.doMock('../../src/policy/xml.js', async (original) => ({
      ...(await original<typeof import('../../src/policy/xml.js')>()),
      readXml: () => {
        throw new Error('reader broke');
      },
    }));
    const fresh = await import('../../src/policy/oss-xml.js');
    expect(fresh.policyFromOssXml(`<${ROOT}/>`)).toStrictEqual({
      ok: false,
      issues: [
        {
          document: 'processConfiguration',
          path: [],
          at: '(root)',
          code: 'unreadable',
          message: 'The configuration could not be read: reader broke.',
          line: 1,
          column: 1,
        },
      ],
      warnings: [],
    });
  });

  it('what validation still finds is reported at the root, with the warnings', async () => {
    vi.resetModules();
    const seen: unknown[] = [];
    vi.doMock('../../src/policy/validate.js', async (original) => ({
      ...(await original<Validate>()),
      validatePolicy: (input: unknown) => {
        seen.push(input);
        return {
          ok: false,
          issues: [
            { path: ['extensions'], at: 'extensions', code: 'too-many-rules', message: 'one' },
            { path: [], at: '(root)', code: 'unknown-field', message: 'two' },
          ],
        };
      },
    }));
    const fresh = await import('../../src/policy/oss-xml.js');
    const { text } = unmark(enabled(suffix('jpg')));
    const root = { document: 'processConfiguration', path: [ROOT], at: ROOT, line: 2, column: 1 };
    expect(fresh.policyFromOssXml(text)).toStrictEqual({
      ok: false,
      issues: [
        { ...root, code: 'too-many-rules', message: 'one' },
        { ...root, code: 'unknown-field', message: 'two' },
      ],
      warnings: [{ ...root, code: RULES.code, message: RULES.message }],
    });
    expect(seen).toStrictEqual([{ extensions: ['jpg'], delimiters: [], atProcessing: false }]);
  });

  it('validation is handed what the XML carries: a catalogue only when a style list is given', async () => {
    vi.resetModules();
    const seen: unknown[] = [];
    vi.doMock('../../src/policy/validate.js', async (original) => {
      const real = await original<Validate>();
      return {
        ...real,
        validatePolicy: (input: unknown) => {
          seen.push(input);
          return real.validatePolicy(input);
        },
      };
    });
    const fresh = await import('../../src/policy/oss-xml.js');
    const xml = unmark(enabled(delims('!,-'), suffix('.PNG'))).text;
    expect(fresh.policyFromOssXml(xml).ok).toBe(true);
    expect(
      fresh.policyFromOssXml(xml, '<StyleList><Style><Name>s</Name></Style></StyleList>').ok,
    ).toBe(true);
    expect(seen).toStrictEqual([
      { extensions: ['.PNG'], delimiters: ['!', '-'], atProcessing: false },
      { extensions: ['.PNG'], delimiters: ['!', '-'], styles: ['s'], atProcessing: false },
    ]);
  });
});

const EXPORT_RULES = (n: number) =>
  `PutBucketProcessConfiguration carries no prefix/suffix rules; set the policy's ${n} ${n === 1 ? 'rule' : 'rules'} in the OSS console.`;

describe('S10 export: the body, and a warning for each part the API cannot carry', () => {
  it('writes the declaration and one element per line, in OSS order', () => {
    const out = policyToOssXml(definePolicy({ extensions: ['.JPG', 'png'], delimiters: ['_'] }));
    expect(out).toStrictEqual({
      xml: `${DECL}<${ROOT}>\n  <CompliedHost>Both</CompliedHost>\n  <SourceFileProtect>Enabled</SourceFileProtect>\n  <SourceFileProtectSuffix>jpg,png</SourceFileProtectSuffix>\n  <StyleDelimiters>_</StyleDelimiters>\n  <OssDomainSupportAtProcess>Disabled</OssDomainSupportAtProcess>\n</${ROOT}>\n`,
      styleListXml: undefined,
      warnings: [],
    });
  });

  it('a catalogue is written as a style list, with a warning', () => {
    const out = policyToOssXml(definePolicy({ styles: ['a', 'b.c'], atProcessing: true }));
    expect(out).toStrictEqual({
      xml: `${DECL}<${ROOT}>\n  <CompliedHost>Both</CompliedHost>\n  <SourceFileProtect>Disabled</SourceFileProtect>\n  <SourceFileProtectSuffix></SourceFileProtectSuffix>\n  <StyleDelimiters></StyleDelimiters>\n  <OssDomainSupportAtProcess>Enabled</OssDomainSupportAtProcess>\n</${ROOT}>\n`,
      styleListXml: `${DECL}<StyleList>\n  <Style>\n    <Name>a</Name>\n  </Style>\n  <Style>\n    <Name>b.c</Name>\n  </Style>\n</StyleList>\n`,
      warnings: [
        {
          path: ['styles'],
          at: 'styles',
          code: 'styles-not-carried',
          message:
            'PutBucketProcessConfiguration carries no styles: the catalogue is written apart as a style list (names only); create each style in OSS with its content (PutStyle).',
        },
      ],
    });
  });

  it('rules are counted in the warning (one rule, two rules), and caseInsensitive is named', () => {
    const one = policyToOssXml(definePolicy({ rules: [{ prefix: 'a/' }] }));
    expect(one.warnings).toStrictEqual([
      { path: ['rules'], at: 'rules', code: 'rules-not-carried', message: EXPORT_RULES(1) },
    ]);
    const two = policyToOssXml(
      definePolicy({ rules: [{ prefix: 'a/' }, { suffix: '.psd' }], caseInsensitive: true }),
    );
    expect(two.warnings).toStrictEqual([
      { path: ['rules'], at: 'rules', code: 'rules-not-carried', message: EXPORT_RULES(2) },
      {
        path: ['caseInsensitive'],
        at: 'caseInsensitive',
        code: 'case-insensitive-not-carried',
        message:
          'PutBucketProcessConfiguration has no case-insensitive switch (extensions always compare in any case); set it with the rules in the OSS console.',
      },
    ]);
    expect(two.xml).toContain('<SourceFileProtect>Enabled</SourceFileProtect>');
  });
});
