/**
 * The second half of the strict XML reader (SPEC S10, `src/policy/xml.ts` from `text()` on):
 * attributes, start and end tags, what may stand outside the root element, the XML declaration,
 * the document loop (references, CDATA, the end of the text), the size bound, and the helpers the
 * importer uses to place its issues (`textOffset`, `lineColumn`) and to write XML
 * (`escapeXmlText`). Behaviour: docs/behaviour.md#oss-configuration-formats.
 *
 * A table of malformed documents pins each refusal of XML 1.0 with its code, offset, open
 * elements and what its message says (the importer shows the message next to the line and
 * column); a table of small well-formed documents pins the element fields a reading of the spec
 * gives (`firstTextOffset` is the first character data that is not XML white space: a reference
 * counts at its `&`, CDATA at its first non-space character). A property builds random element
 * trees, writes them with offsets recorded as they are written, and compares every field of
 * `readXml` and every `textOffset` of the leaves with that record. Written to kill the mutants
 * the broader suites (test/oss-xml.test.ts) let through.
 *
 * Kept out on purpose: a CDATA section left open in the root's first child (some mutants loop
 * forever on it; the table's open CDATA sits two levels deep, where the mutant stops at the depth
 * bound), and before every CDATA section or comment the property writes a few spaces, for the
 * same reason (see EQUIVALENT.md).
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  lineColumn,
  readXml,
  textOffset,
  type XmlElement,
  type XmlErrorCode,
} from '../../src/policy/xml.js';
import { runs } from '../support/runs.js';

/** 1 MiB of UTF-16 units (docs: "bounded"; the module's own constant is not used here). */
const MAX_LENGTH = 1_048_576;

interface Refusal {
  clause: string;
  text: string;
  code: XmlErrorCode;
  offset: number;
  open: string[];
  message: RegExp;
}

const SYNTAX = 'xml-syntax' as const;

