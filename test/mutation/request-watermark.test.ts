/**
 * The objects that `watermark` actions of inline processing name (SPEC S4 R2 "Watermarks",
 * docs/behaviour.md#other-processing-forms; `src/request/watermark.ts`): `image_<Base64 of
 * key[?x-oss-process=…]>` in an action named `watermark` in any letter case, decoded as URL-safe
 * or standard Base64 with optional padding, split at the first `?`, the key part judged as
 * decoded and percent-decoded too. A value that is not Base64 of UTF-8 text cannot be judged
 * (`undecodable`, denied). A standard-Base64 value may hold `/`, so it is read both up to the
 * `/` and across it, up to the next `,`.
 *
 * Compared with a plain reading of the spec (Base64 through `Buffer`, UTF-8 through a fatal
 * `TextDecoder`) on random values over a small alphabet, and at hand-picked rows. Written to kill
 * the mutants the broader suites let through (the module-level constants are checked on a
 * freshly loaded module).
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { watermarks } from '../../src/request/watermark.js';
import { runs } from '../support/runs.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** URL-safe or standard Base64, padding optional, of UTF-8 text; `undefined` when it is not. */
function base64Text(value: string): string | undefined {
  const bare = value
    .replace(/={1,2}$/, '')
    .replace(/-/g, '+')
    .replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*$/.test(bare) || bare.length % 4 === 1) return undefined;
  try {
    return utf8.decode(Buffer.from(bare, 'base64'));
  } catch {
    return undefined;
  }
}

/** The key part of a decoded reference, and its percent-decoded form when that differs. */
function keysOf(reference: string): string[] {
  const key = reference.split('?')[0] as string;
  const out = key === '' ? [] : [key];
  try {
    const decoded = decodeURIComponent(key);
    if (decoded !== key && decoded !== '') out.push(decoded);
  } catch {
    // Not percent-encoded text: the key as decoded is all there is.
  }
  return out;
}

/** SPEC S4 R2 watermarks, plainly: every `image_` parameter of a `watermark` action. */
function model(value: string): { keys: string[]; undecodable: boolean } {
  const keys: string[] = [];
  let undecodable = false;
  const lower = value.toLowerCase();
  for (let at = lower.indexOf('image_'); at !== -1; at = lower.indexOf('image_', at + 1)) {
    const action = lower.slice(lower.lastIndexOf('/', at) + 1, at);
    if (!action.startsWith('watermark,') || value[at - 1] !== ',') continue;
    const long = value.slice(at + 6).split(',')[0] as string;
    const short = long.split('/')[0] as string;
    const first = base64Text(short);
    if (first === undefined) undecodable = true;
    else keys.push(...keysOf(first));
    if (long !== short) {
      const across = base64Text(long);
      if (across !== undefined) keys.push(...keysOf(across));
    }
  }
  return { keys, undecodable };
}

/** Keys compared as a multiset: the spec does not order them. */
const sorted = (w: { keys: readonly string[]; undecodable: boolean }) => ({
  keys: [...w.keys].sort(),
  undecodable: w.undecodable,
});

const NONE = { keys: [], undecodable: false };

