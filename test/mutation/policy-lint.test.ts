/**
 * Policy lint (SPEC S9 and S9 R2, docs/behaviour.md#lint-warnings, `src/policy/lint.ts`): every
 * warning with its exact code, path, `at` and sentence (S9: "a sentence a person can act on", so
 * the sentence must name the rule, the affix and the extension it is about), in the order they are
 * given, and each condition at its boundary: the eleven image words of R2 one by one, `*` with a
 * prefix of one character and of two, delimiters without a catalogue when only some rules have a
 * prefix, and case-insensitive rules whose affixes are not ASCII, where lower-casing alone would
 * call a rule redundant that protects keys the other rule does not. Written to kill the mutants
 * the broader suites let through.
 *
 * Every test loads `src/policy/` afresh: the image-word table, the non-ASCII pattern and the
 * helper functions are built when `lint.ts` loads, and a mutant of one is seen only by a test that
 * loads it (docs/testing.md, "Hybrid mutants").
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PolicyInput, PolicyWarning, ProtectionRuleInput } from '../../src/index.js';
import { referenceIsProtected, referenceRuleMatches } from '../reference.js';
import { runs } from '../support/runs.js';

type Lint = typeof import('../../src/policy/lint.js');
type Validate = typeof import('../../src/policy/validate.js');
let lintPolicy: Lint['lintPolicy'];
let definePolicy: Validate['definePolicy'];

beforeEach(async () => {
  vi.resetModules();
  ({ lintPolicy } = await import('../../src/policy/lint.js'));
  ({ definePolicy } = await import('../../src/policy/validate.js'));
});

type Row = [clause: string, policy: PolicyInput, warnings: [string, string, string][]];

/** `[at, code, message]` of each warning, in the order `lintPolicy` gives them. */
const lint = (input: PolicyInput): [string, string, string][] =>
  lintPolicy(definePolicy(input)).map((w: PolicyWarning) => [w.at, w.code, w.message]);

const paths = (input: PolicyInput) => lintPolicy(definePolicy(input)).map((w) => w.path);