const REFUSALS: Refusal[] = [
  // §2.4 CharData: "]]>" is not character data.
  {
    clause: 'XML §2.4 "]]>" in text',
    text: '<a>xy]]>z</a>',
    code: SYNTAX,
    offset: 5,
    open: ['a'],
    message: /"\]\]>" is not allowed in text/,
  },
  // §3.1 [40] STag ::= '<' Name (S Attribute)* S? '>'; [41] Attribute ::= Name Eq AttValue.
  {
    clause: 'XML [41] a name with no "=" before ">"',
    text: '<a x>',
    code: SYNTAX,
    offset: 4,
    open: ['a'],
    message: /^Expected "=" after the attribute x\.$/,
  },
  {
    clause: 'XML [41] a name with no "=" before the next name',
    text: '<a b c="1">',
    code: SYNTAX,
    offset: 5,
    open: ['a'],
    message: /^Expected "=" after the attribute b\.$/,
  },
  {
    clause: 'XML [44] "/" not followed by ">"',
    text: '<a/b>',
    code: SYNTAX,
    offset: 2,
    open: ['a'],
    message: /^Expected white space, ">" or "\/>"/,
  },
  {
    clause: 'XML [40] attributes are separated by white space',
    text: '<a b="1"c="2"/>',
    code: SYNTAX,
    offset: 8,
    open: ['a'],
    message: /^Expected white space, ">" or "\/>"/,
  },
  {
    clause: 'XML [40] the text ends after the element name',
    text: '<a',
    code: SYNTAX,
    offset: 2,
    open: ['a'],
    message: /^The text ends inside a tag\.$/,
  },
  {
    clause: 'XML [40] the text ends after white space in a tag',
    text: '<a ',
    code: SYNTAX,
    offset: 3,
    open: ['a'],
    message: /^The text ends inside a tag\.$/,
  },
  {
    clause: 'XML [40] the text ends after an attribute',
    text: '<r><a b="1"',
    code: SYNTAX,
    offset: 11,
    open: ['r', 'a'],
    message: /^The text ends inside a tag\.$/,
  },
  {
    clause: 'XML [5] an attribute name is a Name',
    text: '<a 1="x"/>',
    code: SYNTAX,
    offset: 3,
    open: ['a'],
    message: /^Expected an attribute name, found "1"\.$/,
  },
  {
    clause: 'XML [10] AttValue is quoted',
    text: '<a b=1/>',
    code: SYNTAX,
    offset: 5,
    open: ['a'],
    message: /^The value of the attribute b must be in quotes\.$/,
  },
  {
    clause: 'XML [10] an AttValue needs its closing quote: the text ends inside it',
    text: '<a b="1',
    code: SYNTAX,
    offset: 7,
    open: ['a'],
    message: /^The text ends inside an attribute value\.$/,
  },
  {
    clause: 'XML [10] the other quote does not close it, after a reference either',
    text: `<a b='&amp;"`,
    code: SYNTAX,
    offset: 12,
    open: ['a'],
    message: /^The text ends inside an attribute value\.$/,
  },
  {
    clause: 'XML [10] no "<" in a double-quoted AttValue',
    text: '<a b="x<y"/>',
    code: SYNTAX,
    offset: 7,
    open: ['a'],
    message: /^"<" is not allowed in the value of the attribute b\.$/,
  },
  {
    clause: 'XML [10] no "<" in a single-quoted AttValue',
    text: "<a b='x<y'/>",
    code: SYNTAX,
    offset: 7,
    open: ['a'],
    message: /^"<" is not allowed in the value of the attribute b\.$/,
  },
  {
    clause: 'XML WFC Unique Att Spec',
    text: '<a b="1" b="2"/>',
    code: SYNTAX,
    offset: 9,
    open: ['a'],
    message: /^The attribute b is given twice\.$/,
  },
  {
    clause: 'XML WFC Unique Att Spec, not the first two',
    text: '<r><a b="1" c="2" b="3"/></r>',
    code: SYNTAX,
    offset: 18,
    open: ['r', 'a'],
    message: /^The attribute b is given twice\.$/,
  },
  // §3.1 [40] [42] element names.
  {
    clause: 'XML [40] an element name is a Name',
    text: '<1/>',
    code: SYNTAX,
    offset: 1,
    open: [],
    message: /^Expected an element name after "<", found "1"\.$/,
  },
  {
    clause: 'XML [42] an end-tag name is a Name',
    text: '<a></1>',
    code: SYNTAX,
    offset: 5,
    open: ['a'],
    message: /^Expected an element name after "<\/", found "1"\.$/,
  },
  {
    clause: 'XML [42] ETag ::= "</" Name S? ">"',
    text: '<a></a x>',
    code: SYNTAX,
    offset: 7,
    open: ['a'],
    message: /^Expected ">" to end <\/a\.$/,
  },
  {
    clause: 'XML [42] the text ends in an end tag',
    text: '<a></a ',
    code: SYNTAX,
    offset: 7,
    open: ['a'],
    message: /^Expected ">" to end <\/a\.$/,
  },
  // §2.1 [1] document ::= prolog element Misc*.
  {
    clause: 'XML [1] one root element',
    text: '<a/><b/>',
    code: SYNTAX,
    offset: 4,
    open: [],
    message: /^A document has one root element; another one follows it\.$/,
  },
  {
    clause: 'XML [1] one root element, after Misc',
    text: '<a></a>\n<!-- c --> <b/>',
    code: SYNTAX,
    offset: 19,
    open: [],
    message: /^A document has one root element; another one follows it\.$/,
  },
  {
    clause: 'XML [27] no text after the root element',
    text: '<a/>x',
    code: SYNTAX,
    offset: 4,
    open: [],
    message: /^Text is not allowed after the root element\.$/,
  },
  {
    clause: 'XML [27] no text before the root element',
    text: 'x<a/>',
    code: SYNTAX,
    offset: 0,
    open: [],
    message: /^Text is not allowed before the root element \(is this XML\?\)\.$/,
  },
  {
    clause: 'XML [1] a document has an element (empty text)',
    text: '',
    code: SYNTAX,
    offset: 0,
    open: [],
    message: /^The text holds no element \(is it empty\?\)\.$/,
  },
  {
    clause: 'XML [1] a document has an element (only Misc)',
    text: ' <!-- c -->\n',
    code: SYNTAX,
    offset: 12,
    open: [],
    message: /^The text holds no element \(is it empty\?\)\.$/,
  },
  // §2.8 [23] XMLDecl; §4.3.3 encodings (OSS sends UTF-8).
  {
    clause: 'XML [26] VersionNum ::= "1." [0-9]+',
    text: '<?xml version="2.0"?><a/>',
    code: SYNTAX,
    offset: 0,
    open: [],
    message: /^The XML declaration is malformed\.$/,
  },
  {
    clause: 'XML [23] a text that ends right after <?xml is a cut-off declaration',
    text: '<?xml',
    code: SYNTAX,
    offset: 0,
    open: [],
    message: /^The XML declaration is malformed\.$/,
  },
  {
    clause: 'XML [23] the same after a byte-order mark',
    text: '\ufeff<?xml',
    code: SYNTAX,
    offset: 1,
    open: [],
    message: /^The XML declaration is malformed\.$/,
  },
  {
    clause: 'XML [23] a declaration without a version',
    text: '<?xml encoding="UTF-8"?><a/>',
    code: SYNTAX,
    offset: 0,
    open: [],
    message: /^The XML declaration is malformed\.$/,
  },
  {
    clause: 'XML [80] an encoding other than UTF-8',
    text: '<?xml version="1.0" encoding="UTF-16"?><a/>',
    code: 'xml-unsupported',
    offset: 0,
    open: [],
    message: /the encoding UTF-16;/,
  },
  {
    clause: 'XML [80] an encoding that only ends in "utf-8"',
    text: '<?xml version="1.0" encoding="Xutf-8"?><a/>',
    code: 'xml-unsupported',
    offset: 0,
    open: [],
    message: /the encoding Xutf-8;/,
  },
  {
    clause: 'XML [80] an encoding that only starts with "utf-8"',
    text: '\ufeff<?xml version="1.0" encoding="utf-80"?><a/>',
    code: 'xml-unsupported',
    offset: 1,
    open: [],
    message: /the encoding utf-80;/,
  },
  // §3 [39] element ::= EmptyElemTag | STag content ETag: the text ends first.
  {
    clause: 'XML [39] one element left open',
    text: '<a>',
    code: SYNTAX,
    offset: 3,
    open: ['a'],
    message: /^The text ends before <a> is closed\.$/,
  },
  {
    clause: 'XML [39] two elements left open',
    text: '<a><b c="1">x',
    code: SYNTAX,
    offset: 13,
    open: ['a', 'b'],
    message: /^The text ends before <a> <b> are closed\.$/,
  },
  {
    clause: 'XML [18] CDSect ends with "]]>"',
    text: '<a><b><![CDATA[x',
    code: SYNTAX,
    offset: 6,
    open: ['a', 'b'],
    message: /^The CDATA section is not closed with "\]\]>"\.$/,
  },
];

