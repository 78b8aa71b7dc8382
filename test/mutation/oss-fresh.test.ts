/**
 * OSS's naming rules (`src/oss/`) and the URL builder's own patterns (`src/build/style-url.ts`),
 * each module loaded afresh in every test. Their regular expressions and tables are built when
 * the module loads: a test that reuses an already loaded module cannot see a change to them, so
 * these tests re-import (see docs/testing.md, "Hybrid mutants").
 *
 * Behaviour: [the policy](docs/behaviour.md#the-policy), [hosts and buckets](docs/behaviour.md#hosts-and-buckets),
 * [building URLs](docs/behaviour.md#building-urls).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

beforeEach(() => {
  vi.resetModules();
});

const names = () => import('../../src/oss/names.js');

describe('OSS names, as the one home of each rule defines them', () => {
  it.each([
    ['abc', true],
    ['a-b', true],
    ['a'.repeat(63), true],
    ['-abc', false], // no leading "-"
    ['abc-', false], // no trailing "-"
    ['ab', false],
    ['a'.repeat(64), false],
    ['aBc', false],
  ])('bucket name %j: %s', async (name, ok) => {
    expect((await names()).BUCKET_NAME.test(name)).toBe(ok);
  });

  it.each([
    ['cn-hangzhou', true],
    ['us-west-1', true],
    ['img', true], // no "-" at all
    ['-cn', false],
    ['cn-', false],
    ['cn--x', false],
  ])('region label %j: %s', async (label, ok) => {
    expect((await names()).REGION_NAME.test(label)).toBe(ok);
  });

  it.each([
    ['small', true],
    ['a', true],
    ['small-v2_x.y', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['!small', false],
    ['small!', false],
    ['!!', false],
    ['', false],
  ])('style name %j: %s', async (name, ok) => {
    const m = await names();
    expect(m.STYLE_NAME.test(name)).toBe(ok);
    // The character test agrees with the pattern on every character of the name.
    if (name.length > 0 && name.length <= 63)
      expect([...name].every((c) => m.isStyleNameChar(c.charCodeAt(0)))).toBe(ok);
  });

  it('the style-name rule is stated in words', async () => {
    expect((await names()).STYLE_NAME_RULE).toBe('use 1–63 of A–Z, a–z, 0–9, "_", "." and "-"');
  });

  it.each([
    ['jpg', true],
    ['.jpg', true],
    ['a', true],
    ['a'.repeat(16), true],
    ['a'.repeat(17), false],
    ['x.jpg', false],
    ['jpg.', false],
    ['...', false],
    ['..jpg', false],
  ])('extension %j: %s', async (ext, ok) => {
    expect((await names()).EXTENSION.test(ext)).toBe(ok);
  });

  it('the limits table holds every limit', async () => {
    const { LIMITS } = await import('../../src/oss/limits.js');
    expect(LIMITS).toMatchObject({
      maxRules: 10,
      maxAffixBytes: 1023,
      maxExtensionLength: 16,
      maxStyles: 50,
      maxStyleNameLength: 63,
    });
    expect(Object.isFrozen(LIMITS)).toBe(true);
  });

  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['aé', 3],
    ['€', 3],
    ['😀', 4],
    ['a😀é', 7],
  ])('UTF-8 length of %j is %d', async (s, n) => {
    const { utf8Length } = await import('../../src/oss/text.js');
    expect(utf8Length(s)).toBe(n);
  });
});

describe('styleUrl: bases and dot segments', () => {
  const load = async () => {
    const { styleUrl } = await import('../../src/build/style-url.js');
    const { definePolicy } = await import('../../src/policy/index.js');
    return { styleUrl, policy: definePolicy({ rules: [{ prefix: 'a' }] }) };
  };
  const code = (f: () => unknown) => {
    try {
      f();
      return 'ok';
    } catch (e) {
      return (e as { code?: string }).code;
    }
  };

  it.each([
    ['', 'ok'],
    ['https://h', 'ok'],
    ['https://h/', 'ok'],
    ['https://host.example', 'ok'],
    ['svn+ssh://host.example', 'ok'],
    ['1http://h', 'invalid-base'],
    [' https://h', 'invalid-base'],
    ['https://h/x', 'invalid-base'],
    ['https://h//', 'invalid-base'],
    ['https://h x', 'invalid-base'],
    ['https://', 'invalid-base'],
  ])('base %j: %s', async (base, expected) => {
    const { styleUrl, policy } = await load();
    expect(code(() => styleUrl(base, 'a.jpg', 'small', policy))).toBe(expected);
  });

  it.each([
    ['./a.jpg', 'not-allowed'],
    ['a/./b.jpg', 'not-allowed'],
    ['a/../b.jpg', 'not-allowed'],
    ['a/..', 'not-allowed'],
    ['a/.', 'not-allowed'],
    ['a/%2E%2e/b.jpg', 'not-allowed'],
    ['a/.../b.jpg', 'ok'],
    ['a/..b.jpg', 'ok'],
    ['a.jpg', 'ok'],
  ])('key %j: %s', async (key, expected) => {
    const { styleUrl, policy } = await load();
    expect(code(() => styleUrl('', key, 'small', policy))).toBe(expected);
  });

  it('a refusal names the denial it would meet', async () => {
    const { styleUrl } = await import('../../src/build/style-url.js');
    const { definePolicy } = await import('../../src/policy/index.js');
    const policy = definePolicy({ rules: [{ prefix: 'a' }], delimiters: ['!'] });
    expect(() => styleUrl('', 'a!x', 'small', policy, { delimiter: '!' })).toThrow(
      /^No URL for "a!x" with style "small" would be served: AccessDenied: Forbidden access to the original image\. Without a style catalogue/,
    );
  });

  it.each([
    // [case, key, style, policy, delimiter, URL]
    ['delimiter style, catalogue', 'a.jpg', 'small', 'cat', '!', '/a.jpg!small'],
    [
      'a style name holding the other delimiter',
      'a.jpg',
      'small-v2',
      'cat',
      '-',
      '/a.jpg-small-v2',
    ],
    ['a key holding the other delimiter', 'a.jpg-small', 'small', 'cat', '!', '/a.jpg-small!small'],
    [
      'a trailing delimiter is escaped, an inner one kept',
      'b!x.jpg!',
      'small',
      'cat',
      undefined,
      '/b!x.jpg%21?x-oss-process=style/small',
    ],
    [
      'the same under extensions',
      'b.png!',
      'small',
      'ext',
      undefined,
      '/b.png%21?x-oss-process=style/small',
    ],
    ['delimiter style under extensions', 'x.jpg', 'small', 'ext', '!', '/x.jpg!small'],
    ['a key holding the delimiter, no catalogue', 'x!y.jpg', 'small', 'ext', '!', '/x!y.jpg!small'],
  ] as const)('%s', async (_, key, style, which, delimiter, url) => {
    const { styleUrl } = await import('../../src/build/style-url.js');
    const { definePolicy } = await import('../../src/policy/index.js');
    const policies = {
      cat: definePolicy({
        rules: [{ prefix: 'a' }],
        delimiters: ['!', '-'],
        styles: ['small', 'small-v2'],
      }),
      ext: definePolicy({ extensions: ['jpg'], delimiters: ['!'] }),
    };
    const options = delimiter === undefined ? undefined : { delimiter };
    expect(styleUrl('', key, style, policies[which], options)).toBe(url);
  });

  it('a refusal without a hint ends with the denial message', async () => {
    const { styleUrl } = await import('../../src/build/style-url.js');
    const { definePolicy } = await import('../../src/policy/index.js');
    const policy = definePolicy({ rules: [{ prefix: 'a' }], delimiters: ['!'], styles: ['small'] });
    expect(() => styleUrl('', 'a.jpg!', 'small', policy)).toThrow(
      /^No URL for "a\.jpg!" with style "small" would be served: AccessDenied: The channel can be only accessed using style\.$/,
    );
  });
});
