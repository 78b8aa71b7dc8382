/**
 * A deterministic corpus of realistic OSS object keys for the matcher benchmarks. Same seed, same
 * keys, on every machine and Node version: the PRNG is ours, never `Math.random`.
 */

/** mulberry32: a tiny 32-bit PRNG, plenty for picking words; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
const int = (rng: Rng, min: number, max: number): number =>
  min + Math.floor(rng() * (max - min + 1));
const pad2 = (n: number): string => String(n).padStart(2, '0');
const hex = (rng: Rng, len: number): string => {
  let s = '';
  for (let i = 0; i < len; i++) s += '0123456789abcdef'[Math.floor(rng() * 16)];
  return s;
};

// First folders, weighted by repetition. Several are (case variants of) the benchmark rules'
// prefixes so that rules match part of the corpus; `{id}` becomes a user id.
const TOP = [
  'image',
  'image',
  'image',
  'images',
  'images',
  'Images',
  'IMAGE',
  'photos',
  'photos',
  'Photos',
  'user/{id}/avatars',
  'user/{id}/avatars',
  'user/{id}/uploads',
  'user/avatars',
  'static/img',
  'static/img',
  'static/css',
  'static',
  'raw',
  'RAW',
  'uploads',
  'uploads',
  'archive',
  'assets',
  'assets',
  'media',
  'docs',
  'tmp',
  'backup',
  'cdn',
  'public',
  'products',
  'v1.2',
  '.well-known',
];

const SUB = [
  'thumbs',
  'large',
  'small',
  'original',
  'orig',
  'v2',
  'gallery',
  'banners',
  'icons',
  'products',
  'covers',
  'avatars',
  'export',
  'old',
  'web',
  'mobile',
  'Screenshots',
  'IMG',
];

const NON_ASCII_FOLDERS = [
  '照片',
  '图片',
  '写真',
  '사진',
  'фото',
  'café',
  'Übersicht',
  'São Paulo',
  'vacances été',
  '🎉',
];

const BASES = [
  'IMG_{n4}',
  'DSC{n5}',
  'photo',
  'photo-{n3}',
  'avatar',
  'banner_{n2}',
  'cover',
  'logo@2x',
  'product-{n5}',
  'Screenshot 2024-05-{n2} at 10.22.{n2}',
  'report-Q{n1}',
  '{hex8}-{hex4}-{hex4}',
  '{hex32}',
  'thumb_{n3}',
  'index',
  'README',
];

const NON_ASCII_BASES = [
  '照片{n3}',
  '图片_{n2}',
  '猫の写真',
  '가족사진',
  'résumé',
  'crème brûlée',
  'Straße',
  'niño_{n2}',
  'photo 😀',
  '🍣sushi',
  'snapshot-Ωμέγα',
];

// Variants a pipeline appends before the extension; `_orig` and `_full` meet suffix rules.
const TAGS = ['', '', '', '', '', '_orig', '_full', '_thumb', '-800x600', '@2x'];

// Extensions in realistic letter case, weighted by repetition.
const EXTENSIONS = [
  'jpg',
  'jpg',
  'jpg',
  'jpg',
  'JPG',
  'JPG',
  'jpeg',
  'JPEG',
  'png',
  'png',
  'png',
  'PNG',
  'gif',
  'webp',
  'webp',
  'heic',
  'HEIC',
  'tif',
  'tiff',
  'bmp',
  'svg',
  'txt',
  'pdf',
  'pdf',
  'json',
  'mp4',
  'MOV',
  'zip',
  'tar.gz',
  'css',
  'js',
];

const LONG_WORDS = ['summer', 'holiday', 'final', 'edited', 'v3', 'copy', 'export', 'highres'];

function fill(rng: Rng, template: string): string {
  return template
    .replace(/\{id\}/g, () => String(int(rng, 1, 99_999)))
    .replace(/\{n(\d)\}/g, (_, d: string) =>
      String(int(rng, 0, 10 ** Number(d) - 1)).padStart(Number(d), '0'),
    )
    .replace(/\{hex(\d+)\}/g, (_, d: string) => hex(rng, Number(d)));
}

function folders(rng: Rng, depth: number, nonAscii: boolean): string[] {
  if (depth === 0) return [];
  const segs = fill(rng, pick(rng, TOP)).split('/');
  while (segs.length < depth) {
    const r = rng();
    if (r < 0.3) segs.push(String(int(rng, 2015, 2025)), pad2(int(rng, 1, 12)));
    else if (r < 0.45) segs.push(hex(rng, 2));
    else if (r < 0.55) segs.push(String(int(rng, 1, 99_999)));
    else segs.push(pick(rng, SUB));
  }
  segs.length = depth;
  if (nonAscii) segs[int(rng, 0, depth - 1)] = pick(rng, NON_ASCII_FOLDERS);
  return segs;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const utf8Bytes = (s: string): number => encoder.encode(s).length;

/** One key: folders (depth 0–6), a base name, maybe a tag, maybe an extension. */
function makeKey(rng: Rng): string {
  const nonAscii = rng() < 0.1;
  const depth = pick(rng, [0, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6]);
  // A non-ASCII key has its non-ASCII text in a folder or in the file name.
  const nonAsciiFolder = nonAscii && depth > 0 && rng() < 0.4;
  const segs = folders(rng, depth, nonAsciiFolder);
  let base = fill(rng, nonAscii && !nonAsciiFolder ? pick(rng, NON_ASCII_BASES) : pick(rng, BASES));
  base += pick(rng, TAGS);
  const dir = segs.length === 0 ? '' : `${segs.join('/')}/`;
  const ext = rng() < 0.1 ? '' : `.${pick(rng, EXTENSIONS)}`;
  // About 2% are long (~500 UTF-8 bytes): generated names, descriptive titles.
  if (rng() < 0.02) {
    const target = int(rng, 450, 520);
    while (utf8Bytes(dir + base + ext) < target) base += `-${pick(rng, LONG_WORDS)}-${hex(rng, 6)}`;
  }
  return dir + base + ext;
}

/**
 * `n` keys from `seed`; the same arguments always give the same keys. Each key is decoded from
 * UTF-8 afresh, so it is a flat string like one read from a request, not the rope that string
 * concatenation builds (which every `charCodeAt` would have to walk).
 */
export function makeCorpus(seed: number, n: number): string[] {
  const rng = mulberry32(seed);
  const keys: string[] = [];
  for (let i = 0; i < n; i++) keys.push(decoder.decode(encoder.encode(makeKey(rng))));
  return keys;
}

/** Whether a key has a character outside ASCII. */
export function isNonAscii(key: string): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0x7f) return true;
  return false;
}