describe('S10 readXml refuses malformed XML with the first problem, where it is', () => {
  for (const row of REFUSALS) {
    it(`${row.clause}: ${JSON.stringify(row.text)}`, () => {
      const read = readXml(row.text);
      expect(read).toEqual({
        ok: false,
        error: {
          code: row.code,
          message: expect.stringMatching(row.message),
          offset: row.offset,
          open: row.open,
        },
      });
    });
  }

  it('refuses a text one unit longer than 1 MiB, and reads one of exactly 1 MiB', () => {
    const fits = `<a>${'x'.repeat(MAX_LENGTH - 7)}</a>`;
    expect(fits.length).toBe(MAX_LENGTH);
    const read = readXml(fits);
    expect(read.ok && [read.root.name, read.root.text.length, read.root.contentEnd]).toEqual([
      'a',
      MAX_LENGTH - 7,
      MAX_LENGTH - 4,
    ]);
    expect(readXml(`${fits} `)).toEqual({
      ok: false,
      error: {
        code: 'xml-too-large',
        message: expect.stringMatching(/is 1048577 characters long; the limit is 1048576/),
        offset: 0,
        open: [],
      },
    });
  });
});

/** A well-formed document and the fields of its root (and of its first child) that it must have. */
interface Reading {
  clause: string;
  text: string;
  root: Partial<Record<keyof XmlElement, unknown>>;
}