describe('S9 each warning, with its path and its sentence', () => {
  const rows: Row[] = [
    [
      'S9 R2 no rules and no extensions',
      {},
      [
        [
          '(root)',
          'protects-nothing',
          'The policy has no rules and no extensions, so it protects no object: every original stays readable anonymously. Add "extensions" (such as ["jpg", "png"]) or "rules".',
        ],
      ],
    ],
    [
      'S9 a prefix whose last segment is a bare name',
      { rules: [{ prefix: 'photos/2024' }] },
      [
        [
          'rules[0].prefix',
          'prefix-not-folder',
          'The prefix "photos/2024" has no trailing "/": it also protects "photos/2024s/…" and "photos/2024-archive/…"; write "photos/2024/" if you mean the folder.',
        ],
      ],
    ],
    [
      'S9 R2 an image word as a suffix, in upper case',
      { rules: [{ prefix: 'img/', suffix: 'JPG' }] },
      [
        [
          'rules[0].suffix',
          'suffix-without-dot',
          'The suffix "JPG" has no ".": it also protects "notJPG" and "a/JPG", which are not .JPG files; write ".JPG" if you mean the extension.',
        ],
      ],
    ],
    [
      'S9 a rule under another rule: both rules described, prefix + suffix',
      { rules: [{ prefix: 'raw/' }, { prefix: 'raw/', suffix: '.tif' }] },
      [
        [
          'rules[1]',
          'redundant-rule',
          'Rule 1 (prefix "raw/" + suffix ".tif") protects nothing rule 0 (prefix "raw/") does not already protect; remove one of them.',
        ],
      ],
    ],
    [
      'S9 a suffix rule under a suffix rule: "suffix" alone, no "prefix"',
      { rules: [{ suffix: '.png' }, { suffix: '_big.png' }] },
      [
        [
          'rules[1]',
          'redundant-rule',
          'Rule 1 (suffix "_big.png") protects nothing rule 0 (suffix ".png") does not already protect; remove one of them.',
        ],
      ],
    ],
    [
      'S9 the earlier rule under the later one names the later one',
      { rules: [{ prefix: 'a/b/', suffix: '.gif' }, { suffix: '.gif' }] },
      [
        [
          'rules[0]',
          'redundant-rule',
          'Rule 0 (prefix "a/b/" + suffix ".gif") protects nothing rule 1 (suffix ".gif") does not already protect; remove one of them.',
        ],
      ],
    ],
    [
      'S9 a suffix that fixes a listed extension: the extension in lower case, as listed',
      { rules: [{ suffix: '_orig.JPG' }], extensions: ['.Jpg'] },
      [
        [
          'rules[0]',
          'redundant-rule',
          'Rule 0 (suffix "_orig.JPG") only protects keys ending in ".jpg", which the extension list already protects; remove the rule or the extension.',
        ],
      ],
    ],
    [
      'S9 a prefix + suffix rule whose suffix fixes a listed extension',
      { rules: [{ prefix: 'cdn/', suffix: '.webp' }], extensions: ['png', 'webp'] },
      [
        [
          'rules[0]',
          'redundant-rule',
          'Rule 0 (prefix "cdn/" + suffix ".webp") only protects keys ending in ".webp", which the extension list already protects; remove the rule or the extension.',
        ],
      ],
    ],
    [
      'S9 * with a rule that has no prefix',
      { rules: [{ suffix: '.txt' }], extensions: ['*'] },
      [
        [
          'rules[0]',
          'wildcard-with-wide-rule',
          'With extensions ["*"] every image is protected already; rule 0 (suffix ".txt") also protects every non-image object it matches, which is seldom meant.',
        ],
      ],
    ],
    [
      'S9 * with a one-character prefix is wide',
      { rules: [{ prefix: 'docs/' }, { prefix: '_', suffix: '.pdf' }], extensions: ['*'] },
      [
        [
          'rules[1]',
          'wildcard-with-wide-rule',
          'With extensions ["*"] every image is protected already; rule 1 (prefix "_" + suffix ".pdf") also protects every non-image object it matches, which is seldom meant.',
        ],
      ],
    ],
    [
      'S9 * with a two-character prefix is not',
      { rules: [{ prefix: '__' }], extensions: ['*'] },
      [],
    ],
    [
      'S9 delimiters, no catalogue, the first delimiter in the sentence (sorted: "!" before "_")',
      { rules: [{ prefix: 'image/' }], delimiters: ['_', '!'] },
      [
        [
          'styles',
          'delimiters-without-catalogue',
          'Delimiters are enabled but there is no style catalogue: delimiter-style URLs (key!style) under prefix rules will be denied, because the whole path may be the key. Add "styles" with the bucket\'s style names.',
        ],
      ],
    ],
    [
      'S9 "/" as a delimiter, at its index among the sorted delimiters',
      { extensions: ['jpg'], delimiters: ['_', '/', '-'], styles: ['s'] },
      [
        [
          'delimiters[1]',
          'slash-delimiter',
          'With "/" as a delimiter every path with a folder can be read as key/style: "dir/a.jpg" may be the key "dir" with the style "a.jpg". Prefer "!", "-" or "_".',
        ],
      ],
    ],
    [
      'S9 a style name containing an enabled delimiter, the first enabled one it contains',
      { extensions: ['jpg'], delimiters: ['_', '-'], styles: ['small', 'v2_small-x'] },
      [
        [
          'styles[1]',
          'style-contains-delimiter',
          'The style "v2_small-x" contains the enabled delimiter "-": in key-v2_small-x the delimiter appears twice, and only the catalogue tells which split is meant.',
        ],
      ],
    ],
    [
      'S9 a catalogue without delimiters, said once',
      { extensions: ['jpg'], styles: ['small', 'large'] },
      [
        [
          'styles',
          'catalogue-without-delimiter',
          'A style catalogue is set but no delimiter is enabled: styles work as ?x-oss-process=style/NAME only, not as key!NAME. Fine if that is what you use.',
        ],
      ],
    ],
  ];

  for (const [clause, policy, warnings] of rows) {
    it(clause, () => {
      expect(lint(policy)).toEqual(warnings);
    });
  }

  it('S9 paths are frozen arrays of the JSON path, in rule order then style order', () => {
    const input: PolicyInput = {
      rules: [{ prefix: 'image' }, { prefix: 'image/x/' }, { suffix: 'png' }],
      delimiters: ['/'],
    };
    expect(paths(input)).toEqual([
      ['rules', 0, 'prefix'],
      ['rules', 1],
      ['rules', 2, 'suffix'],
      ['styles'],
      ['delimiters', 0],
    ]);
    for (const w of lintPolicy(definePolicy(input))) {
      expect(Object.isFrozen(w) && Object.isFrozen(w.path)).toBe(true);
    }
  });
});

