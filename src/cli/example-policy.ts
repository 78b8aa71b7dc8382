import type { PolicyInput } from '../index.js';

/**
 * The policy the CLI uses when no `--policy` is given; the same as `docs/example-policy.json`
 * (a test keeps the two equal).
 */
export const EXAMPLE_POLICY: PolicyInput = {
  rules: [
    { prefix: 'image/' },
    { suffix: '.png', caseInsensitive: true },
    { prefix: 'raw/', suffix: '.tif' },
  ],
  caseInsensitive: false,
  extensions: ['jpg', 'jpeg'],
  delimiters: ['!', '-'],
  styles: ['small', 'thumb', 'watermarked'],
};
