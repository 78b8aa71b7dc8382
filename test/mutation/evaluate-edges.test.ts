/**
 * `evaluate` (`src/decision/evaluate.ts`) where the case tables do not look: the fields of the
 * decisions that end before the readings are judged, a `PUT` or `POST` whose target cannot be
 * read, the readings of a copy, the catalogue hint, and the catch-all for a request whose
 * accessors throw.
 *
 * Behaviour: [the decision](docs/behaviour.md#the-decision),
 * [derived-bytes operations](docs/behaviour.md#derived-bytes-operations).
 */
import { describe, expect, it, vi } from 'vitest';
import { definePolicy, evaluate, type RequestLike } from '../../src/index.js';

const H = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';
const policy = definePolicy({ rules: [{ prefix: 'image/' }] });
const SIGNED = `${H}/image/a.jpg?OSSAccessKeyId=LTAI5tExample&Expires=2000000000&Signature=q2Tg%2B4Rz0hN2aNBlLgnbRTHSn5U%3D`;

describe('decisions that end before the readings say the request is not ambiguous', () => {
  it.each([
    ['a PUT that reads nothing', { method: 'PUT', url: `${H}/image/a.jpg` }, 'not-a-read'],
    ['a signed GET', { method: 'GET', url: SIGNED }, 'signed'],
    ['an unreadable GET', { method: 'GET', url: `${H}/image/a%zz.jpg` }, 'invalid-request'],
    [
      'a copy',
      {
        method: 'PUT',
        url: `${H}/b.jpg`,
        headers: { 'x-oss-copy-source': '/examplebucket/image/a.jpg' },
      },
      'original',
    ],
  ] as const)('%s', (_name, request, reason) => {
    const d = evaluate(request as RequestLike, policy);
    expect(d.reason).toBe(reason);
    expect(d.ambiguous).toBe(false);
  });
});

describe('a PUT or POST whose target cannot be read', () => {
  const bad = `${H}/a%zz`;
  it.each([
    // Nothing in the target names an operation: not a read.
    ['POST', bad, {}, 'not-a-read'],
    ['PUT', bad, { 'x-oss-symlink-target': 'image/a.jpg' }, 'not-a-read'],
    // The target names one (in any letter case), or the request copies: fail closed.
    ['POST', `${bad}?x-oss-process=image/resize,w_1`, {}, 'invalid-request'],
    ['POST', `${bad}?X-OSS-PROCESS=image/resize,w_1`, {}, 'invalid-request'],
    ['PUT', `${bad}?symlink`, { 'x-oss-symlink-target': 'image/a.jpg' }, 'invalid-request'],
    ['PUT', `${bad}?SymLink`, { 'x-oss-symlink-target': 'image/a.jpg' }, 'invalid-request'],
    ['PUT', bad, { 'x-oss-copy-source': '/examplebucket/image/a.jpg' }, 'invalid-request'],
    ['PUT', `${bad}?process`, { 'x-oss-symlink-target': 'image/a.jpg' }, 'not-a-read'],
    ['POST', `${bad}?symlink`, {}, 'not-a-read'],
  ] as const)('%s %s %j: %s', (method, url, headers, reason) => {
    expect(evaluate({ method, url, headers }, policy).reason).toBe(reason);
  });

  it.each([
    ['POST', {}],
    ['PUT', { 'x-oss-symlink-target': 'image/a.jpg' }],
  ] as const)('%s with a target that is not a string is refused', (method, headers) => {
    const d = evaluate({ method, url: 42 as unknown as string, headers }, policy);
    expect(d).toMatchObject({ allow: false, reason: 'invalid-request', status: 400 });
  });
});

describe('a PUT with x-oss-symlink-target is governed only with ?symlink', () => {
  it.each([
    ['?acl', 'not-a-read'],
    ['?tagging', 'not-a-read'],
    ['?symlink', 'original'],
    ['?acl&symlink', 'original'],
  ])('%s: %s', (query, reason) => {
    const d = evaluate(
      {
        method: 'PUT',
        url: `${H}/link${query}`,
        headers: { 'x-oss-symlink-target': 'image/a.jpg' },
      },
      policy,
    );
    expect(d.reason).toBe(reason);
  });
});

describe('the readings of a copy', () => {
  it.each([
    ['image/a.jpg', false],
    ['docs/a.txt', true],
  ])('copy of %s', (key, allowed) => {
    const d = evaluate(
      {
        method: 'PUT',
        url: `${H}/b.jpg`,
        headers: { 'x-oss-copy-source': `/examplebucket/${key}` },
      },
      policy,
    );
    const match = allowed ? undefined : { kind: 'rule', index: 0, rule: policy.rules[0] };
    expect(d.readings).toEqual([
      {
        key,
        access: 'direct',
        style: undefined,
        delimiter: undefined,
        delimiterStyle: undefined,
        pathProcessing: undefined,
        source: 'literal',
        match,
        allowed,
      },
    ]);
    expect(d).toMatchObject({ allow: allowed, key, via: 'copy-source', match });
  });
});