describe('S9 R2 the image words without their dot, one by one, in any ASCII case', () => {
  const words = ['jpg', 'jpeg', 'png', 'gif', 'webp', 'bmp', 'tif', 'tiff', 'heic', 'avif', 'svg'];
  for (const word of words) {
    it(word, () => {
      for (const suffix of [word, word.toUpperCase()]) {
        expect(lint({ rules: [{ suffix }] })).toEqual([
          [
            'rules[0].suffix',
            'suffix-without-dot',
            `The suffix "${suffix}" has no ".": it also protects "not${suffix}" and "a/${suffix}", which are not .${suffix} files; write ".${suffix}" if you mean the extension.`,
          ],
        ]);
      }
    });
  }

  it('words off the list, and list words with anything around them, are deliberate', () => {
    for (const suffix of ['jpe', 'jfif', 'ico', 'tga', 'raw', 'pngs', 'xjpg', 'jp g', '.svg']) {
      expect(lint({ rules: [{ suffix }] }), suffix).toEqual([]);
    }
  });
});

describe('S9 delimiters without a catalogue: when some rule has a prefix', () => {
  it('one prefix rule among suffix rules is enough', () => {
    expect(
      paths({
        rules: [{ suffix: '.png' }, { prefix: 'img/' }, { suffix: '.gif' }],
        delimiters: ['-'],
      }),
    ).toEqual([['styles']]);
  });

  it('suffix rules alone, or no delimiter, or a catalogue: no warning', () => {
    expect(paths({ rules: [{ suffix: '.png' }], delimiters: ['-'] })).toEqual([]);
    expect(paths({ rules: [{ prefix: 'img/' }] })).toEqual([]);
    expect(paths({ rules: [{ prefix: 'img/' }], delimiters: ['-'], styles: ['s'] })).toEqual([]);
  });
});