const READINGS: Reading[] = [
  // firstTextOffset: the first character data that is not white space, in document order.
  {
    clause: 'text, a comment, text',
    text: '<a>x<!--c-->y</a>',
    root: { text: 'xy', firstTextOffset: 3 },
  },
  {
    clause: 'text, a child, text',
    text: '<a>x<b/>y</a>',
    root: { text: 'xy', firstTextOffset: 3 },
  },
  {
    clause: 'white space, a comment, text',
    text: '<a> <!--c--> y</a>',
    root: { text: '  y', firstTextOffset: 13 },
  },
  {
    clause: 'U+00A0 is not XML white space',
    text: '<a> \u00a0</a>',
    root: { text: ' \u00a0', firstTextOffset: 4 },
  },
  { clause: 'only white space', text: '<a> \t\n\r </a>', root: { firstTextOffset: -1 } },
  {
    clause: 'text, then a reference',
    text: '<a>x&amp;</a>',
    root: { text: 'x&', firstTextOffset: 3 },
  },
  {
    clause: 'a reference first',
    text: '<a>&amp;x</a>',
    root: { text: '&x', firstTextOffset: 3 },
  },
  {
    clause: 'white space, then a reference',
    text: '<a>  &lt;</a>',
    root: { text: '  <', firstTextOffset: 5 },
  },
  {
    clause: 'text, then CDATA',
    text: '<a>x<![CDATA[y]]></a>',
    root: { text: 'xy', firstTextOffset: 3 },
  },
  {
    clause: 'CDATA that starts with white space',
    text: '<a><![CDATA[ y]]></a>',
    root: { text: ' y', firstTextOffset: 13 },
  },
  {
    clause: 'CDATA of only white space',
    text: '<a><![CDATA[ \n ]]></a>',
    root: { text: ' \n ', firstTextOffset: -1 },
  },
  {
    clause: 'an empty CDATA section, then text',
    text: '<a><![CDATA[]]>x</a>',
    root: { text: 'x', firstTextOffset: 15 },
  },
  {
    clause: 'CDATA holds markup as text',
    text: '<a><![CDATA[<b>&amp;]]]]><![CDATA[>]]></a>',
    root: { text: '<b>&amp;]]>', firstTextOffset: 12, children: [] },
  },
  // Attributes (§3.1 [41], [10]).
  {
    clause: 'a double-quoted attribute',
    text: '<a b="1"/>',
    root: { attributes: [{ name: 'b', value: '1', offset: 3 }], contentStart: 10, contentEnd: 10 },
  },
  {
    clause: 'a single-quoted attribute',
    text: "<a b='1'/>",
    root: { attributes: [{ name: 'b', value: '1', offset: 3 }] },
  },
  {
    clause: 'empty values, and the other quote inside a value',
    text: `<a b="" c='"' d="'"/>`,
    root: {
      attributes: [
        { name: 'b', value: '', offset: 3 },
        { name: 'c', value: '"', offset: 8 },
        { name: 'd', value: "'", offset: 14 },
      ],
    },
  },
  {
    clause: 'references in a value',
    text: '<a b="x&amp;y&#x41;z&#66;"/>',
    root: { attributes: [{ name: 'b', value: 'x&yAzB', offset: 3 }] },
  },
  {
    clause: 'white space around "=" and before "/>", two attributes',
    text: '<a\tb = "1"\r\n c=\'2\' />',
    root: {
      attributes: [
        { name: 'b', value: '1', offset: 3 },
        { name: 'c', value: '2', offset: 13 },
      ],
      contentStart: 21,
    },
  },
  {
    clause: 'a value that holds ">" and "]]>"',
    text: '<a b="]]>"><![CDATA[x]]></a>',
    root: { attributes: [{ name: 'b', value: ']]>', offset: 3 }], text: 'x' },
  },
  // The prolog (§2.8 [22]).
  {
    clause: 'a root whose sixth character is white space is not a declaration',
    text: '<abcd e="1"/>',
    root: { name: 'abcd', offset: 0 },
  },
  {
    clause: 'encoding "UTF8" (the WHATWG label) is UTF-8',
    text: '<?xml version="1.0" encoding="UTF8"?><a/>',
    root: { name: 'a', offset: 37 },
  },
  {
    clause: 'encoding "utf-8" in any letter case',
    text: "<?xml version='1.0' encoding='uTf-8' standalone='no'?>\n<a/>",
    root: { name: 'a', offset: 55 },
  },
  {
    clause: 'end tags with white space, and Misc after the root',
    text: '<a><b></b\n></a >\n<!-- end -->\n',
    root: { name: 'a', contentStart: 3, contentEnd: 11, children: [expect.anything()] },
  },
];

