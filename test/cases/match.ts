/**
 * SPEC S3 as data: (policy, key, content type) → which rule, extension or `*` protects the key.
 * `expect: undefined` means not protected.
 */
import type { PolicyInput } from '../../src/index.js';

export type Expected =
  | { kind: 'rule'; index: number }
  | { kind: 'extension'; extension: string }
  | { kind: 'wildcard' }
  | undefined;

export interface MatchCase {
  clause: string;
  policy: PolicyInput;
  key: string;
  contentType?: string;
  expect: Expected;
}

const rule = (index: number): Expected => ({ kind: 'rule', index });
const ext = (extension: string): Expected => ({ kind: 'extension', extension });

const folders: PolicyInput = {
  rules: [{ prefix: 'image/' }, { suffix: '.png' }, { prefix: 'raw/', suffix: '.tif' }],
};
const ci: PolicyInput = {
  caseInsensitive: true,
  rules: [{ prefix: 'Image/' }, { suffix: '.PNG' }],
};
const exts: PolicyInput = { extensions: ['jpg', 'jpeg', 'webp'] };
const star: PolicyInput = { extensions: ['*'] };

export const matchCases: MatchCase[] = [
  // S3.1 rules
  { clause: 'S3.1 prefix matches', policy: folders, key: 'image/a.gif', expect: rule(0) },
  {
    clause: 'S3.1 prefix is exact by default',
    policy: folders,
    key: 'Image/a.gif',
    expect: undefined,
  },
  {
    clause: 'S3.1 prefix without trailing / matches images/',
    policy: { rules: [{ prefix: 'image' }] },
    key: 'images/a',
    expect: rule(0),
  },
  {
    clause: 'S3.1 prefix image/ does not match images/',
    policy: folders,
    key: 'images/a.gif',
    expect: undefined,
  },
  { clause: 'S3.1 prefix equal to the key', policy: folders, key: 'image/', expect: rule(0) },
  { clause: 'S3.1 key shorter than prefix', policy: folders, key: 'imag', expect: undefined },
  { clause: 'S3.1 suffix matches', policy: folders, key: 'docs/a.png', expect: rule(1) },
  {
    clause: 'S3.1 suffix is exact by default',
    policy: folders,
    key: 'docs/a.PNG',
    expect: undefined,
  },
  { clause: 'S3.1 suffix trick a.png.jpg', policy: folders, key: 'a.png.jpg', expect: undefined },
  { clause: 'S3.1 suffix trick a.png;v=1', policy: folders, key: 'a.png;v=1', expect: undefined },
  {
    clause: 'S3.1 prefix and suffix both needed',
    policy: folders,
    key: 'raw/a.tif',
    expect: rule(2),
  },
  { clause: 'S3.1 prefix without suffix', policy: folders, key: 'raw/a.tiff', expect: undefined },
  { clause: 'S3.1 suffix without prefix', policy: folders, key: 'cooked/a.tif', expect: undefined },
  {
    clause: 'S3.1 prefix and suffix may overlap',
    policy: { rules: [{ prefix: 'ab', suffix: 'bc' }] },
    key: 'abc',
    expect: rule(0),
  },
  {
    clause: 'S3.1 first matching rule is named',
    policy: folders,
    key: 'image/a.png',
    expect: rule(0),
  },
  {
    clause: 'S3.1 later rule named when earlier fails',
    policy: folders,
    key: 'raw/a.png',
    expect: rule(1),
  },
  { clause: 'S3.1 empty key matches no affix rule', policy: folders, key: '', expect: undefined },
  // S3.1 case-insensitive
  { clause: 'S3.1 CI prefix, upper key', policy: ci, key: 'IMAGE/x', expect: rule(0) },
  { clause: 'S3.1 CI prefix, mixed key', policy: ci, key: 'iMaGe/x', expect: rule(0) },
  { clause: 'S3.1 CI suffix', policy: ci, key: 'x.png', expect: rule(1) },
  {
    clause: 'S3.1 rule CI overrides policy default',
    policy: { rules: [{ prefix: 'a', caseInsensitive: true }] },
    key: 'A',
    expect: rule(0),
  },
  {
    clause: 'S3.1 rule CS overrides CI default',
    policy: { caseInsensitive: true, rules: [{ prefix: 'a', caseInsensitive: false }] },
    key: 'A',
    expect: undefined,
  },
  {
    clause: 'S3.1 CI folds non-ASCII: É',
    policy: { caseInsensitive: true, rules: [{ prefix: 'é/' }] },
    key: 'É/a',
    expect: rule(0),
  },
  {
    clause: 'S3.1 CI folds non-ASCII in suffix: Σ',
    policy: { caseInsensitive: true, rules: [{ suffix: 'σ' }] },
    key: 'aΣb',
    expect: undefined,
  },
  {
    clause: 'S3.1 CI final sigma: key ΑΣ lower-cases to ας',
    policy: { caseInsensitive: true, rules: [{ suffix: 'ς' }] },
    key: 'ΑΣ',
    expect: rule(0),
  },
  {
    clause: 'S3.1 CI final sigma: prefix Σ alone lower-cases to σ',
    policy: { caseInsensitive: true, rules: [{ prefix: 'Σ' }] },
    key: 'Σa',
    expect: rule(0),
  },
  {
    clause: 'S3.1 CI İ lower-cases to two units (i + U+0307)',
    policy: { caseInsensitive: true, rules: [{ prefix: 'i' }] },
    key: 'İx',
    expect: rule(0),
  },
  {
    clause: 'S3.1 CI İ shifts a prefix longer than the key',
    policy: { caseInsensitive: true, rules: [{ prefix: 'i\u0307' }] },
    key: 'İ',
    expect: rule(0),
  },
  {
    clause: 'S3.1 CS İ is not i',
    policy: { rules: [{ prefix: 'i' }] },
    key: 'İx',
    expect: undefined,
  },
  {
    clause: 'S3.1 CI Kelvin sign lower-cases to ASCII k',
    policy: { caseInsensitive: true, rules: [{ suffix: '.k' }] },
    key: 'a.\u212a',
    expect: rule(0),
  },
  {
    clause: 'S3.1 CI ẞ lower-cases to ß, not ss',
    policy: { caseInsensitive: true, rules: [{ suffix: 'ss' }] },
    key: 'STRAẞ',
    expect: undefined,
  },
  {
    clause: 'S3.1 CI ẞ vs ß',
    policy: { caseInsensitive: true, rules: [{ suffix: 'ß' }] },
    key: 'STRAẞ',
    expect: rule(0),
  },
  {
    clause: 'S3.1 CS emoji prefix',
    policy: { rules: [{ prefix: '😀/' }] },
    key: '😀/a',
    expect: rule(0),
  },
  {
    clause: 'S3.1 CS CJK suffix',
    policy: { rules: [{ suffix: '图.jpg' }] },
    key: 'a/图.jpg',
    expect: rule(0),
  },
  {
    clause: 'S3.1 lone surrogate key does not crash',
    policy: { caseInsensitive: true, rules: [{ prefix: 'a' }] },
    key: 'A\ud800',
    expect: rule(0),
  },
  // S3.2 extensions
  { clause: 'S3.2 extension listed', policy: exts, key: 'a/b.jpg', expect: ext('jpg') },
  { clause: 'S3.2 extension any case', policy: exts, key: 'a/b.JPG', expect: ext('jpg') },
  { clause: 'S3.2 extension mixed case', policy: exts, key: 'PHOTO.JpEg', expect: ext('jpeg') },
  { clause: 'S3.2 dot in folder is no extension', policy: exts, key: 'a.jpg/c', expect: undefined },
  { clause: 'S3.2 trailing dot is no extension', policy: exts, key: 'a.jpg.', expect: undefined },
  { clause: 'S3.2 dot-file .jpg has extension jpg', policy: exts, key: '.jpg', expect: ext('jpg') },
  { clause: 'S3.2 last dot wins: a.jpg.png', policy: exts, key: 'a.jpg.png', expect: undefined },
  { clause: 'S3.2 last dot wins: a.png.jpg', policy: exts, key: 'a.png.jpg', expect: ext('jpg') },
  {
    clause: 'S3.2 a.jpg;v=1 has extension "jpg;v=1"',
    policy: exts,
    key: 'a.jpg;v=1',
    expect: undefined,
  },
  { clause: 'S3.2 no dot', policy: exts, key: 'jpg', expect: undefined },
  { clause: 'S3.2 key ending in /', policy: exts, key: 'a.jpg/', expect: undefined },
  {
    clause: 'S3.2 ASCII folding: É is not e',
    policy: { extensions: ['e'] },
    key: 'a.\u00c9',
    expect: undefined,
  },
  {
    clause: 'S3.2 16-character extension',
    policy: { extensions: ['abcdefghijklmnop'] },
    key: 'x.ABCDEFGHIJKLMNOP',
    expect: ext('abcdefghijklmnop'),
  },
  {
    clause: 'S3.2 11-character extension',
    policy: { extensions: ['abcdefghijk'] },
    key: 'x.abcdefghijk',
    expect: ext('abcdefghijk'),
  },
  {
    clause: 'S3.2 longer than any listed',
    policy: { extensions: ['abcdefghijklmnop'] },
    key: 'x.abcdefghijklmnopq',
    expect: undefined,
  },
  {
    clause: 'S3.2 digits',
    policy: { extensions: ['mp4', 'h264'] },
    key: 'v.H264',
    expect: ext('h264'),
  },
  {
    clause: 'S3.2 rule wins over extension',
    policy: { rules: [{ prefix: 'a' }], extensions: ['jpg'] },
    key: 'a.jpg',
    expect: rule(0),
  },
  // S3 R2: a case-insensitive comparison also matches the folded way (ſ → s, İ and ı → i, then
  // toLowerCase, on both sides), for rules and extensions alike.
  {
    clause: 'S3 R2 CI prefix: ſ in the key folds to s',
    policy: { caseInsensitive: true, rules: [{ prefix: 'secret/' }] },
    key: '\u017fecret/a.jpg',
    expect: rule(0),
  },
  {
    clause: 'S3 R2 CI prefix: ı in the key folds to i',
    policy: { caseInsensitive: true, rules: [{ prefix: 'image/' }] },
    key: '\u0131mage/a.jpg',
    expect: rule(0),
  },
  {
    clause: 'S3 R2 CI prefix: İ inside the key folds to i (the plain way adds U+0307)',
    policy: { caseInsensitive: true, rules: [{ prefix: 'private/' }] },
    key: 'PR\u0130VATE/a.jpg',
    expect: rule(0),
  },
  {
    clause: 'S3 R2 CI prefix: İ in the affix folds to i',
    policy: { caseInsensitive: true, rules: [{ prefix: '\u0130mg/' }] },
    key: 'img/a.jpg',
    expect: rule(0),
  },
  {
    clause: 'S3 R2 CI suffix: ı in the affix, upper case in the key',
    policy: { caseInsensitive: true, rules: [{ suffix: '.g\u0131f' }] },
    key: 'a.GIF',
    expect: rule(0),
  },
  {
    clause: 'S3 R2 CI suffix: ſ in the key',
    policy: { caseInsensitive: true, rules: [{ suffix: '.svg' }] },
    key: 'logo.\u017fvg',
    expect: rule(0),
  },
  {
    clause: 'S3 R2 CI: ſ in the affix matches S in the key',
    policy: { caseInsensitive: true, rules: [{ prefix: 'stra\u017fe/' }] },
    key: 'STRASE/x',
    expect: rule(0),
  },
  {
    clause: 'S3 R2 CI: each affix may match its own way (prefix plain, suffix folded)',
    policy: { caseInsensitive: true, rules: [{ prefix: 'i\u0307', suffix: 's' }] },
    key: '\u0130\u017f',
    expect: rule(0),
  },
  {
    clause: 'S3 R2 CI non-ASCII affix: the folded way, key in upper case',
    policy: { caseInsensitive: true, rules: [{ prefix: '\u0131\u015f/' }] },
    key: 'I\u015e/a',
    expect: rule(0),
  },
  {
    clause: 'S3 R2 CS prefix: ſ is not s',
    policy: { rules: [{ prefix: 'secret/' }] },
    key: '\u017fecret/a.jpg',
    expect: undefined,
  },
  {
    clause: 'S3 R2 CS prefix: ı is not i',
    policy: { rules: [{ prefix: 'image/' }] },
    key: '\u0131mage/a.jpg',
    expect: undefined,
  },
  {
    clause: 'S3 R2 CS prefix: the Kelvin sign is not K',
    policy: { rules: [{ prefix: 'K' }] },
    key: '\u212a',
    expect: undefined,
  },
  {
    clause: 'S3 R2 CI: only the three letters fold; ȷ U+0237 is not j',
    policy: { caseInsensitive: true, rules: [{ suffix: '.jpg' }] },
    key: 'a.\u0237pg',
    expect: undefined,
  },
  {
    clause: 'S3 R2 CI: fullwidth letters do not fold',
    policy: { caseInsensitive: true, rules: [{ prefix: 'image/' }] },
    key: '\uff49mage/a',
    expect: undefined,
  },
  {
    clause: 'S3 R2 extension: ı folds to i',
    policy: { extensions: ['gif'] },
    key: 'a/b.G\u0131F',
    expect: ext('gif'),
  },
  {
    clause: 'S3 R2 extension: İ folds to i',
    policy: { extensions: ['tif'] },
    key: 'scan.T\u0130F',
    expect: ext('tif'),
  },
  {
    clause: 'S3 R2 extension: ſ folds to s',
    policy: { extensions: ['svg'] },
    key: 'logo.\u017fvg',
    expect: ext('svg'),
  },
  {
    clause: 'S3 R2 extension: the Kelvin sign lower-cases to k in the folded way',
    policy: { extensions: ['mkv'] },
    key: 'clip.M\u212aV',
    expect: ext('mkv'),
  },
  {
    clause: 'S3 R2 extension: a folded letter does not move the last dot',
    policy: { extensions: ['jpg'] },
    key: 'a.jpg.\u017f',
    expect: undefined,
  },
  // S3.3 wildcard
  {
    clause: 'S3.3 * without content type protects every key',
    policy: star,
    key: 'a/readme.txt',
    expect: { kind: 'wildcard' },
  },
  {
    clause: 'S3.3 * protects keys without extension',
    policy: star,
    key: 'a',
    expect: { kind: 'wildcard' },
  },
  {
    clause: 'S3.3 * with image type',
    policy: star,
    key: 'a.bin',
    contentType: 'image/png',
    expect: { kind: 'wildcard' },
  },
  {
    clause: 'S3.3 * with image type, case and parameters',
    policy: star,
    key: 'a',
    contentType: ' IMAGE/JPEG; q=0.9',
    expect: { kind: 'wildcard' },
  },
  {
    clause: 'S3.3 * with non-image type',
    policy: star,
    key: 'a.jpg',
    contentType: 'application/octet-stream',
    expect: undefined,
  },
  {
    clause: 'S3.3 * with text type',
    policy: star,
    key: 'a.png',
    contentType: 'text/plain',
    expect: undefined,
  },
  {
    clause: 'S3.3 * with empty content type is unknown: protected',
    policy: star,
    key: 'a.txt',
    contentType: '',
    expect: { kind: 'wildcard' },
  },
  {
    clause: 'S3.3 * with image and no subtype',
    policy: star,
    key: 'a',
    contentType: 'image',
    expect: { kind: 'wildcard' },
  },
  {
    clause: 'S3.3 * with images/ is not image/',
    policy: star,
    key: 'a',
    contentType: 'images/png',
    expect: undefined,
  },
  {
    clause: 'S3.3 * rule named first',
    policy: { rules: [{ prefix: 'a' }], extensions: ['*'] },
    key: 'a',
    contentType: 'text/plain',
    expect: rule(0),
  },
  {
    clause: 'S3.3 content type ignored without *',
    policy: exts,
    key: 'a.jpg',
    contentType: 'text/plain',
    expect: ext('jpg'),
  },
];