describe('S9 redundancy of case-insensitive rules, and affixes that are not ASCII', () => {
  it('an ASCII case-sensitive rule under an ASCII case-insensitive one', () => {
    expect(
      lint({
        rules: [
          { prefix: 'IMG/', suffix: '.PNG', caseInsensitive: true },
          { prefix: 'img/x/', suffix: '.png' },
        ],
      }),
    ).toEqual([
      [
        'rules[1]',
        'redundant-rule',
        'Rule 1 (prefix "img/x/" + suffix ".png") protects nothing rule 0 (prefix "IMG/" + suffix ".PNG") does not already protect; remove one of them.',
      ],
    ]);
  });

  it('an ASCII case-insensitive suffix under another, in other letter case', () => {
    expect(
      paths({ caseInsensitive: true, rules: [{ suffix: '.Jpeg' }, { suffix: '_SMALL.JPEG' }] }),
    ).toEqual([['rules', 1]]);
  });

  it('"İ" lower-cases to "i" + U+0307, but also matches a plain "i": not under a U+0307 suffix', () => {
    const input: PolicyInput = {
      caseInsensitive: true,
      rules: [{ suffix: '\u0307' }, { suffix: 'İ' }],
    };
    const policy = definePolicy(input);
    const [dot, dotted] = policy.rules as [(typeof policy.rules)[0], (typeof policy.rules)[0]];
    // S3 R2: "ai" is protected by the "İ" rule (folded, İ → i) and not by the U+0307 rule.
    expect(referenceRuleMatches('ai', dotted)).toBe(true);
    expect(referenceRuleMatches('ai', dot)).toBe(false);
    expect(lint(input)).toEqual([]);
  });

  it('a warned redundant rule protects no key the covering rule does not (tricky letters)', () => {
    const letter = fc.constantFrom(
      'a',
      'I',
      'i',
      'İ',
      'ı',
      '\u0307',
      's',
      'ſ',
      'K',
      '\u212a',
      'Σ',
      'ς',
      '/',
      '.',
    );
    const text = fc.array(letter, { minLength: 1, maxLength: 3 }).map((a) => a.join(''));
    const rule = fc.record(
      { prefix: text.filter((s) => s[0] !== '/'), suffix: text, caseInsensitive: fc.boolean() },
      { requiredKeys: ['caseInsensitive'] },
    );
    const hasAffix = (r: { prefix?: string; suffix?: string }) =>
      r.prefix !== undefined || r.suffix !== undefined;
    // Half the pairs: the second rule narrows the first (a longer prefix or suffix, its own
    // letter case), so that the linter has candidates to call redundant.
    const narrower = fc
      .tuple(rule, fc.option(text), fc.option(text), fc.boolean())
      .map(([a, more, less, ci]) => [
        a,
        {
          ...(a.prefix === undefined ? {} : { prefix: a.prefix + (more ?? '') }),
          ...(a.suffix === undefined ? {} : { suffix: (less ?? '') + a.suffix }),
          caseInsensitive: ci,
        },
      ]);
    const input = fc
      .oneof(fc.tuple(rule, rule), narrower)
      .filter((pair) => pair.every(hasAffix))
      .chain((pair) => fc.constantFrom(pair, [...pair].reverse()));
    const keys = fc.array(
      fc.array(letter, { maxLength: 5 }).map((a) => a.join('')),
      {
        minLength: 30,
        maxLength: 30,
      },
    );
    let warned = 0;
    fc.assert(
      fc.property(input, keys, (rules, keyList) => {
        // Each rule has a prefix or a suffix (filtered above); the type keeps both optional.
        const policy = definePolicy({ rules: rules as ProtectionRuleInput[] });
        for (const w of lintPolicy(policy)) {
          if (w.code !== 'redundant-rule') continue;
          warned++;
          // Two rules: the redundant one and the one that covers it.
          const [inner, outer] = w.path[1] === 0 ? policy.rules : [...policy.rules].reverse();
          if (inner === undefined || outer === undefined) throw new Error('two rules');
          const own = keyList.map((k) => `${inner.prefix ?? ''}${k}${inner.suffix ?? ''}`);
          for (const key of [...keyList, ...own]) {
            if (!referenceRuleMatches(key, inner)) continue;
            expect(referenceRuleMatches(key, outer), `${JSON.stringify(rules)} ${key}`).toBe(true);
          }
        }
      }),
      { numRuns: runs(300) },
    );
    expect(warned).toBeGreaterThan(0);
  });
});

describe('S9 redundancy by the extension list: the suffix must fix one listed extension', () => {
  it('the extension is the text after the last "." of the suffix, if no "/" follows it', () => {
    expect(paths({ rules: [{ suffix: '.tar.gz' }], extensions: ['gz'] })).toEqual([['rules', 0]]);
    expect(paths({ rules: [{ suffix: '.gz.tar' }], extensions: ['gz'] })).toEqual([]);
    expect(paths({ rules: [{ suffix: 'a.jpg/b' }], extensions: ['jpg'] })).toEqual([]);
    expect(paths({ rules: [{ suffix: '.jpg-' }], extensions: ['jpg'] })).toEqual([]);
    expect(paths({ rules: [{ suffix: '.-jpg' }], extensions: ['jpg'] })).toEqual([]);
    // Without a dot the rule also protects "notgif": not covered by the list.
    expect(lint({ rules: [{ suffix: 'gif' }], extensions: ['gif'] }).map((w) => w[1])).toEqual([
      'suffix-without-dot',
    ]);
  });

  it('a rule named redundant by the list protects only keys the list protects', () => {
    const input: PolicyInput = {
      rules: [{ suffix: '_orig.JPG', caseInsensitive: true }],
      extensions: ['jpg'],
    };
    expect(paths(input)).toEqual([['rules', 0]]);
    const list = definePolicy({ extensions: ['jpg'] });
    for (const key of ['a_orig.JPG', 'x/y_ORIG.jpg', 'b_orig.jPg']) {
      expect(referenceIsProtected(key, list), key).toBe(true);
    }
  });

  it('with ["*"] no rule is redundant by the list, only wide', () => {
    expect(lint({ rules: [{ prefix: 'ab/', suffix: '.jpg' }], extensions: ['*'] })).toEqual([]);
  });
});