describe('S10 readXml reads well-formed XML into the fields the spec gives', () => {
  for (const row of READINGS) {
    it(`${row.clause}: ${JSON.stringify(row.text)}`, () => {
      const read = readXml(row.text);
      expect(read.ok, JSON.stringify(!read.ok && read.error)).toBe(true);
      if (read.ok) expect(read.root).toMatchObject(row.root);
    });
  }
});

/** Every `textOffset` of `el`'s text, from 0 to its length. */
const offsetsOf = (source: string, el: XmlElement) =>
  Array.from({ length: el.text.length + 1 }, (_, k) => textOffset(source, el, k));

const only = (source: string): XmlElement => {
  const read = readXml(source);
  if (!read.ok) throw new Error(JSON.stringify(read.error));
  return read.root;
};

describe('S10 textOffset: where each unit of a leaf text was written', () => {
  it.each([
    // [source, offsets of text units 0..n (the last is the end of the content)]
    ['<a>abc</a>', [3, 4, 5, 6]],
    ['<a>x&amp;y</a>', [3, 4, 9, 10]],
    ['<a>&#x1F600;b</a>', [3, 3, 12, 13]],
    ['<a>&#128512;b</a>', [3, 3, 12, 13]],
    ['<a>&#65;&#x42;</a>', [3, 8, 14]],
    ['<a>&lt;&gt;&quot;&apos;</a>', [3, 7, 11, 17, 23]],
    ['<a>😀é</a>', [3, 4, 5, 6]],
    ['<a>y<!-->x-->z</a>', [3, 13, 14]],
    ['<a>x<!-- c -->yw<!---->z</a>', [3, 14, 15, 23, 24]],
    ['<a><![CDATA[xy]]>z</a>', [12, 13, 17, 18]],
    [
      '<a>q<![CDATA[xy]]>z-------<![CDATA[]]>w</a>',
      [3, 13, 14, 18, 19, 20, 21, 22, 23, 24, 25, 38, 39],
    ],
    ['<a>q<![CDATA[x]]></a>', [3, 13, 17]],
    ['<a>&amp;<![CDATA[&]]>&amp;</a>', [3, 17, 21, 26]],
  ] as const)('%j', (source, offsets) => {
    expect(offsetsOf(source, only(source))).toEqual(offsets);
  });

  it('the text of an empty leaf ends where its start tag does, whatever follows it', () => {
    for (const [source, end] of [
      ['<r><a/><!--x--></r>', 7],
      ['<r><a/><![CDATA[xy]]></r>', 7],
      ['<r><a></a><!--x--></r>', 6],
      ['<r><a b="1" /><![CDATA[z]]></r>', 14],
    ] as const) {
      const a = only(source).children[0] as XmlElement;
      expect([a.contentStart, a.contentEnd, textOffset(source, a, 0)], source).toEqual([
        end,
        end,
        end,
      ]);
    }
  });
});

describe('S10 lineColumn: 1-based line and column in UTF-16 units, a leading BOM not counted', () => {
  it.each([
    ['ab', 0, 1, 1],
    ['ab', 1, 1, 2],
    ['ab', 2, 1, 3],
    ['ab', 9, 1, 3],
    ['a\nb', 1, 1, 2],
    ['a\nb', 2, 2, 1],
    ['a\nb\n', 4, 3, 1],
    ['a\r\nb', 1, 1, 2],
    ['a\r\nb', 3, 2, 1],
    ['a\r\nb', 4, 2, 2],
    ['😀x', 2, 1, 3],
    ['\ufeff<a/>', 0, 1, 1],
    ['\ufeff<a/>', 1, 1, 1],
    ['\ufeff<a/>', 2, 1, 2],
    ['\ufeffa\nb', 3, 2, 1],
    ['\ufeffa\nb', 4, 2, 2],
    ['a\ufeff', 2, 1, 3],
  ] as const)('%j at %i is %i:%i', (text, offset, line, column) => {
    expect(lineColumn(text, offset)).toEqual({ line, column });
  });

  it('property: agrees with counting the lines and units before the offset', () => {
    const unit = fc.constantFrom('a', 'é', '😀', '\n', '\r\n', '\t', '\ufeff');
    fc.assert(
      fc.property(fc.boolean(), fc.array(unit, { maxLength: 12 }), fc.nat(40), (bom, units, at) => {
        const text = `${bom ? '\ufeff' : ''}${units.join('')}`;
        const before = text.slice(0, at);
        const lines = before.split('\n');
        const last = lines[lines.length - 1] as string;
        // A U+FEFF that opens the text is a byte-order mark, however it got there.
        const counted = lines.length === 1 && text.startsWith('\ufeff') ? last.slice(1) : last;
        expect(lineColumn(text, at)).toEqual({ line: lines.length, column: counted.length + 1 });
      }),
      { numRuns: runs(500) },
    );
  });
});