describe('the catalogue hint', () => {
  const delimited = definePolicy({ rules: [{ prefix: 'image/' }], delimiters: ['!'] });
  it('comes with a denial that a delimiter reading would pass', () => {
    const d = evaluate({ url: `${H}/image/a.jpg!small` }, delimited);
    expect(d.reason).toBe('original');
    expect(d.hint).toMatch(/catalogue/);
  });
  it('does not come when the reading that passes has no delimiter', () => {
    // The literal reading `x/../image/a.jpg` is unprotected and passes; the WHATWG one is denied.
    const d = evaluate({ url: `${H}/x/../image/a.jpg` }, delimited);
    expect(d.readings.map((r) => [r.source, r.allowed])).toEqual([
      ['literal', true],
      ['whatwg', false],
    ]);
    expect(d.reason).toBe('original');
    expect(d.hint).toBeUndefined();
  });
});

describe('a request whose accessors throw', () => {
  it('is refused as unreadable, as a GET', () => {
    const request = {
      get method(): string {
        throw new Error('boom');
      },
      url: `${H}/image/a.jpg`,
    };
    expect(evaluate(request as RequestLike, policy)).toMatchObject({
      allow: false,
      reason: 'invalid-request',
      status: 400,
      code: 'InvalidRequest',
      message: 'The request could not be read.',
      method: 'GET',
    });
  });
});

describe('module-level texts, loaded afresh', () => {
  it('the channel denial carries its EC code', async () => {
    vi.resetModules();
    const m = await import('../../src/index.js');
    const p = m.definePolicy({ rules: [{ prefix: 'image/' }] });
    const d = m.evaluate({ url: `${H}/image/a.jpg?x-oss-process=image/resize,w_1` }, p);
    expect(d).toMatchObject({
      reason: 'inline-processing',
      message: 'The channel can be only accessed using style.',
      ec: '0040-00000031',
    });
  });
});

describe('a watermark in an ambiguous query', () => {
  // Found by mutation testing: the watermark check ran only when a reading was inline, so a
  // style beside an inline value let a protected object be embedded.
  const wm = 'aW1hZ2Uvc2VjcmV0LmpwZw'; // image/secret.jpg
  it.each([
    `x-oss-process=style/a&x-oss-process=image/watermark,image_${wm}`,
    `x-oss-process=image/watermark,image_${wm}&x-oss-process=style/a`,
    `x-oss-process=style/a&X-Oss-Process=image/watermark,image_${wm}`,
    `x-oss-process=style/a&x-oss-async-process=image/watermark,image_${wm}`,
  ])('?%s is denied', (query) => {
    const d = evaluate({ url: `${H}/docs/a.jpg?${query}` }, policy);
    expect(d).toMatchObject({
      allow: false,
      reason: 'protected-watermark',
      key: 'image/secret.jpg',
    });
    expect(d.readings.map((r) => r.access)).toEqual(['ambiguous']);
  });
  it('a public watermark in an ambiguous query passes', () => {
    const pub = 'ZG9jcy9sb2dvLnBuZw'; // docs/logo.png
    const d = evaluate(
      { url: `${H}/docs/a.jpg?x-oss-process=style/a&x-oss-process=image/watermark,image_${pub}` },
      policy,
    );
    expect(d).toMatchObject({ allow: true, reason: 'not-protected' });
  });
});

describe('a watermark hidden after a semicolon', () => {
  // Servers that split parameters on `;` see the processing parameter and embed its watermark.
  const wm = 'aW1hZ2Uvc2VjcmV0LmpwZw'; // image/secret.jpg
  it.each([
    `a=b;x-oss-process=image/watermark,image_${wm}`,
    `a=b;x-oss-process=image/watermark,image_${wm};c=d`,
    `a=b;x;X-OSS-PROCESS=image/watermark,image_${wm}&e=f`,
    `a=b;x-oss-process=style/s;x-oss-process=image/watermark,image_${wm}`,
    `x-oss-process=style/s;x-oss-%70rocess=image/watermark,image_${wm}`,
    `a;x-oss-process=image/watermark,image_${wm}`,
  ])('?%s is denied', (query) => {
    const d = evaluate({ url: `${H}/docs/a.jpg?${query}` }, policy);
    expect(d).toMatchObject({
      allow: false,
      reason: 'protected-watermark',
      key: 'image/secret.jpg',
    });
  });
  it.each([
    'a=b;x-oss-process=image/watermark,image_ZG9jcy9sb2dvLnBuZw', // docs/logo.png
    'a=b;x-oss-process=style/s',
    'a=b;c=x-oss-process=image/watermark,image_aW1hZ2Uvc2VjcmV0LmpwZw', // no name after the `;`
  ])('?%s passes: nothing protected is embedded', (query) => {
    expect(evaluate({ url: `${H}/docs/a.jpg?${query}` }, policy)).toMatchObject({ allow: true });
  });
  it('a hidden watermark that is not Base64 is judged protected', () => {
    const d = evaluate(
      { url: `${H}/docs/a.jpg?a=b;x-oss-process=image/watermark,image_!!!` },
      policy,
    );
    expect(d).toMatchObject({ allow: false, reason: 'protected-watermark' });
  });
});
