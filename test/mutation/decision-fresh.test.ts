/**
 * The decision's helpers with module-level tables (`src/decision/operations.ts`,
 * `src/decision/response.ts`), each module loaded afresh in every test so that a change to a
 * table or pattern built at load time is seen (see docs/testing.md, "Hybrid mutants").
 *
 * Behaviour: [derived-bytes operations](docs/behaviour.md#derived-bytes-operations),
 * [error responses](docs/behaviour.md#error-responses).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

beforeEach(() => {
  vi.resetModules();
});

const operations = () => import('../../src/decision/operations.js');

describe('what a non-GET request reads', () => {
  it.each([
    ['POST', {}, { kind: 'post-processing' }],
    ['GET', {}, { kind: 'none' }],
    ['GET', { 'x-oss-copy-source': '/b/k' }, { kind: 'none' }], // only PUT copies
    ['DELETE', { 'x-oss-symlink-target': 'k' }, { kind: 'none' }],
    ['PUT', {}, { kind: 'none' }],
    ['PUT', { 'x-oss-copy-source': '/b/k' }, { kind: 'source', via: 'copy-source' }],
    ['PUT', { 'x-oss-symlink-target': 'k' }, { kind: 'source', via: 'symlink-target' }],
    [
      'PUT',
      { 'x-oss-copy-source': '/b/k', 'x-oss-symlink-target': 'k' },
      { kind: 'source', via: 'copy-source' },
    ],
  ])('%s with %j: %j', async (method, headers, expected) => {
    expect((await operations()).operationOf(method, { headers })).toEqual(expected);
  });

  const COPY = 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey.';
  const LINK = 'The x-oss-symlink-target header is not a valid object name.';

  it.each([
    ['copy-source', '/b/k.jpg', { ok: true, bucket: 'b', key: 'k.jpg' }],
    ['copy-source', 'b/a/k.jpg?versionId=1', { ok: true, bucket: 'b', key: 'a/k.jpg' }],
    ['copy-source', '/b/a%20b.jpg', { ok: true, bucket: 'b', key: 'a b.jpg' }],
    ['copy-source', '/b/k', { ok: true, bucket: 'b', key: 'k' }],
    ['copy-source', '/b', { ok: false, message: COPY }], // no key
    ['copy-source', '/b/', { ok: false, message: COPY }], // an empty key
    ['copy-source', '//k', { ok: false, message: COPY }], // an empty bucket
    ['copy-source', '/', { ok: false, message: COPY }],
    ['copy-source', '', { ok: false, message: COPY }],
    ['copy-source', '/b/%zz', { ok: false, message: COPY }], // does not decode
    ['copy-source', '?versionId=1', { ok: false, message: COPY }],
    ['symlink-target', 'a/k.jpg', { ok: true, bucket: undefined, key: 'a/k.jpg' }],
    ['symlink-target', 'a%2Fk.jpg', { ok: true, bucket: undefined, key: 'a/k.jpg' }],
    ['symlink-target', '', { ok: false, message: LINK }],
    ['symlink-target', '%', { ok: false, message: LINK }],
  ] as const)('x-oss-%s: %j', async (via, value, expected) => {
    const { sourceOf } = await operations();
    expect(sourceOf({ headers: { [`x-oss-${via}`]: value } }, via)).toEqual(expected);
  });

  it.each(['copy-source', 'symlink-target'] as const)(
    'x-oss-%s: none or two values are refused',
    async (via) => {
      const { sourceOf } = await operations();
      const message = via === 'copy-source' ? COPY : LINK;
      expect(sourceOf({ headers: {} }, via)).toEqual({ ok: false, message });
      expect(
        sourceOf(
          {
            headers: [
              [`x-oss-${via}`, '/b/k'],
              [`x-oss-${via}`, '/b/k'],
            ],
          },
          via,
        ),
      ).toEqual({ ok: false, message });
    },
  );

  it('the operations it answers are frozen values', async () => {
    const { operationOf } = await operations();
    expect(Object.isFrozen(operationOf('GET', { headers: {} }))).toBe(true);
    expect(Object.isFrozen(operationOf('POST', { headers: {} }))).toBe(true);
  });
});

describe('XML escaping of error documents', () => {
  it.each([
    ['a&b', 'a&amp;b'],
    ['<k>', '&lt;k&gt;'],
    ['"q"', '&quot;q&quot;'],
    ["it's", 'it&apos;s'],
    ['plain/key.jpg', 'plain/key.jpg'],
    ['\t\n\r', '\t\n\r'], // XML holds these
    ['a\u0000b', 'a\ufffdb'],
    ['\u0008\u000b\u000c\u000e\u001f', '\ufffd'.repeat(5)],
    ['\ufffe\uffff', '\ufffd\ufffd'],
    ['\ud83d\ude00', '\ud83d\ude00'], // a pair stays
    ['a\ud83db', 'a\ufffdb'], // a lone high surrogate
    ['a\ude00b', 'a\ufffdb'], // a lone low surrogate
    ['\ud83d', '\ufffd'],
    ['\ude00\ud83d', '\ufffd\ufffd'],
    ['é€', 'é€'],
  ])('%j → %j', async (text, expected) => {
    const { xmlEscape } = await import('../../src/decision/response.js');
    expect(xmlEscape(text)).toBe(expected);
  });
});