describe('S10 escapeXmlText', () => {
  // The escape table is built when the module loads: load it afresh (docs/testing.md).
  const fresh = async () => {
    vi.resetModules();
    return import('../../src/policy/xml.js');
  };

  it('writes the five characters XML gives meaning to as the predefined entities', async () => {
    const { escapeXmlText } = await fresh();
    expect(escapeXmlText(`a<b>c&d"e'f`)).toBe('a&lt;b&gt;c&amp;d&quot;e&apos;f');
    expect(escapeXmlText('<<&&')).toBe('&lt;&lt;&amp;&amp;');
    expect(escapeXmlText('plain é 😀 ]]')).toBe('plain é 😀 ]]');
  });

  it('property: what it writes reads back unchanged, as text and in either quoted attribute', async () => {
    const { escapeXmlText, readXml: read } = await fresh();
    const char = fc.oneof(
      fc.constantFrom('<', '>', '&', '"', "'", ']]>', ']', 'a', ' ', '😀', '&amp;', '-->'),
      fc
        .integer({ min: 0x20, max: 0x10ffff })
        .filter((c) => (c < 0xd800 || c > 0xdfff) && c !== 0xfffe && c !== 0xffff)
        .map((c) => String.fromCodePoint(c)),
    );
    fc.assert(
      fc.property(fc.array(char, { maxLength: 10 }), (chars) => {
        const text = chars.join('');
        const e = escapeXmlText(text);
        expect(e).not.toMatch(/[<"']|&(?!(?:lt|gt|amp|quot|apos);)/);
        const result = read(`<a b="${e}" c='${e}'>${e}</a>`);
        expect(
          result.ok && [result.root.text, ...result.root.attributes.map((a) => a.value)],
        ).toEqual([text, text, text]);
      }),
      { numRuns: runs(300) },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The property: random element trees, written with their offsets recorded.

type Piece = { raw: string } | { ref: string; decoded: string };
type Item =
  | { kind: 'text'; pieces: Piece[] }
  | { kind: 'cdata'; body: string }
  | { kind: 'comment'; body: string }
  | { kind: 'element'; node: Node };
interface Attr {
  name: string;
  pieces: Piece[];
  quote: '"' | "'";
  before: string;
  eq: string;
}
interface Node {
  name: string;
  attrs: Attr[];
  items: Item[];
  /** White space before `>` or `/>`, and before the `>` of the end tag. */
  close: string;
  end: string;
  selfClose: boolean;
}

const XML_SPACE = new Set([' ', '\t', '\n', '\r']);
const S = fc.constantFrom(' ', '\t', '\n', '\r\n', '  ');
const nameArb = fc
  .tuple(
    fc.constantFrom('a', 'Z', '_', ':', 'é', 'Name'),
    fc.array(fc.constantFrom('a', '1', '-', '.', '_', '·', 'Z'), { maxLength: 4 }),
  )
  .map(([h, t]) => h + t.join(''));

/** A character reference to a character that is not white space (so it is "text" either way). */
const charRef = fc
  .integer({ min: 0x21, max: 0x10ffff })
  .filter((c) => (c < 0xd800 || c > 0xdfff) && c !== 0xfffe && c !== 0xffff)
  .chain((c) =>
    fc.constantFrom(
      { ref: `&#x${c.toString(16)};`, decoded: String.fromCodePoint(c) },
      { ref: `&#x${c.toString(16).toUpperCase()};`, decoded: String.fromCodePoint(c) },
      { ref: `&#${c};`, decoded: String.fromCodePoint(c) },
    ),
  );
const predefined = fc.constantFrom(
  { ref: '&lt;', decoded: '<' },
  { ref: '&gt;', decoded: '>' },
  { ref: '&amp;', decoded: '&' },
  { ref: '&quot;', decoded: '"' },
  { ref: '&apos;', decoded: "'" },
);
/** Raw text: no `<` or `&`, and no CR (XML would normalise line ends, §2.11). */
const textPiece: fc.Arbitrary<Piece> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .constantFrom('a', 'Z', ' ', '\t', '\n', '>', ']', '"', "'", '-', 'é', '😀', '中', '\u00a0')
      .map((raw) => ({ raw })),
  },
  { weight: 1, arbitrary: predefined },
  { weight: 1, arbitrary: charRef },
);
/** Raw attribute characters: no white space but the space (§3.3.3 would normalise it). */
const attrPiece: fc.Arbitrary<Piece> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .constantFrom('a', ' ', '>', ']', '"', "'", '-', 'é', '😀', '=', '/')
      .map((raw) => ({ raw })),
  },
  { weight: 1, arbitrary: predefined },
  { weight: 1, arbitrary: charRef },
  {
    weight: 1,
    arbitrary: fc.constantFrom({ ref: '&#9;', decoded: '\t' }, { ref: '&#10;', decoded: '\n' }),
  },
);
const cdataBody = fc
  .array(fc.constantFrom('a', ' ', '\n', '<', '&', ']', '>', '😀', '<![CDATA[', '-->', ']]'), {
    maxLength: 4,
  })
  .map((a) => a.join(''))
  .filter((b) => !b.includes(']]>') && !b.endsWith(']]') && !b.endsWith(']'));
const commentBody = fc
  .array(fc.constantFrom('', ' c ', 'x', '>', '<a>', '&', '-x', ']]>'), { maxLength: 3 })
  .map((a) => a.join(''))
  .filter((b) => !b.includes('--') && !b.endsWith('-'));

const attrsArb = fc.uniqueArray(
  fc.record({
    name: nameArb,
    pieces: fc.array(attrPiece, { maxLength: 4 }),
    quote: fc.constantFrom('"' as const, "'" as const),
    before: S,
    eq: fc.constantFrom('=', ' = ', '\n=\t'),
  }),
  { selector: (a) => a.name, maxLength: 3 },
);

const nodeArb = (levels: number): fc.Arbitrary<Node> => {
  const item: fc.Arbitrary<Item> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .array(textPiece, { minLength: 1, maxLength: 5 })
        .map((pieces) => ({ kind: 'text' as const, pieces })),
    },
    { weight: 1, arbitrary: cdataBody.map((body) => ({ kind: 'cdata' as const, body })) },
    { weight: 1, arbitrary: commentBody.map((body) => ({ kind: 'comment' as const, body })) },
    ...(levels <= 1
      ? []
      : [
          {
            weight: 2,
            arbitrary: nodeArb(levels - 1).map((node) => ({ kind: 'element' as const, node })),
          },
        ]),
  );
  return fc.record({
    name: nameArb,
    attrs: attrsArb,
    items: fc.array(item, { maxLength: 4 }),
    close: fc.constantFrom('', ' ', '\n'),
    end: fc.constantFrom('', ' ', '\r\n'),
    selfClose: fc.boolean(),
  });
};

interface Written {
  source: string;
  root: XmlElement;
  /** For every leaf: the offsets of its text units, then of the end of its content. */
  leaves: { el: XmlElement; offsets: number[] }[];
}

/** Writes a tree and records, as it goes, the fields readXml must give each element. */
function write(prolog: string, node: Node, epilog: string): Written {
  let src = prolog;
  const leaves: Written['leaves'] = [];

  const element = (n: Node): XmlElement => {
    const offset = src.length;
    src += `<${n.name}`;
    const attributes = n.attrs.map((a) => {
      src += a.before;
      const at = src.length;
      src += `${a.name}${a.eq}${a.quote}`;
      let value = '';
      for (const p of a.pieces) {
        if ('raw' in p && p.raw !== a.quote) {
          src += p.raw;
          value += p.raw;
        } else if ('raw' in p) {
          src += p.raw === '"' ? '&quot;' : '&apos;';
          value += p.raw;
        } else {
          src += p.ref;
          value += p.decoded;
        }
      }
      src += a.quote;
      return { name: a.name, value, offset: at };
    });
    src += n.close;
    const children: XmlElement[] = [];
    let text = '';
    let firstTextOffset = -1;
    const units: number[] = [];
    let contentStart: number;
    let contentEnd: number;
    if (n.selfClose && n.items.length === 0) {
      src += '/>';
      contentStart = contentEnd = src.length;
    } else {
      src += '>';
      contentStart = src.length;
      let run = '';
      const raw = (c: string) => {
        if (c === '>' && run.endsWith(']]')) {
          ref('&gt;', '>');
          return;
        }
        if (firstTextOffset === -1 && !XML_SPACE.has(c)) firstTextOffset = src.length;
        for (let k = 0; k < c.length; k++) units.push(src.length + k);
        src += c;
        text += c;
        run += c;
      };
      const ref = (r: string, decoded: string) => {
        if (firstTextOffset === -1) firstTextOffset = src.length;
        for (let k = 0; k < decoded.length; k++) units.push(src.length);
        src += r;
        text += decoded;
        run = '';
      };
      // Spaces before CDATA and comments keep `textOffset`'s mutants from looping (see header).
      const guard = (spaces: number) => {
        for (let k = 0; k < spaces; k++) raw(' ');
      };
      for (const item of n.items) {
        if (item.kind === 'text') {
          for (const p of item.pieces) {
            if ('raw' in p) raw(p.raw);
            else ref(p.ref, p.decoded);
          }
        } else if (item.kind === 'cdata') {
          guard(7);
          src += '<![CDATA[';
          for (const c of item.body) {
            if (firstTextOffset === -1 && !XML_SPACE.has(c)) firstTextOffset = src.length;
            for (let k = 0; k < c.length; k++) units.push(src.length + k);
            src += c;
            text += c;
          }
          src += ']]>';
          run = '';
        } else if (item.kind === 'comment') {
          guard(2);
          src += `<!--${item.body}-->`;
          run = '';
        } else {
          children.push(element(item.node));
          run = '';
        }
      }
      contentEnd = src.length;
      src += `</${n.name}${n.end}>`;
    }
    const el: XmlElement = {
      name: n.name,
      attributes,
      children,
      text,
      offset,
      contentStart,
      contentEnd,
      firstTextOffset,
    };
    if (children.length === 0) leaves.push({ el, offsets: [...units, contentEnd] });
    return el;
  };

  const root = element(node);
  src += epilog;
  return { source: src, root, leaves };
}

const prologArb = fc
  .tuple(
    fc.constantFrom('', '\ufeff'),
    fc.constantFrom(
      '',
      '<?xml version="1.0"?>',
      '<?xml version="1.0" encoding="UTF-8"?>',
      "<?xml version='1.1' encoding='utf8' standalone='yes'?>",
      '<?xml version="1.0"\n  encoding="utf-8"\n?>',
    ),
    fc.constantFrom('', '\n', '<!-- head -->\n', ' <!----> \r\n'),
  )
  .map((parts) => parts.join(''));
const epilogArb = fc.constantFrom('', '\n', '<!-- tail -->', ' \n<!-- a --> <!--b-->\n');

describe('S10 property: readXml reads back every tree as it was written', () => {
  it('every field of every element, and textOffset of every unit of every leaf', () => {
    fc.assert(
      fc.property(prologArb, nodeArb(4), epilogArb, (prolog, node, epilog) => {
        const w = write(prolog, node, epilog);
        const read = readXml(w.source);
        expect(read, w.source).toEqual({ ok: true, root: w.root });
        for (const { el, offsets } of w.leaves)
          expect(offsetsOf(w.source, el), `${w.source} ${el.name}`).toEqual(offsets);
      }),
      { numRuns: runs(400) },
    );
  });
});
