/** Policies the benches share, so their figures speak of the same rules. */
import type { ProtectionRuleInput } from '../src/index.js';

/** Eight image extensions, in the shapes buckets list them. */
export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'gif', 'webp', 'heic', 'tif', 'bmp'];

/** Ten rules in the shapes buckets use: folder prefixes, variant suffixes, and both together. */
export const TEN_RULES: readonly ProtectionRuleInput[] = [
  { prefix: 'image/' },
  { prefix: 'photos/' },
  { prefix: 'user/avatars/' },
  { prefix: 'static/img/' },
  { prefix: 'raw/' },
  { suffix: '_orig.jpg' },
  { suffix: '.png' },
  { prefix: 'uploads/', suffix: '.heic' },
  { prefix: 'user/', suffix: '_full.jpg' },
  { prefix: 'archive/', suffix: '.tif' },
];
