/**
 * Reading a request's parts (SPEC S4, `src/request/access.ts`): headers in each of the shapes
 * servers hold them (a Fetch `Headers`, a Node record, `[name, value]` pairs, Node's
 * `rawHeaders`), names compared case-insensitively, repeats kept; and the method, where a read
 * in any letter case is a read (S6.1). Written to kill the mutants the broader suites let through.
 */
import { describe, expect, it } from 'vitest';
import {
  definePolicy,
  detectSignature,
  evaluate,
  headerValue,
  headerValues,
  type RequestLike,
} from '../../src/index.js';
import { headerNames, requestMethod } from '../../src/request/access.js';

const AUTH = 'OSS ak:c2ln';

describe('S4 headerValues in every shape', () => {
  it('a Fetch Headers: one value, repeats comma-joined, absent is none', () => {
    const h = new Headers([
      ['X-A', '1'],
      ['x-a', '2'],
      ['B', 'b'],
    ]);
    expect(headerValues({ headers: h }, 'x-a')).toEqual(['1, 2']);
    expect(headerValues({ headers: h }, 'b')).toEqual(['b']);
    expect(headerValues({ headers: h }, 'c')).toEqual([]);
  });

  it('a Node record: arrays are repeats, numbers are text, undefined and null are no header', () => {
    const headers = { 'x-a': ['1', '2'], 'x-n': 7, 'x-u': undefined, 'x-z': null } as never;
    expect(headerValues({ headers }, 'x-a')).toEqual(['1', '2']);
    expect(headerValues({ headers }, 'x-n')).toEqual(['7']);
    expect(headerValues({ headers }, 'x-u')).toEqual([]);
    expect(headerValues({ headers }, 'x-z')).toEqual([]);
    expect(headerValues({ headers }, 'x-missing')).toEqual([]);
  });

  it('a hand-made record with other letter case: found by a scan, first match wins', () => {
    const headers = { 'X-A': 'first', 'x-A': 'second', Other: 'o' };
    expect(headerValues({ headers }, 'x-a')).toEqual(['first']);
    expect(headerValue({ headers }, 'other')).toBe('o');
    // A name of the same length that differs is not a match.
    expect(headerValues({ headers: { 'x-b': '1' } }, 'x-a')).toEqual([]);
    // A longer or shorter name is not a match, whatever its prefix.
    expect(headerValues({ headers: { 'x-aa': '1', x: '2' } }, 'x-a')).toEqual([]);
  });

  it('a record: its exact lower-case entry wins, else the first other spelling', () => {
    expect(headerValues({ headers: { 'X-A': 'upper', 'x-a': 'lower' } }, 'x-a')).toEqual(['lower']);
    // An absent lower-case entry (undefined) does not hide a present one.
    expect(headerValues({ headers: { 'X-A': 'upper', 'x-a': undefined } }, 'x-a')).toEqual([
      'upper',
    ]);
  });

  it('inherited fields of a record are not headers', () => {
    const headers = Object.create({ authorization: AUTH, 'x-a': '1' }) as Record<string, string>;
    expect(headerValues({ headers }, 'x-a')).toEqual([]);
    expect(headerNames({ headers })).toEqual([]);
    expect(detectSignature({ url: '/a.jpg', headers })).toEqual({ kind: 'anonymous' });
  });

  it('pairs: every match in order, names in any case, malformed pairs skipped', () => {
    const headers = [
      ['X-A', '1'],
      ['b', 'x'],
      'junk',
      [7, 'n'],
      ['x-a', '2'],
    ] as unknown as readonly (readonly [string, string])[];
    expect(headerValues({ headers }, 'x-a')).toEqual(['1', '2']);
    expect(headerValue({ headers }, 'x-a')).toBe('1, 2');
    expect(headerValues({ headers }, 'b')).toEqual(['x']);
  });

  it('rawHeaders win over headers and keep repeats; an odd trailing name is ignored', () => {
    const request: RequestLike = {
      headers: { 'x-a': 'from-record' },
      rawHeaders: ['X-A', '1', 'Host', 'h', 'x-a', '2', 'X-A'],
    };
    expect(headerValues(request, 'x-a')).toEqual(['1', '2']);
    expect(headerValues(request, 'host')).toEqual(['h']);
    expect(headerValues({ rawHeaders: ['x-a'] }, 'x-a')).toEqual([]);
    expect(headerValues({ rawHeaders: [] }, 'x-a')).toEqual([]);
  });

  it('no headers, or headers that are not an object, are no headers', () => {
    for (const headers of [undefined, null, 'x-a: 1', 42]) {
      expect(headerValues({ headers } as never, 'x-a'), String(headers)).toEqual([]);
      expect(headerNames({ headers } as never)).toEqual([]);
    }
    expect(headerValue({}, 'x-a')).toBeUndefined();
  });

  it('the lookup result cannot be changed by its caller', () => {
    const none = headerValues({ headers: new Headers() }, 'x-a');
    expect(Object.isFrozen(none)).toBe(true);
  });
});