describe('S4 R2 the watermarks agree with the plain reading', () => {
  const PIECES = [
    'image/',
    'watermark,',
    'WaterMark,',
    'image_',
    'IMAGE_',
    ',',
    '/',
    'text_',
    'g_se',
    'x',
    '=',
    b64('a'), // YQ==
    'YQ',
    b64('secret/logoé.png'), // holds a "/"
    b64('secret/a~b.png'), // holds a "+"
    b64url('secret/a~b.png'), // holds a "-"
    b64url('secret/logoé.png'), // holds a "_"
    b64('k?x-oss-process=image/resize,w_1'),
    b64('a%2Fb'),
    b64('100%'),
    b64('%41'),
    b64('?q'),
    b64('\t'),
    b64('\u0010'),
    b64('图'),
    'YWJjZ', // 5 digits: not Base64
    '!!',
    '/w',
  ];

  it('random values', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 10 }), (pieces) => {
        const value = pieces.join('');
        expect(sorted(watermarks(value))).toEqual(sorted(model(value)));
      }),
      { numRuns: runs(1000) },
    );
  });

  it('every value of a watermark action and up to 3 pieces', () => {
    const wrong: string[] = [];
    let tails = [''];
    for (let n = 1; n <= 3; n++) {
      tails = tails.flatMap((t) => PIECES.map((p) => t + p));
      for (const tail of tails)
        for (const value of [`watermark,image_${tail}`, `image/watermark,image_${tail}`])
          if (JSON.stringify(sorted(watermarks(value))) !== JSON.stringify(sorted(model(value))))
            wrong.push(value);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});

describe('S4 R2 the key a watermark names', () => {
  const rows: [clause: string, value: string, want: { keys: string[]; undecodable: boolean }][] = [
    [
      'S4 R2 (docs example)',
      'image/watermark,image_c2VjcmV0L2xvZ28ucG5n',
      { keys: ['secret/logo.png'], undecodable: false },
    ],
    [
      'S4 R2 (source example)',
      'image/resize,w_100/watermark,image_cGFuZGEucG5n',
      { keys: ['panda.png'], undecodable: false },
    ],
    ['S4 R2 padding "=="', 'watermark,image_YQ==', { keys: ['a'], undecodable: false }],
    ['S4 R2 padding "="', 'watermark,image_YWI=', { keys: ['ab'], undecodable: false }],
    ['S4 R2 no padding', 'watermark,image_YQ', { keys: ['a'], undecodable: false }],
    [
      'S4 R2 URL-safe "-"',
      `watermark,image_${b64url('secret/a~b.png')}`,
      { keys: ['secret/a~b.png'], undecodable: false },
    ],
    [
      'S4 R2 standard "+"',
      `watermark,image_${b64('secret/a~b.png')}`,
      { keys: ['secret/a~b.png'], undecodable: false },
    ],
    [
      'S4 R2 URL-safe "_"',
      `watermark,image_${b64url('secret/logoé.png')}`,
      { keys: ['secret/logoé.png'], undecodable: false },
    ],
    [
      'S4 R2 a control character (one hex digit)',
      `watermark,image_${b64('a\tb')}`,
      { keys: ['a\tb'], undecodable: false },
    ],
    [
      'S4 R2 byte 0x10 (two hex digits)',
      `watermark,image_${b64('a\u0010b')}`,
      { keys: ['a\u0010b'], undecodable: false },
    ],
    [
      'S4 R2 with its own processing',
      `watermark,image_${b64('secret/logo.png?x-oss-process=image/resize,P_20')},t_90`,
      { keys: ['secret/logo.png'], undecodable: false },
    ],
    [
      'S4 R2 the key percent-decoded too',
      `watermark,image_${b64('secret%2Flogo.png')}`,
      { keys: ['secret%2Flogo.png', 'secret/logo.png'], undecodable: false },
    ],
    [
      'S4 R2 a "%" that is no escape: the key as decoded',
      `watermark,image_${b64('100%.png')}`,
      { keys: ['100%.png'], undecodable: false },
    ],
    [
      'S4 R2 an escaped "%"',
      `watermark,image_${b64('%25')}`,
      { keys: ['%25', '%'], undecodable: false },
    ],
    [
      'S4 an empty key names no object (S4: bucket level)',
      `watermark,image_${b64('?x-oss-process=image/resize,w_1')}`,
      NONE,
    ],
    ['S4 R2 any letter case', 'image/WaterMark,IMAGE_YQ', { keys: ['a'], undecodable: false }],
    [
      'S4 R2 after other parameters of the action',
      'watermark,t_90,g_se,image_YQ',
      { keys: ['a'], undecodable: false },
    ],
    [
      'S4 R2 two watermark actions',
      'watermark,image_YQ/watermark,image_Yg',
      { keys: ['a', 'b'], undecodable: false },
    ],
    // Not Base64 of UTF-8 text: cannot be judged.
    ['S4 R2 docs example', 'image/watermark,image_!!!', { keys: [], undecodable: true }],
    ['S4 R2 five digits', 'watermark,image_YWJjZ', { keys: [], undecodable: true }],
    ['S4 R2 one digit', 'watermark,image_Y', { keys: [], undecodable: true }],
    ['S4 R2 padding in the middle', 'watermark,image_YQ==YQ', { keys: [], undecodable: true }],
    ['S4 R2 three "="', 'watermark,image_YQ===', { keys: [], undecodable: true }],
    [
      'S4 R2 not UTF-8',
      `watermark,image_${Buffer.from([0xc3, 0x28]).toString('base64')}`,
      {
        keys: [],
        undecodable: true,
      },
    ],
    ['S4 R2 an empty value names nothing', 'watermark,image_,t_90', NONE],
    // Not a parameter of a watermark action.
    ['S4 R2 another action', 'image/crop,image_YQ/watermark,text_eA', NONE],
    ['S4 R2 another action first', 'crop,image_YQ/watermark,text_eA', NONE],
    ['S4 R2 inside another parameter', 'watermark,text_ximage_YQ', NONE],
    ['S4 R2 the action name alone', 'watermark/image_YQ', NONE],
    ['S4 R2 a value starting with image_', 'image_YQ/watermark,text_eA', NONE],
    ['S4 R2 no watermark action', 'image/resize,w_100', NONE],
    ['S4 R2 an action that only starts like one', 'watermarks,image_YQ', NONE],
  ];

  it.each(rows)('%s: %s', (_clause, value, want) => {
    expect(watermarks(value)).toEqual(want);
  });
});

describe('S4 R2 a standard-Base64 value holding "/" is read up to it and across it', () => {
  // secret/logoé.png in standard Base64 is c2VjcmV0L2xvZ2/DqS5wbmc=: up to the "/" it reads
  // secret/log, across it the whole key.
  const slashed = b64('secret/logoé.png');

  it.each([
    ['at the end', `watermark,image_${slashed}`],
    ['before another parameter', `watermark,image_${slashed},t_90`],
    ['before another parameter and action', `watermark,image_${slashed},t_90/resize,w_9`],
  ])('%s', (_name, value) => {
    expect(slashed).toContain('/');
    expect(sorted(watermarks(value))).toEqual({
      keys: ['secret/log', 'secret/logoé.png'],
      undecodable: false,
    });
  });

  it.each([
    // Up to the "/" it decodes, across it (to the next ",") it does not: only the first counts.
    ['the next action is not Base64', 'watermark,image_YQ/resize,w_9', ['a']],
    // A "/" after the next "," ends nothing of this value.
    ['a "/" after the next ","', 'watermark,image_YQ,g_se/resize,w_1', ['a']],
    [
      'a "/" after the next ",", then more',
      'watermark,image_YQ,t_9/watermark,image_Yg',
      ['a', 'b'],
    ],
  ])('%s: %s', (_name, value, keys) => {
    expect(sorted(watermarks(value))).toEqual({ keys: [...keys].sort(), undecodable: false });
  });
});

describe('module-level constants, on a freshly loaded module', () => {
  it('S4 R2 no watermark is no key; a Base64 value decodes', async () => {
    vi.resetModules();
    const w = await import('../../src/request/watermark.js');
    expect(w.NO_WATERMARKS).toEqual(NONE);
    expect(w.watermarks('image/resize,w_100')).toEqual(NONE);
    expect(w.watermarks('image/watermark,text_eA')).toEqual(NONE);
    expect(w.watermarks('watermark,image_c2VjcmV0L2xvZ28ucG5n')).toEqual({
      keys: ['secret/logo.png'],
      undecodable: false,
    });
  });
});
