/**
 * `explainProtection` (SPEC S3, `src/match/explain.ts`): every test S3 makes on a key, the plain
 * way: each rule's prefix and suffix (case-insensitive ones plain or folded, S3 R2), the
 * extension as written (S3.2) and whether it is listed in ASCII case or folded, `*` and whether it
 * applies to the content type (S3.3), and the verdict. Before these tests only the CLI suites,
 * which run `dist/`, looked at its fields.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  definePolicy,
  explainProtection,
  matchProtection,
  type PolicyInput,
} from '../../src/index.js';
import {
  referenceAffixMatches,
  referenceExtension,
  referenceIsImageType,
  referenceMatch,
} from '../reference.js';
import { interestingString, policyInputArb } from '../support/arbitraries.js';
import { runs } from '../support/runs.js';

const POLICY: PolicyInput = {
  rules: [
    { prefix: 'image/' },
    { suffix: '.PNG', caseInsensitive: true },
    { prefix: 'raw/', suffix: '.tif' },
    { prefix: 'ſecret/', caseInsensitive: true },
  ],
  extensions: ['jpg', 'webp', 'tiff'],
};
const policy = definePolicy(POLICY);

type Row = [
  name: string,
  key: string,
  rules: [prefix: boolean | undefined, suffix: boolean | undefined, matches: boolean][],
  extension: string | undefined,
  listed: boolean,
];

describe('S3 explainProtection: each rule test, the extension, the verdict (case table)', () => {
  const rows: Row[] = [
    [
      'S3.1 a prefix rule matches; the others say why not',
      'image/a.jpg',
      [
        [true, undefined, true],
        [undefined, false, false],
        [false, false, false],
        [false, undefined, false],
      ],
      'jpg',
      true,
    ],
    [
      'S3.1 a case-insensitive suffix matches in any case',
      'x/A.png',
      [
        [false, undefined, false],
        [undefined, true, true],
        [false, false, false],
        [false, undefined, false],
      ],
      'png',
      false,
    ],
    [
      'S3.1 both affixes of a rule must match: prefix only is no match',
      'raw/a.jpg',
      [
        [false, undefined, false],
        [undefined, false, false],
        [true, false, false],
        [false, undefined, false],
      ],
      'jpg',
      true,
    ],
    [
      'S3.1 both affixes match',
      'raw/a.tif',
      [
        [false, undefined, false],
        [undefined, false, false],
        [true, true, true],
        [false, undefined, false],
      ],
      'tif',
      false,
    ],
    [
      'S3 R2 a case-insensitive prefix matches folded (ſ = s)',
      'SECRET/a.bin',
      [
        [false, undefined, false],
        [undefined, false, false],
        [false, false, false],
        [true, undefined, true],
      ],
      'bin',
      false,
    ],
    [
      'S3.2 the extension is listed in any ASCII case',
      'docs/A.JPG',
      [
        [false, undefined, false],
        [undefined, false, false],
        [false, false, false],
        [false, undefined, false],
      ],
      'JPG',
      true,
    ],
    [
      'S3 R2 the extension is listed folded (ı = i)',
      'docs/a.tıff',
      [
        [false, undefined, false],
        [undefined, false, false],
        [false, false, false],
        [false, undefined, false],
      ],
      'tıff',
      true,
    ],
    [
      'S3.2 no extension after the last "/"',
      'a.jpg/b',
      [
        [false, undefined, false],
        [undefined, false, false],
        [false, false, false],
        [false, undefined, false],
      ],
      undefined,
      false,
    ],
  ];
  for (const [name, key, rules, extension, listed] of rows) {
    it(name, () => {
      const e = explainProtection(key, policy);
      expect(e.key).toBe(key);
      expect(e.rules.map((r) => [r.prefixMatches, r.suffixMatches, r.matches])).toEqual(rules);
      expect(e.rules.map((r) => [r.index, r.rule])).toEqual(policy.rules.map((r, i) => [i, r]));
      expect(e.extension).toBe(extension);
      expect(e.extensionListed).toBe(listed);
      expect(e.wildcard).toBe(false);
      expect(e.wildcardApplies).toBe(false);
      expect(e.match).toEqual(matchProtection(key, policy));
    });
  }

  it('S3 R2 an extension listed only folded: "ſvg" is "svg", "SVG" is too', () => {
    const svg = definePolicy({ extensions: ['svg'] });
    for (const key of ['a.ſvg', 'a.SVG', 'a.Svg'])
      expect(explainProtection(key, svg), key).toMatchObject({ extensionListed: true });
    expect(explainProtection('a.svgz', svg)).toMatchObject({ extensionListed: false });
  });
});

describe('S3.3 explainProtection with extensions ["*"]', () => {
  const star = definePolicy({ extensions: ['*'] });
  const rows: [string, string | undefined, boolean][] = [
    ['no content type: every key', undefined, true],
    ['an empty content type counts as none', '', true],
    ['an image type', 'image/png', true],
    ['an image type in any case, with parameters', 'IMAGE/webp; q=1', true],
    ['not an image', 'text/plain', false],
    ['not an image: "imagex/png"', 'imagex/png', false],
  ];
  for (const [name, contentType, applies] of rows) {
    it(`S3.3 ${name}`, () => {
      const e = explainProtection('a.txt', star, contentType === undefined ? {} : { contentType });
      // The list is "*": no extension is "listed", whatever the key's.
      expect(e).toMatchObject({ wildcard: true, wildcardApplies: applies, extensionListed: false });
      expect(e.extension).toBe('txt');
      expect(e.match).toEqual(applies ? { kind: 'wildcard' } : undefined);
    });
  }
});

describe('S3 explainProtection agrees with the reference model (property)', () => {
  it('every rule test, the extension, "*" and the verdict', () => {
    fc.assert(
      fc.property(
        policyInputArb,
        interestingString(0, 12),
        fc.option(fc.constantFrom('image/png', 'text/plain', '', 'Image/x'), { nil: undefined }),
        (input, key, contentType) => {
          const p = definePolicy(input);
          const options = contentType === undefined ? {} : { contentType };
          const e = explainProtection(key, p, options);
          p.rules.forEach((rule, i) => {
            const test = e.rules[i];
            const prefix =
              rule.prefix === undefined
                ? undefined
                : referenceAffixMatches(key, rule.prefix, rule.caseInsensitive, 'prefix');
            const suffix =
              rule.suffix === undefined
                ? undefined
                : referenceAffixMatches(key, rule.suffix, rule.caseInsensitive, 'suffix');
            expect(test).toEqual({
              index: i,
              rule,
              prefixMatches: prefix,
              suffixMatches: suffix,
              matches: prefix !== false && suffix !== false,
            });
          });
          expect(e.rules).toHaveLength(p.rules.length);
          const wildcard = p.extensions[0] === '*';
          expect(e.extension).toBe(referenceExtension(key));
          expect(e.wildcard).toBe(wildcard);
          expect(e.wildcardApplies).toBe(wildcard && referenceIsImageType(contentType));
          const reference = referenceMatch(key, { ...p, rules: [] }, contentType);
          expect(e.extensionListed).toBe(!wildcard && reference?.kind === 'extension');
          expect(e.match).toEqual(matchProtection(key, p, options));
        },
      ),
      { numRuns: runs(300) },
    );
  });
});
