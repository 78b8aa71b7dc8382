/** SPEC S9 as data: policy → the warnings expected (code and path), each row naming its clause. */
import { EXAMPLE_POLICY } from '../../src/cli/example-policy.js';
import type { PolicyInput } from '../../src/index.js';

export interface LintCase {
  clause: string;
  policy: PolicyInput;
  warnings: { code: string; path: (string | number)[] }[];
}

export const lintCases: LintCase[] = [
  { clause: 'S9 the example policy has no warning', policy: EXAMPLE_POLICY, warnings: [] },
  {
    clause: 'S9 R2 an empty policy protects nothing',
    policy: {},
    warnings: [{ code: 'protects-nothing', path: [] }],
  },
  // prefix without trailing slash that looks like a folder
  {
    clause: 'S9 prefix "image" looks like a folder',
    policy: { rules: [{ prefix: 'image' }] },
    warnings: [{ code: 'prefix-not-folder', path: ['rules', 0, 'prefix'] }],
  },
  {
    clause: 'S9 prefix "photos/2024" looks like a folder',
    policy: { rules: [{ prefix: 'photos/2024' }] },
    warnings: [{ code: 'prefix-not-folder', path: ['rules', 0, 'prefix'] }],
  },
  {
    clause: 'S9 prefix "img_" is a file-name prefix',
    policy: { rules: [{ prefix: 'img_' }] },
    warnings: [],
  },
  {
    clause: 'S9 prefix "a/b.c" is not a folder',
    policy: { rules: [{ prefix: 'a/b.c' }] },
    warnings: [],
  },
  {
    clause: 'S9 prefix with trailing slash',
    policy: { rules: [{ prefix: 'image/' }] },
    warnings: [],
  },
  // redundant rules
  {
    clause: 'S9 a longer prefix is redundant under a shorter one',
    policy: { rules: [{ prefix: 'image/' }, { prefix: 'image/2024/' }] },
    warnings: [{ code: 'redundant-rule', path: ['rules', 1] }],
  },
  {
    clause: 'S9 order does not matter',
    policy: { rules: [{ prefix: 'image/2024/' }, { prefix: 'image/' }] },
    warnings: [{ code: 'redundant-rule', path: ['rules', 0] }],
  },
  {
    clause: 'S9 identical rules: only the later one',
    policy: { rules: [{ suffix: '.png' }, { suffix: '.png' }] },
    warnings: [{ code: 'redundant-rule', path: ['rules', 1] }],
  },
  {
    clause: 'S9 prefix+suffix under the prefix alone',
    policy: { rules: [{ prefix: 'raw/' }, { prefix: 'raw/', suffix: '.tif' }] },
    warnings: [{ code: 'redundant-rule', path: ['rules', 1] }],
  },
  {
    clause: 'S9 case-sensitive rule under a case-insensitive one',
    policy: { rules: [{ prefix: 'img/', caseInsensitive: true }, { prefix: 'IMG/x/' }] },
    warnings: [{ code: 'redundant-rule', path: ['rules', 1] }],
  },
  {
    clause: 'S9 case-insensitive rule is not covered by a case-sensitive one',
    policy: { rules: [{ prefix: 'img/' }, { prefix: 'img/x/', caseInsensitive: true }] },
    warnings: [],
  },
  {
    clause: 'S9 suffix fixing a listed extension is redundant',
    policy: { rules: [{ suffix: '_orig.jpg' }], extensions: ['jpg'] },
    warnings: [{ code: 'redundant-rule', path: ['rules', 0] }],
  },
  {
    clause: 'S9 upper-case suffix extension is covered (extensions ignore case)',
    policy: { rules: [{ prefix: 'a/', suffix: '.JPG' }], extensions: ['jpg'] },
    warnings: [{ code: 'redundant-rule', path: ['rules', 0] }],
  },
  {
    clause: 'S9 suffix with a folder after the dot fixes no extension',
    policy: { rules: [{ suffix: '.jpg/x' }], extensions: ['jpg'] },
    warnings: [],
  },
  {
    clause: 'S9 unlisted suffix extension',
    policy: { rules: [{ suffix: '.png' }], extensions: ['jpg'] },
    warnings: [],
  },
  // delimiters and catalogue
  {
    clause: 'S9 delimiters without catalogue under prefix rules',
    policy: { rules: [{ prefix: 'image/' }], delimiters: ['!'] },
    warnings: [{ code: 'delimiters-without-catalogue', path: ['styles'] }],
  },
  {
    clause: 'S9 delimiters without catalogue and only suffix rules: fine',
    policy: { rules: [{ suffix: '.png' }], delimiters: ['!'] },
    warnings: [],
  },
  {
    clause: 'S9 / as a delimiter',
    policy: { extensions: ['jpg'], delimiters: ['!', '/'], styles: ['s'] },
    warnings: [{ code: 'slash-delimiter', path: ['delimiters', 1] }],
  },
  {
    clause: 'S9 style name containing an enabled delimiter',
    policy: { extensions: ['jpg'], delimiters: ['-'], styles: ['small', 'small-v2'] },
    warnings: [{ code: 'style-contains-delimiter', path: ['styles', 1] }],
  },
  {
    clause: 'S9 style name containing a disabled delimiter: fine',
    policy: { extensions: ['jpg'], delimiters: ['!'], styles: ['small-v2'] },
    warnings: [],
  },
  {
    clause: 'S9 * with a suffix-only rule',
    policy: { rules: [{ suffix: '.txt' }], extensions: ['*'] },
    warnings: [{ code: 'wildcard-with-wide-rule', path: ['rules', 0] }],
  },
  {
    clause: 'S9 * with a folder rule: fine',
    policy: { rules: [{ prefix: 'docs/' }], extensions: ['*'] },
    warnings: [],
  },
  {
    clause: 'S9 catalogue without delimiters',
    policy: { extensions: ['jpg'], styles: ['small'] },
    warnings: [{ code: 'catalogue-without-delimiter', path: ['styles'] }],
  },
  // R2: a policy that protects nothing
  {
    clause: 'S9 R2 delimiters and a catalogue alone protect nothing',
    policy: { delimiters: ['!'], styles: ['small'], atProcessing: true },
    warnings: [{ code: 'protects-nothing', path: [] }],
  },
  {
    clause: 'S9 R2 a catalogue alone: protects nothing, and no delimiter',
    policy: { styles: ['small'] },
    warnings: [
      { code: 'protects-nothing', path: [] },
      { code: 'catalogue-without-delimiter', path: ['styles'] },
    ],
  },
  {
    clause: 'S9 R2 one extension is protection',
    policy: { extensions: ['png'] },
    warnings: [],
  },
  {
    clause: 'S9 R2 one rule is protection',
    policy: { rules: [{ prefix: 'raw/' }] },
    warnings: [],
  },
  {
    clause: 'S9 R2 extensions "*" is protection',
    policy: { extensions: ['*'] },
    warnings: [],
  },
  // R2: a suffix that is an image extension without its dot
  ...['jpg', 'jpeg', 'png', 'gif', 'webp', 'bmp', 'tif', 'tiff', 'heic', 'avif', 'svg'].map(
    (ext, i): LintCase => {
      const written =
        i % 3 === 0
          ? ext.toUpperCase()
          : i % 3 === 1
            ? ext
            : `${ext[0]?.toUpperCase()}${ext.slice(1)}`;
      return {
        clause: `S9 R2 suffix "${written}" without its dot (also matches "not${written}")`,
        policy: { rules: [{ suffix: written }] },
        warnings: [{ code: 'suffix-without-dot', path: ['rules', 0, 'suffix'] }],
      };
    },
  ),
  {
    clause: 'S9 R2 suffix without a dot, next to a prefix, in a later rule',
    policy: { rules: [{ prefix: 'a/' }, { prefix: 'img/', suffix: 'webp' }] },
    warnings: [{ code: 'suffix-without-dot', path: ['rules', 1, 'suffix'] }],
  },
  {
    clause: 'S9 R2 suffix with its dot: fine',
    policy: { rules: [{ suffix: '.jpg' }] },
    warnings: [],
  },
  {
    clause: 'S9 R2 a suffix that only ends like an extension is deliberate: fine',
    policy: { rules: [{ suffix: '_orig.jpg' }, { suffix: 'thumbjpg' }, { suffix: 'jpg2' }] },
    warnings: [],
  },
  {
    clause: 'S9 R2 a word that is not on the list: fine',
    policy: { rules: [{ suffix: 'txt' }, { suffix: 'mp4' }] },
    warnings: [],
  },
  {
    clause: 'S9 R2 a non-ASCII look-alike is not "in any case" (ASCII case only)',
    policy: { rules: [{ suffix: 'ſvg', caseInsensitive: true }, { suffix: 'JPＧ' }] },
    warnings: [],
  },
];