describe('S5 a doubled Authorization header is malformed, in every shape that can hold two', () => {
  const shapes: [string, RequestLike][] = [
    [
      'pairs',
      {
        headers: [
          ['Authorization', AUTH],
          ['authorization', AUTH],
        ],
      },
    ],
    ['record array', { headers: { authorization: [AUTH, AUTH] } }],
    ['rawHeaders', { rawHeaders: ['Authorization', AUTH, 'AUTHORIZATION', AUTH] }],
  ];
  for (const [name, request] of shapes) {
    it(name, () => {
      expect(detectSignature({ url: '/a.jpg', ...request })).toMatchObject({
        kind: 'malformed',
        message: 'The request has more than one Authorization header.',
      });
    });
  }
  it('one Authorization header is signed, in every shape', () => {
    for (const request of [
      { headers: [['Authorization', AUTH]] },
      { headers: { Authorization: AUTH } },
      { headers: new Headers({ Authorization: AUTH }) },
      { rawHeaders: ['authorization', AUTH] },
    ] as RequestLike[]) {
      expect(detectSignature({ url: '/a.jpg', ...request })).toMatchObject({ kind: 'signed' });
    }
  });
});

describe('headerNames', () => {
  it('stops at nothing: every name of every shape, once', () => {
    expect(
      headerNames({
        headers: [
          ['A', '1'],
          ['b', '2'],
          ['a', '3'],
        ],
      }),
    ).toEqual(['a', 'b']);
    expect(headerNames({ headers: { A: '1', b: null, C: ['x'] } as never })).toEqual(['a', 'c']);
    expect(headerNames({ rawHeaders: ['A', '1', 'B', '2', 'a', '3'] })).toEqual(['a', 'b']);
    expect(
      headerNames({
        headers: [['A', '1'], 'junk', [7, 'n'], ['B']] as unknown as readonly (readonly [
          string,
          string,
        ])[],
      }),
    ).toEqual(['a']);
    expect(headerNames({ rawHeaders: ['A', '1', 'B'] })).toEqual(['a']);
  });
});

describe('S6.1 the method: a read in any letter case is a read', () => {
  it('upper-cases, and takes GET when there is none', () => {
    expect(requestMethod({ method: 'GET' })).toBe('GET');
    expect(requestMethod({ method: 'HEAD' })).toBe('HEAD');
    expect(requestMethod({ method: 'get' })).toBe('GET');
    expect(requestMethod({ method: 'hEaD' })).toBe('HEAD');
    expect(requestMethod({ method: 'put' })).toBe('PUT');
    expect(requestMethod({ method: '' })).toBe('GET');
    expect(requestMethod({})).toBe('GET');
    expect(requestMethod({ method: 42 as unknown as string })).toBe('GET');
  });

  it('so a lower-case read of a protected key is denied, and a PUT is not a read', () => {
    const policy = definePolicy({ rules: [{ prefix: 'image/' }] });
    const url = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com/image/a.jpg';
    expect(evaluate({ url, method: 'get' }, policy)).toMatchObject({ allow: false, method: 'GET' });
    expect(evaluate({ url, method: 'head' }, policy)).toMatchObject({
      allow: false,
      method: 'HEAD',
    });
    expect(evaluate({ url }, policy)).toMatchObject({ allow: false, method: 'GET' });
    expect(evaluate({ url, method: 'delete' }, policy)).toMatchObject({
      allow: true,
      reason: 'not-a-read',
      method: 'DELETE',
    });
  });
});
