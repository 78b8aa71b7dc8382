/**
 * SPEC S2 as data: every row names the clause it pins. Valid rows give (part of) the
 * normalised policy; invalid rows give every issue expected, by code and path.
 */
export type PolicyCase =
  | { clause: string; input: unknown; policy: Record<string, unknown>; exact?: true }
  | { clause: string; input: unknown; issues: { code: string; path: (string | number)[] }[] };

const long = (n: number, ch = 'a') => ch.repeat(n);

export const policyCases: PolicyCase[] = [
  // --- defaults and shape
  {
    clause: 'S2 defaults: empty object is a valid policy (R2: atProcessing false)',
    input: {},
    policy: {
      rules: [],
      caseInsensitive: false,
      extensions: [],
      delimiters: [],
      atProcessing: false,
    },
    exact: true,
  },
  { clause: 'S2 not an object: null', input: null, issues: [{ code: 'not-an-object', path: [] }] },
  { clause: 'S2 not an object: array', input: [], issues: [{ code: 'not-an-object', path: [] }] },
  {
    clause: 'S2 not an object: string',
    input: 'rules',
    issues: [{ code: 'not-an-object', path: [] }],
  },
  { clause: 'S2 not an object: number', input: 42, issues: [{ code: 'not-an-object', path: [] }] },
  {
    clause: 'S2 not an object: undefined',
    input: undefined,
    issues: [{ code: 'not-an-object', path: [] }],
  },
  {
    clause: 'S2 $schema accepted and dropped',
    input: { $schema: './x.json' },
    policy: { rules: [] },
  },
  {
    clause: 'S2 $schema must be a string',
    input: { $schema: 1 },
    issues: [{ code: 'wrong-type', path: ['$schema'] }],
  },
  {
    clause: 'S2 unknown top-level field',
    input: { rule: [] },
    issues: [{ code: 'unknown-field', path: ['rule'] }],
  },
  {
    clause: 'S2 __proto__ is an unknown field, not a prototype',
    input: JSON.parse('{"__proto__": {"rules": [{"prefix": "x"}]}}'),
    issues: [{ code: 'unknown-field', path: ['__proto__'] }],
  },
  {
    clause: 'S2 constructor is an unknown field',
    input: JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
    issues: [{ code: 'unknown-field', path: ['constructor'] }],
  },
  // --- rules
  {
    clause: 'S2 rules: prefix only',
    input: { rules: [{ prefix: 'image/' }] },
    policy: { rules: [{ prefix: 'image/', caseInsensitive: false }] },
  },
  {
    clause: 'S2 rules: suffix only',
    input: { rules: [{ suffix: '.png' }] },
    policy: { rules: [{ suffix: '.png', caseInsensitive: false }] },
  },
  {
    clause: 'S2 rules: prefix and suffix',
    input: { rules: [{ prefix: 'raw/', suffix: '.tif' }] },
    policy: { rules: [{ prefix: 'raw/', suffix: '.tif', caseInsensitive: false }] },
  },
  {
    clause: 'S2 rules must be an array',
    input: { rules: {} },
    issues: [{ code: 'wrong-type', path: ['rules'] }],
  },
  {
    clause: 'S2 rule must be an object',
    input: { rules: ['image/'] },
    issues: [{ code: 'wrong-type', path: ['rules', 0] }],
  },
  {
    clause: 'S2 at most 10 rules: 10 is fine',
    input: { rules: Array.from({ length: 10 }, (_, i) => ({ prefix: `p${i}/` })) },
    policy: {},
  },
  {
    clause: 'S2 at most 10 rules: 11 is an error',
    input: { rules: Array.from({ length: 11 }, (_, i) => ({ prefix: `p${i}/` })) },
    issues: [{ code: 'too-many-rules', path: ['rules'] }],
  },
  {
    clause: 'S2 rule needs prefix or suffix',
    input: { rules: [{ prefix: 'a' }, { caseInsensitive: true }] },
    issues: [{ code: 'rule-needs-prefix-or-suffix', path: ['rules', 1] }],
  },
  {
    clause: 'S2 unknown rule field',
    input: { rules: [{ prefix: 'a', Suffix: '.png' }] },
    issues: [{ code: 'unknown-field', path: ['rules', 0, 'Suffix'] }],
  },
  {
    clause: 'S2 prefix must be a string',
    input: { rules: [{ prefix: 1 }] },
    issues: [{ code: 'wrong-type', path: ['rules', 0, 'prefix'] }],
  },
  {
    clause: 'S2 suffix must be a string',
    input: { rules: [{ suffix: null }] },
    issues: [{ code: 'wrong-type', path: ['rules', 0, 'suffix'] }],
  },
  {
    clause: 'S2 prefix 1+ bytes',
    input: { rules: [{ prefix: '' }] },
    issues: [{ code: 'empty', path: ['rules', 0, 'prefix'] }],
  },
  {
    clause: 'S2 suffix 1+ bytes',
    input: { rules: [{ suffix: '' }] },
    issues: [{ code: 'empty', path: ['rules', 0, 'suffix'] }],
  },
  {
    clause: 'S2 prefix ≤1023 bytes: 1023 ASCII ok',
    input: { rules: [{ prefix: long(1023) }] },
    policy: {},
  },
  {
    clause: 'S2 prefix ≤1023 bytes: 1024 ASCII',
    input: { rules: [{ prefix: long(1024) }] },
    issues: [{ code: 'too-long', path: ['rules', 0, 'prefix'] }],
  },
  {
    clause: 'S2 prefix ≤1023 bytes counts UTF-8 (342 × 3-byte = 1026)',
    input: { rules: [{ prefix: long(342, '图') }] },
    issues: [{ code: 'too-long', path: ['rules', 0, 'prefix'] }],
  },
  {
    clause: 'S2 suffix ≤1023 bytes: 341 × 3-byte = 1023 ok',
    input: { rules: [{ suffix: long(341, '图') }] },
    policy: {},
  },
  {
    clause: 'S2 suffix ≤1023 bytes: 256 emoji = 1024 bytes',
    input: { rules: [{ suffix: long(256, '😀') }] },
    issues: [{ code: 'too-long', path: ['rules', 0, 'suffix'] }],
  },
  {
    clause: 'S2 prefix must not start with /',
    input: { rules: [{ prefix: '/image/' }] },
    issues: [{ code: 'leading-slash', path: ['rules', 0, 'prefix'] }],
  },
  {
    clause: 'S2 prefix must not start with \\',
    input: { rules: [{ prefix: '\\image' }] },
    issues: [{ code: 'leading-slash', path: ['rules', 0, 'prefix'] }],
  },
  { clause: 'S2 suffix may start with /', input: { rules: [{ suffix: '/thumb' }] }, policy: {} },
  {
    clause: 'S2 prefix with a lone surrogate can match no UTF-8 key',
    input: { rules: [{ prefix: 'a\ud800' }] },
    issues: [{ code: 'not-unicode', path: ['rules', 0, 'prefix'] }],
  },
  // --- caseInsensitive
  {
    clause: 'S2 rule caseInsensitive defaults to the policy flag',
    input: {
      caseInsensitive: true,
      rules: [{ prefix: 'a' }, { prefix: 'b', caseInsensitive: false }],
    },
    policy: {
      caseInsensitive: true,
      rules: [
        { prefix: 'a', caseInsensitive: true },
        { prefix: 'b', caseInsensitive: false },
      ],
    },
  },
  {
    clause: 'S2 caseInsensitive must be boolean',
    input: { caseInsensitive: 'yes' },
    issues: [{ code: 'wrong-type', path: ['caseInsensitive'] }],
  },
  {
    clause: 'S2 rule caseInsensitive must be boolean',
    input: { rules: [{ prefix: 'a', caseInsensitive: 1 }] },
    issues: [{ code: 'wrong-type', path: ['rules', 0, 'caseInsensitive'] }],
  },
  // --- extensions
  {
    clause: 'S2 extensions: leading . dropped, lower-cased',
    input: { extensions: ['.JPG', 'png', 'WebP'] },
    policy: { extensions: ['jpg', 'png', 'webp'] },
  },
  { clause: 'S2 extensions: 16 characters ok', input: { extensions: [long(16, 'x')] }, policy: {} },
  {
    clause: 'S2 extensions: 17 characters',
    input: { extensions: [long(17, 'x')] },
    issues: [{ code: 'invalid-extension', path: ['extensions', 0] }],
  },
  {
    clause: 'S2 extensions: empty',
    input: { extensions: [''] },
    issues: [{ code: 'invalid-extension', path: ['extensions', 0] }],
  },
  {
    clause: 'S2 extensions: only a dot',
    input: { extensions: ['.'] },
    issues: [{ code: 'invalid-extension', path: ['extensions', 0] }],
  },
  {
    clause: 'S2 extensions: two dots',
    input: { extensions: ['..jpg'] },
    issues: [{ code: 'invalid-extension', path: ['extensions', 0] }],
  },
  {
    clause: 'S2 extensions: inner dot',
    input: { extensions: ['tar.gz'] },
    issues: [{ code: 'invalid-extension', path: ['extensions', 0] }],
  },
  {
    clause: 'S2 extensions: non-ASCII',
    input: { extensions: ['jpé'] },
    issues: [{ code: 'invalid-extension', path: ['extensions', 0] }],
  },
  {
    clause: 'S2 extensions: duplicate after normalisation',
    input: { extensions: ['jpg', 'PNG', '.JPG'] },
    issues: [{ code: 'duplicate-extension', path: ['extensions', 2] }],
  },
  { clause: 'S2 extensions: * alone', input: { extensions: ['*'] }, policy: { extensions: ['*'] } },
  {
    clause: 'S2 extensions: * mixed with others',
    input: { extensions: ['jpg', '*'] },
    issues: [{ code: 'wildcard-mixed', path: ['extensions', 1] }],
  },
  {
    clause: 'S2 extensions: * twice',
    input: { extensions: ['*', '*'] },
    issues: [
      { code: 'wildcard-mixed', path: ['extensions', 0] },
      { code: 'wildcard-mixed', path: ['extensions', 1] },
    ],
  },
  {
    clause: 'S2 extensions: entry must be a string',
    input: { extensions: [1] },
    issues: [{ code: 'wrong-type', path: ['extensions', 0] }],
  },
  {
    clause: 'S2 extensions must be an array',
    input: { extensions: 'jpg' },
    issues: [{ code: 'wrong-type', path: ['extensions'] }],
  },
  // --- delimiters
  {
    clause: 'S2 delimiters stored in ASCII order',
    input: { delimiters: ['_', '/', '-', '!'] },
    policy: { delimiters: ['!', '-', '/', '_'] },
  },
  {
    clause: 'S2 delimiters: unknown',
    input: { delimiters: ['~'] },
    issues: [{ code: 'invalid-delimiter', path: ['delimiters', 0] }],
  },
  {
    clause: 'S2 delimiters: two characters',
    input: { delimiters: ['!-'] },
    issues: [{ code: 'invalid-delimiter', path: ['delimiters', 0] }],
  },
  {
    clause: 'S2 delimiters: duplicate',
    input: { delimiters: ['-', '-'] },
    issues: [{ code: 'duplicate-delimiter', path: ['delimiters', 1] }],
  },
  {
    clause: 'S2 delimiters must be an array',
    input: { delimiters: '!' },
    issues: [{ code: 'wrong-type', path: ['delimiters'] }],
  },
  // --- styles
  {
    clause: 'S2 styles absent: no catalogue (no styles field at all)',
    input: { rules: [] },
    policy: {
      rules: [],
      caseInsensitive: false,
      extensions: [],
      delimiters: [],
      atProcessing: false,
    },
    exact: true,
  },
  {
    clause: 'S2 styles: empty catalogue is a catalogue',
    input: { styles: [] },
    policy: { styles: [] },
  },
  {
    clause: 'S2 styles: valid names',
    input: { styles: ['small', 'a.b_c-D9', long(63)] },
    policy: {},
  },
  {
    clause: 'S2 styles: 50 names ok',
    input: { styles: Array.from({ length: 50 }, (_, i) => `s${i}`) },
    policy: {},
  },
  {
    clause: 'S2 styles: at most 50',
    input: { styles: Array.from({ length: 51 }, (_, i) => `s${i}`) },
    issues: [{ code: 'too-many-styles', path: ['styles'] }],
  },
  {
    clause: 'S2 styles: 64 characters',
    input: { styles: [long(64)] },
    issues: [{ code: 'invalid-style-name', path: ['styles', 0] }],
  },
  {
    clause: 'S2 styles: empty name',
    input: { styles: [''] },
    issues: [{ code: 'invalid-style-name', path: ['styles', 0] }],
  },
  {
    clause: 'S2 styles: illegal character',
    input: { styles: ['a/b'] },
    issues: [{ code: 'invalid-style-name', path: ['styles', 0] }],
  },
  {
    clause: 'S2 styles: no spaces',
    input: { styles: ['a b'] },
    issues: [{ code: 'invalid-style-name', path: ['styles', 0] }],
  },
  {
    clause: 'S2 styles: duplicate',
    input: { styles: ['a', 'b', 'a'] },
    issues: [{ code: 'duplicate-style', path: ['styles', 2] }],
  },
  {
    clause: 'S2 styles: case matters',
    input: { styles: ['a', 'A'] },
    policy: { styles: ['a', 'A'] },
  },
  // --- atProcessing (R2)
  {
    clause: 'S2 R2 atProcessing: true',
    input: { atProcessing: true },
    policy: { atProcessing: true },
  },
  {
    clause: 'S2 R2 atProcessing must be a boolean',
    input: { atProcessing: 'Enabled' },
    issues: [{ code: 'wrong-type', path: ['atProcessing'] }],
  },
  {
    clause: 'S2 R2 a class instance is not plain data',
    input: new (class Settings {
      rules = [];
    })(),
    issues: [{ code: 'not-plain-data', path: [] }],
  },
  {
    clause: 'S2 R2 inherited fields are not read as policy: an error, not an empty policy',
    input: Object.create({ extensions: ['jpg'] }),
    issues: [{ code: 'not-plain-data', path: [] }],
  },
  // --- all problems at once
  {
    clause: 'S2 every problem is reported at once',
    input: {
      rules: [{ prefix: '/x' }, {}, { suffix: '' }],
      extensions: ['jpg', 'JPG', 'a-b'],
      delimiters: ['?'],
      styles: ['ok', 'no!'],
      extra: true,
    },
    issues: [
      { code: 'unknown-field', path: ['extra'] },
      { code: 'leading-slash', path: ['rules', 0, 'prefix'] },
      { code: 'rule-needs-prefix-or-suffix', path: ['rules', 1] },
      { code: 'empty', path: ['rules', 2, 'suffix'] },
      { code: 'duplicate-extension', path: ['extensions', 1] },
      { code: 'invalid-extension', path: ['extensions', 2] },
      { code: 'invalid-delimiter', path: ['delimiters', 0] },
      { code: 'invalid-style-name', path: ['styles', 1] },
    ],
  },
];
