/**
 * SPEC S4–S6 as data: request → expected decision. Every row names the clause it pins.
 * The default policy is the README's example; rows may name another.
 */
import { EXAMPLE_POLICY } from '../../src/cli/example-policy.js';
import type { PolicyInput } from '../../src/index.js';

export const H = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';
/** The evaluation time of every row: 2026-11-28T00:30:00Z. */
export const NOW = new Date('2026-11-28T00:30:00Z');

const catalogue = ['small', 'thumb', 'watermarked', 'small-v2'];
const { styles: _, ...exampleWithoutCatalogue } = EXAMPLE_POLICY;
export const POLICIES = {
  /** The example policy, with a catalogue holding a style that contains a delimiter. */
  P: { ...EXAMPLE_POLICY, styles: catalogue },
  /** The same without a catalogue. */
  PN: exampleWithoutCatalogue,
  /** The example policy with legacy `@` processing reaching the bucket. */
  AT: { ...EXAMPLE_POLICY, styles: catalogue, atProcessing: true },
  /** Case-insensitive rules (S3 R2 folding). */
  CI: { rules: [{ prefix: 'secret/' }, { prefix: 'image/' }], caseInsensitive: true },
  /** '/' as a delimiter. */
  SLASH: { extensions: ['jpg'], delimiters: ['/'], styles: ['small'] },
  SLASH_N: { extensions: ['jpg'], delimiters: ['/'] },
  /** Only '-' enabled. */
  DASH: {
    rules: [{ prefix: 'image/' }],
    extensions: ['jpg'],
    delimiters: ['-'],
    styles: ['small'],
  },
  /** A catalogue where one style's tail is another style. */
  V2: { rules: [{ prefix: 'image/' }], delimiters: ['-'], styles: ['small-v2', 'v2'] },
  /** Prefix without trailing slash. */
  LOOSE: { rules: [{ prefix: 'image' }] },
  STAR: { extensions: ['*'], styles: ['small'] },
} satisfies Record<string, PolicyInput>;

export interface Expect {
  allow: boolean;
  reason: string;
  status?: number;
  code?: string;
  ec?: string;
  key?: string | null;
  style?: string | null;
  /** The source of the deciding reading (R2: which server behaviour denied). */
  source?: string;
  /** `copy-source` or `symlink-target` when a header names the object read. */
  via?: string | null;
  /** 'rule:N', 'ext:jpg', '*' or null for none. */
  match?: string | null;
  bucket?: string | null;
  ambiguous?: boolean;
  readings?: number;
  hint?: boolean;
  scheme?: string;
}

export interface DecisionCase {
  clause: string;
  url: string;
  method?: string;
  headers?: Record<string, string> | [string, string][];
  policy?: keyof typeof POLICIES;
  contentType?: string;
  buckets?: Record<string, string>;
  now?: Date;
  expect: Expect;
}

const DENY_ORIGINAL = { allow: false, reason: 'original', status: 403, code: 'AccessDenied' };
const DENY_INLINE = {
  allow: false,
  reason: 'inline-processing',
  status: 403,
  code: 'AccessDenied',
  ec: '0040-00000031',
};
const DENY_AMBIGUOUS = {
  allow: false,
  reason: 'ambiguous-processing',
  status: 403,
  code: 'AccessDenied',
  ec: '0040-00000031',
};
const MALFORMED = {
  allow: false,
  reason: 'malformed-signature',
  status: 403,
  code: 'AccessDenied',
};
const EXPIRED = { allow: false, reason: 'expired-signature', status: 403, code: 'AccessDenied' };
const INVALID_URI = { allow: false, reason: 'invalid-request', status: 400, code: 'InvalidURI' };
const INVALID_KEY = {
  allow: false,
  reason: 'invalid-request',
  status: 400,
  code: 'InvalidObjectName',
};
const SIGNED = { allow: true, reason: 'signed' };
const STYLE = { allow: true, reason: 'style' };
const FREE = { allow: true, reason: 'not-protected' };

const HEX = 'a'.repeat(64);
const V1Q = 'OSSAccessKeyId=ak&Expires=2000000000&Signature=c2ln%2Bbase64%3D';
const V2Q =
  'x-oss-signature-version=OSS2&x-oss-access-key-id=ak&x-oss-expires=2000000000&x-oss-signature=c2ln';
const V4Q = (o: { expires?: string; date?: string; sig?: string; cred?: string } = {}) =>
  'x-oss-signature-version=OSS4-HMAC-SHA256' +
  `&x-oss-credential=${o.cred ?? 'ak%2F20261128%2Fcn-hangzhou%2Foss%2Faliyun_v4_request'}` +
  `&x-oss-date=${o.date ?? '20261128T000000Z'}&x-oss-expires=${o.expires ?? '3600'}&x-oss-signature=${o.sig ?? HEX}`;
const V4H = `OSS4-HMAC-SHA256 Credential=ak/20261128/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=host,Signature=${HEX}`;
const AWS4Q =
  'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ak%2F20261128%2Fus-east-1%2Fs3%2Faws4_request' +
  `&X-Amz-Date=20261128T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=${HEX}`;
const AWS4H = `AWS4-HMAC-SHA256 Credential=ak/20261128/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${HEX}`;

const c = (
  clause: string,
  url: string,
  expect: Expect,
  more: Partial<DecisionCase> = {},
): DecisionCase => ({
  clause,
  url: url.startsWith('/') && !url.startsWith('//') && !more.headers ? `${H}${url}` : url,
  ...more,
  expect,
});

export const decisionCases: DecisionCase[] = [
  // --- S6.1 only reads are governed
  c(
    'S6.1 PUT is not a read',
    '/image/a.jpg',
    { allow: true, reason: 'not-a-read' },
    { method: 'PUT' },
  ),
  c(
    'S6.1 R2 POST with processing reads the object: channel denial',
    '/image/a.jpg?x-oss-process=image/resize,w_1',
    DENY_INLINE,
    { method: 'POST' },
  ),
  c(
    'S6.1 DELETE is not a read',
    '/image/a.jpg',
    { allow: true, reason: 'not-a-read' },
    { method: 'DELETE' },
  ),
  c(
    'S6.1 OPTIONS is not a read',
    '/image/a.jpg',
    { allow: true, reason: 'not-a-read' },
    { method: 'OPTIONS' },
  ),
  c(
    'S6.1 HEAD is a read',
    '/image/a.jpg',
    { ...DENY_ORIGINAL, key: 'image/a.jpg' },
    { method: 'HEAD' },
  ),
  c('S6.1 lower-case get is a read', '/image/a.jpg', DENY_ORIGINAL, { method: 'get' }),
  c('S6.1 no method means GET', '/image/a.jpg', DENY_ORIGINAL),
  c(
    'S6.1 invalid target on a non-read is still not governed',
    '/%zz',
    { allow: true, reason: 'not-a-read' },
    { method: 'PUT' },
  ),

  // --- S6.5/6 direct reads
  c('S6.6 direct read of a prefix-protected key', '/image/photo.jpg', {
    ...DENY_ORIGINAL,
    key: 'image/photo.jpg',
    match: 'rule:0',
    bucket: 'examplebucket',
    ambiguous: false,
    readings: 1,
  }),
  c('S6.6 direct read of a protected extension, upper case', '/docs/a.JPG', {
    ...DENY_ORIGINAL,
    match: 'ext:jpg',
  }),
  c('S6.6 direct read of jpeg', '/docs/a.jpeg', { ...DENY_ORIGINAL, match: 'ext:jpeg' }),
  c('S6.5 unprotected key', '/docs/a.gif', { ...FREE, key: 'docs/a.gif', match: null }),
  c('S6.6 case-insensitive suffix rule', '/docs/A.PNG', { ...DENY_ORIGINAL, match: 'rule:1' }),
  c('S6.6 prefix+suffix rule', '/raw/a.tif', { ...DENY_ORIGINAL, match: 'rule:2' }),
  c('S6.5 prefix+suffix rule needs both', '/raw/a.tiff', FREE),
  c(
    'S6.5 protected key that may not exist is still denied',
    '/image/does-not-exist',
    DENY_ORIGINAL,
  ),
  c('S6.4 bucket root', '/', { allow: true, reason: 'not-an-object', key: null, readings: 0 }),
  c('S6.4 no path at all', H, { allow: true, reason: 'not-an-object' }),
  c('S6.4 bucket sub-resource', '/?acl', { allow: true, reason: 'not-an-object' }),
  c('S6.4 bucket listing with prefix', '/?prefix=image/', { allow: true, reason: 'not-an-object' }),

  // --- S6.5 styles
  c('S6.5 query style on a protected key', '/image/a.jpg?x-oss-process=style/small', {
    ...STYLE,
    key: 'image/a.jpg',
    style: 'small',
    match: 'rule:0',
  }),
  c('S6.5 escaped query style value decodes', '/image/a.jpg?x-oss-process=style%2Fsmall', {
    ...STYLE,
    style: 'small',
  }),
  c('S6.5 query style with other parameters', '/image/a.jpg?v=2&x-oss-process=style/thumb&t=1', {
    ...STYLE,
    style: 'thumb',
  }),
  c('S6.5 query style on unprotected key', '/docs/a.gif?x-oss-process=style/small', {
    ...FREE,
    style: 'small',
  }),
  c('S6.5 catalogue: unknown query style is 404', '/image/a.jpg?x-oss-process=style/nope', {
    allow: false,
    reason: 'no-such-style',
    status: 404,
    code: 'NoSuchStyle',
  }),
  c(
    'S6.5 catalogue: unknown query style on unprotected key is 404 too',
    '/docs/a.gif?x-oss-process=style/nope',
    { allow: false, reason: 'no-such-style', status: 404, code: 'NoSuchStyle' },
  ),
  c(
    'S6.5 no catalogue: any valid style name passes',
    '/image/a.jpg?x-oss-process=style/anything',
    { ...STYLE, style: 'anything' },
    { policy: 'PN' },
  ),
  c('S6.5 delimiter style', '/image/a.gif!small', {
    ...STYLE,
    key: 'image/a.gif',
    style: 'small',
    readings: 1,
  }),
  c('S6.5 delimiter style with -', '/image/a.gif-thumb', {
    ...STYLE,
    key: 'image/a.gif',
    style: 'thumb',
  }),

  // --- S4 inline processing
  c('S4 inline image processing', '/image/a.jpg?x-oss-process=image/resize,w_100', {
    ...DENY_INLINE,
    key: 'image/a.jpg',
  }),
  c('S4 inline video snapshot', '/docs/v.jpg?x-oss-process=video/snapshot,t_1000', DENY_INLINE),
  c('S4 inline image/info', '/image/a.jpg?x-oss-process=image/info', DENY_INLINE),
  c('S4 style/ with empty name is inline', '/image/a.jpg?x-oss-process=style/', DENY_INLINE),
  c(
    'S4 style with extra segment is inline',
    '/image/a.jpg?x-oss-process=style/small/resize,w_9',
    DENY_INLINE,
  ),
  c(
    'S4 escaped extra segment is inline',
    '/image/a.jpg?x-oss-process=style/small%2Fresize,w_9',
    DENY_INLINE,
  ),
  c('S4 STYLE/ upper case is inline', '/image/a.jpg?x-oss-process=STYLE/small', DENY_INLINE),
  c('S4 empty x-oss-process is inline', '/image/a.jpg?x-oss-process=', DENY_INLINE),
  c('S4 bare x-oss-process is inline', '/image/a.jpg?x-oss-process', DENY_INLINE),
  c(
    'S4 illegal style name character is inline',
    '/image/a.jpg?x-oss-process=style/sm@ll',
    DENY_INLINE,
  ),
  c(
    'S4 style name with trailing space is inline',
    '/image/a.jpg?x-oss-process=style/small%20',
    DENY_INLINE,
  ),
  c(
    'S4 style piped to saveas is inline',
    '/image/a.jpg?x-oss-process=style/small%7Csys/saveas,o_eA',
    DENY_INLINE,
  ),
  c(
    'S4 64-character style name is inline',
    `/image/a.jpg?x-oss-process=style/${'s'.repeat(64)}`,
    DENY_INLINE,
  ),
  c('S4 inline on unprotected key is allowed', '/docs/a.gif?x-oss-process=image/resize,w_1', FREE),
  c(
    'S4 inline under * without content type',
    '/docs/a.txt?x-oss-process=image/resize,w_1',
    DENY_INLINE,
    { policy: 'STAR' },
  ),

  // --- S4 duplicated x-oss-process
  c(
    'S4 duplicated: style then inline',
    '/image/a.jpg?x-oss-process=style/small&x-oss-process=image/resize,w_1',
    { ...DENY_AMBIGUOUS, ambiguous: true },
  ),
  c(
    'S4 duplicated: inline then style',
    '/image/a.jpg?x-oss-process=image/resize,w_1&x-oss-process=style/small',
    { ...DENY_AMBIGUOUS, ambiguous: true },
  ),
  c(
    'S4 duplicated: the same style twice',
    '/image/a.jpg?x-oss-process=style/small&x-oss-process=style/small',
    DENY_AMBIGUOUS,
  ),
  c(
    'S4 duplicated: style and empty',
    '/image/a.jpg?x-oss-process=style/small&x-oss-process',
    DENY_AMBIGUOUS,
  ),
  c(
    'S4 duplicated on an unprotected key is allowed, but ambiguous',
    '/docs/a.gif?x-oss-process=style/small&x-oss-process=image/info',
    { ...FREE, ambiguous: true },
  ),
  c('S4 escaped parameter name is ambiguous', '/image/a.jpg?x-oss-%70rocess=style/small', {
    ...DENY_AMBIGUOUS,
    ambiguous: true,
  }),
  c(
    'S4 escaped name plus plain name is duplicated',
    '/image/a.jpg?x-oss-process=style/small&x%2Doss-process=style/small',
    DENY_AMBIGUOUS,
  ),

  // --- S4 case tricks
  c(
    'S4 R2 X-Oss-Process (another letter case) is ambiguous',
    '/image/a.jpg?X-Oss-Process=style/small',
    { ...DENY_AMBIGUOUS, style: null },
  ),
  c(
    'S4 R2 X-OSS-PROCESS inline is ambiguous',
    '/image/a.jpg?X-OSS-PROCESS=image/resize,w_1',
    DENY_AMBIGUOUS,
  ),
  c('S4 R2 x-oss-Process is ambiguous', '/image/a.jpg?x-oss-Process=style/small', DENY_AMBIGUOUS),
  c(
    'S4 R2 real style beside a case-variant parameter is ambiguous',
    '/image/a.jpg?x-oss-process=style/small&X-Oss-Process=image/resize',
    DENY_AMBIGUOUS,
  ),
  c('S3 upper-case prefix does not match a case-sensitive rule', '/IMAGE/a.gif', FREE),
  c('S3 upper-case extension matches', '/docs/a.JpEg', { ...DENY_ORIGINAL, match: 'ext:jpeg' }),
  c(
    'S4 parameter names are case-sensitive for signatures too',
    '/image/a.jpg?ossaccesskeyid=ak&expires=1&signature=x',
    DENY_ORIGINAL,
  ),

  // --- S4 percent-encoding
  c('S4 escaped ! is not a delimiter', '/image/a.gif%21small', {
    ...DENY_ORIGINAL,
    key: 'image/a.gif!small',
  }),
  c(
    'S4 escaped ! makes the extension "jpg!small" (R2: a decoding server reads !small)',
    '/docs/a.jpg%21small',
    {
      ...STYLE,
      key: 'docs/a.jpg!small',
      readings: 2,
    },
  ),
  c('S4 escaped - is not a delimiter', '/image/a.gif%2Dsmall', {
    ...DENY_ORIGINAL,
    key: 'image/a.gif-small',
  }),
  c('S4 %2F decodes to / in the key', '/image%2Fa.gif', {
    ...DENY_ORIGINAL,
    key: 'image/a.gif',
    match: 'rule:0',
  }),
  c('S4 %252F decodes once only', '/image%252Fa.gif', { ...FREE, key: 'image%2Fa.gif' }),
  c('S4 escaped letters decode', '/%69mage/a.gif', { ...DENY_ORIGINAL, key: 'image/a.gif' }),
  c('S4 escaped extension decodes', '/docs/a.jp%67', { ...DENY_ORIGINAL, match: 'ext:jpg' }),
  c('S4 escaped dot decodes', '/docs/a%2Ejpg', DENY_ORIGINAL),
  c('S4 UTF-8 escapes decode', '/image/%E5%9B%BE.jpg', { ...DENY_ORIGINAL, key: 'image/图.jpg' }),
  c('S4 literal non-ASCII is kept', '/image/图.jpg', { ...DENY_ORIGINAL, key: 'image/图.jpg' }),
  c('S4 literal emoji (a surrogate pair) is kept', '/image/😀.jpg', {
    ...DENY_ORIGINAL,
    key: 'image/😀.jpg',
  }),
  c('S4 + in a path is a literal +', '/docs/a+b.gif', { ...FREE, key: 'docs/a+b.gif' }),
  c('S4 + in a query value stays +', '/image/a.jpg?x-oss-process=style/small+', DENY_INLINE),
  c('S4 truncated escape', '/image/a.gif%2', INVALID_URI),
  c('S4 non-hex escape', '/image/a.gif%zz', INVALID_URI),
  c('S4 lone %', '/image/a%.gif', INVALID_URI),
  c('S4 overlong UTF-8 (/ as C0 AF)', '/image/%C0%AF', INVALID_URI),
  c('S4 overlong UTF-8 (three bytes)', '/image/%E0%80%AF', INVALID_URI),
  c('S4 UTF-8 surrogate', '/image/%ED%A0%80', INVALID_URI),
  c('S4 UTF-8 above U+10FFFF', '/image/%F4%90%80%80', INVALID_URI),
  c('S4 truncated UTF-8 sequence', '/image/%E5%9B', INVALID_URI),
  c('S4 invalid UTF-8 byte', '/image/%FF.jpg', INVALID_URI),
  c('S4 continuation byte alone', '/docs/%80.gif', INVALID_URI),
  c('S4 invalid escape in the query', '/docs/a.gif?x=%zz', INVALID_URI),
  c('S4 invalid UTF-8 in the query', '/docs/a.gif?x-oss-process=style%2F%C0%AF', INVALID_URI),
  c('S4 lone surrogate in the target string', '/image/\ud800.jpg', INVALID_URI),

  // --- S4 dot segments, slashes, backslashes
  c('S4 dot segments are not removed', '/image/../secret.gif', {
    ...DENY_ORIGINAL,
    key: 'image/../secret.gif',
  }),
  c(
    'S4 R2 dot segments walk into a protected folder behind a normalising server',
    '/docs/../image/a.gif',
    {
      ...DENY_ORIGINAL,
      key: 'image/a.gif',
    },
  ),
  c('S4 R2 leading ./ is removed by a WHATWG server', '/./image/a.gif', {
    ...DENY_ORIGINAL,
    key: 'image/a.gif',
  }),
  c('S4 single dot segment inside', '/image/./a.gif', { ...DENY_ORIGINAL, key: 'image/./a.gif' }),
  c('S4 double slash inside is kept', '/image//a.gif', { ...DENY_ORIGINAL, key: 'image//a.gif' }),
  c('S4 key starting with / is invalid', '//image/a.gif', INVALID_KEY, {
    headers: { host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com' },
  }),
  c('S4 absolute URL with // path', `${H}//image/a.gif`, INVALID_KEY),
  c('S4 key starting with \\ is invalid', '/\\image/a.gif', INVALID_KEY),
  c('S4 escaped leading / is invalid', '/%2Fimage/a.jpg', INVALID_KEY),
  c('S4 escaped leading \\ is invalid', '/%5Cimage/a.jpg', INVALID_KEY),
  c('S4 R2 backslash is / to a WHATWG server: dot segments resolve', '/docs\\..\\image/a.gif', {
    ...DENY_ORIGINAL,
    key: 'image/a.gif',
  }),
  c('S4 R2 absolute URL with dot segments', `${H}/a/../image/x.gif`, {
    ...DENY_ORIGINAL,
    key: 'image/x.gif',
  }),
  c('S4 fragment is dropped', '/docs/a.jpg#frag', { ...DENY_ORIGINAL, key: 'docs/a.jpg' }),
  c(
    'S4 R2 raw # after the query: a server keeping it reads style/small#x, inline',
    '/image/a.jpg?x-oss-process=style/small#x',
    DENY_INLINE,
  ),
  c('S4 escaped # is part of the key', '/docs/a.jpg%23frag', { ...FREE, key: 'docs/a.jpg#frag' }),
  c('S4 1023-byte key is valid', `/image/${'x'.repeat(1017)}`, DENY_ORIGINAL),
  c('S4 1024-byte key is invalid', `/image/${'x'.repeat(1018)}`, INVALID_KEY),
  c('S4 key length counts UTF-8 bytes', `/${'图'.repeat(342)}`, INVALID_KEY),
  c(
    'S4 too-long path still works as key!style with a catalogue',
    `/image/${'x'.repeat(1013)}!small`,
    { ...STYLE, key: `image/${'x'.repeat(1013)}` },
  ),
  c(
    'S4 too-long whole path is no reading without a catalogue',
    `/image/${'x'.repeat(1013)}!small`,
    { ...STYLE, readings: 1 },
    { policy: 'PN' },
  ),

  // --- S4 delimiters inside keys
  c('S4 catalogue: my-photo.jpg is the key (photo.jpg is no style)', '/my-photo.jpg', {
    ...DENY_ORIGINAL,
    key: 'my-photo.jpg',
    readings: 1,
    ambiguous: false,
  }),
  c('S4 catalogue: my-photo.jpg-small reads my-photo.jpg', '/my-photo.jpg-small', {
    ...STYLE,
    key: 'my-photo.jpg',
    style: 'small',
  }),
  c(
    'S4 no catalogue: my-photo.jpg may be my + style photo.jpg',
    '/my-photo.jpg',
    { ...DENY_ORIGINAL, key: 'my-photo.jpg', ambiguous: true, readings: 2, hint: true },
    { policy: 'PN' },
  ),
  c(
    'S4 no catalogue: my-photo.jpg-small is fine (whole path unprotected)',
    '/my-photo.jpg-small',
    { ...STYLE, key: 'my-photo.jpg', style: 'small', readings: 3 },
    { policy: 'PN' },
  ),
  c(
    'S4 no catalogue: prefix-protected delimiter URL is denied',
    '/image/a.gif!small',
    { ...DENY_ORIGINAL, key: 'image/a.gif!small', hint: true, ambiguous: true },
    { policy: 'PN' },
  ),
  c(
    'S4 no catalogue: extension-protected delimiter URL works',
    '/docs/a.jpg!small',
    { ...STYLE, key: 'docs/a.jpg', style: 'small' },
    { policy: 'PN' },
  ),
  c(
    'S4 no catalogue: style name with illegal character is no reading',
    '/docs/a.jpg!sm@ll',
    { ...FREE, key: 'docs/a.jpg!sm@ll', readings: 1 },
    { policy: 'PN' },
  ),
  c(
    'S4 / delimiter, catalogue: dir/a.jpg is the key',
    '/dir/a.jpg',
    { ...DENY_ORIGINAL, key: 'dir/a.jpg', readings: 1 },
    { policy: 'SLASH' },
  ),
  c(
    'S4 / delimiter, catalogue: dir/a.jpg/small',
    '/dir/a.jpg/small',
    { ...STYLE, key: 'dir/a.jpg', style: 'small' },
    { policy: 'SLASH' },
  ),
  c(
    'S4 / delimiter, no catalogue: dir/a.jpg may be dir + style a.jpg',
    '/dir/a.jpg',
    { ...DENY_ORIGINAL, key: 'dir/a.jpg', readings: 2 },
    { policy: 'SLASH_N' },
  ),
  c(
    'S4 / delimiter: only the last / can split',
    '/a/b/c.jpg/small',
    { ...STYLE, key: 'a/b/c.jpg', readings: 1 },
    { policy: 'SLASH' },
  ),
  c('S4 disabled delimiter does not split', '/image/a.gif_small', {
    ...DENY_ORIGINAL,
    key: 'image/a.gif_small',
  }),
  c(
    'S4 disabled ! under DASH policy',
    '/image/a.gif!small',
    { ...DENY_ORIGINAL, key: 'image/a.gif!small' },
    { policy: 'DASH' },
  ),
  c('S4 catalogue: uncatalogued delimiter style reads the whole path', '/image/a.gif!nope', {
    ...DENY_ORIGINAL,
    key: 'image/a.gif!nope',
  }),
  c('S4 catalogue: last occurrence in the catalogue wins', '/image/a.gif!small!thumb', {
    ...STYLE,
    key: 'image/a.gif!small',
    style: 'thumb',
  }),
  c('S4 catalogue: earlier occurrence when the last is not a style', '/image/a.gif!small!nope', {
    ...DENY_ORIGINAL,
    key: 'image/a.gif!small!nope',
  }),
  c('S4 delimiter remainder is decoded', '/image/a.gif!%73mall', { ...STYLE, style: 'small' }),
  c(
    'S4 delimiter style then inline query is inline',
    '/image/a.gif!small?x-oss-process=image/resize,w_1',
    { ...DENY_INLINE, key: 'image/a.gif' },
  ),
  c('S4 delimiter style then query style', '/image/a.gif!small?x-oss-process=style/thumb', {
    ...STYLE,
    key: 'image/a.gif',
    style: 'thumb',
  }),
  c('S4 delimiter style then unknown query style', '/image/a.gif!small?x-oss-process=style/nope', {
    allow: false,
    reason: 'no-such-style',
    status: 404,
    code: 'NoSuchStyle',
  }),
  c(
    'S4 delimiter style then duplicated process',
    '/image/a.gif!small?x-oss-process=style/a&x-oss-process=style/b',
    DENY_AMBIGUOUS,
  ),
  c('S4 delimiter at the start leaves no key: whole path', '/!small', { ...FREE, key: '!small' }),
  c(
    'S4 no catalogue: inline query applies to every reading',
    '/docs/a.jpg!small?x-oss-process=image/resize,w_1',
    DENY_INLINE,
    { policy: 'PN' },
  ),

  // --- S4 style names containing an enabled delimiter
  c('S4 catalogue: style name containing - (small-v2)', '/image/a.gif-small-v2', {
    ...STYLE,
    key: 'image/a.gif',
    style: 'small-v2',
  }),
  c(
    'S4 catalogue: tail v2 in the catalogue wins',
    '/image/a.gif-small-v2',
    { ...STYLE, key: 'image/a.gif-small', style: 'v2' },
    { policy: 'V2' },
  ),
  c(
    'S4 no catalogue: every split is a reading',
    '/image/a.gif-small-v2',
    { ...DENY_ORIGINAL, readings: 3, ambiguous: true },
    { policy: 'PN' },
  ),

  // --- S3 prefix boundaries and suffix tricks through requests
  c(
    'S3 prefix image matches images/',
    '/images/a.gif',
    { ...DENY_ORIGINAL, match: 'rule:0' },
    { policy: 'LOOSE' },
  ),
  c('S3 prefix image matches image-archive/', '/image-archive/a.gif', DENY_ORIGINAL, {
    policy: 'LOOSE',
  }),
  c('S3 prefix image/ does not match images/', '/images/a.gif', FREE),
  c('S3 key shorter than the prefix', '/imag', FREE),
  c('S3 key equal to the prefix without slash', '/image', FREE),
  c('S3 folder object equal to the prefix', '/image/', { ...DENY_ORIGINAL, key: 'image/' }),
  c('S3 a.jpg.png is protected by .png', '/docs/a.jpg.png', { ...DENY_ORIGINAL, match: 'rule:1' }),
  c('S3 a.png.gif is not', '/docs/a.png.gif', FREE),
  c(
    'S3 a.jpg;v=1 has no listed extension, but R2: a servlet container reads a.jpg',
    '/docs/a.jpg;v=1',
    {
      ...DENY_ORIGINAL,
      key: 'docs/a.jpg',
    },
  ),
  c('S3 trailing dot has no extension', '/docs/a.jpg.', FREE),
  c('S3 trailing escaped space', '/docs/a.jpg%20', FREE),
  c('S3 cache-busting query does not change the key', '/docs/a.jpg?v=1', {
    ...DENY_ORIGINAL,
    key: 'docs/a.jpg',
  }),
  c('S3 dot-file .jpg', '/docs/.jpg', { ...DENY_ORIGINAL, match: 'ext:jpg' }),
  c('S3 .PnG through a CI rule', '/docs/a.PnG', { ...DENY_ORIGINAL, match: 'rule:1' }),
  c('S3 dot in folder only', '/docs.jpg/readme', FREE),

  // --- S5 signatures: OSS V1
  c('S5 V1 query complete', `/image/a.jpg?${V1Q}`, { ...SIGNED, scheme: 'oss-v1' }),
  c('S5 V1 query with security-token', `/image/a.jpg?${V1Q}&security-token=tok`, {
    ...SIGNED,
    scheme: 'oss-v1',
  }),
  c(
    'S5 V1 signed inline processing passes',
    `/image/a.jpg?x-oss-process=image/resize,w_1&${V1Q}`,
    SIGNED,
  ),
  c('S5 V1 missing Signature', '/image/a.jpg?OSSAccessKeyId=ak&Expires=2000000000', MALFORMED),
  c('S5 V1 missing Expires', '/image/a.jpg?OSSAccessKeyId=ak&Signature=c2ln', MALFORMED),
  c('S5 V1 missing OSSAccessKeyId', '/image/a.jpg?Expires=2000000000&Signature=c2ln', MALFORMED),
  c('S5 Signature alone', '/image/a.jpg?Signature=x', MALFORMED),
  c('S5 V1 empty Expires', '/image/a.jpg?OSSAccessKeyId=ak&Expires=&Signature=c2ln', MALFORMED),
  c(
    'S5 V1 non-numeric Expires',
    '/image/a.jpg?OSSAccessKeyId=ak&Expires=tomorrow&Signature=c2ln',
    MALFORMED,
  ),
  c(
    'S5 V1 empty OSSAccessKeyId',
    '/image/a.jpg?OSSAccessKeyId=&Expires=2000000000&Signature=c2ln',
    MALFORMED,
  ),
  c('S5 V1 expired', '/image/a.jpg?OSSAccessKeyId=ak&Expires=1000000000&Signature=c2ln', {
    ...EXPIRED,
    key: 'image/a.jpg',
  }),
  c(
    'S5 V1 expires exactly now is still valid',
    `/image/a.jpg?OSSAccessKeyId=ak&Expires=${NOW.getTime() / 1000}&Signature=c2ln`,
    SIGNED,
  ),
  c('S5 V1 doubled Signature', `/image/a.jpg?${V1Q}&Signature=c2ln`, MALFORMED),
  c('S5 V1 malformed on an unprotected key is denied too', '/docs/a.gif?Signature=x', MALFORMED),
  c('S5 security-token alone is anonymous', '/image/a.jpg?security-token=tok', DENY_ORIGINAL),
  c(
    'S5 x-oss-security-token alone is anonymous',
    '/image/a.jpg?x-oss-security-token=tok',
    DENY_ORIGINAL,
  ),
  c('S5 security token header alone is anonymous', '/image/a.jpg', DENY_ORIGINAL, {
    headers: { 'x-oss-security-token': 'tok' },
  }),
  c(
    'S5 V1 header',
    '/image/a.jpg',
    { ...SIGNED, scheme: 'oss-v1' },
    { headers: { Authorization: 'OSS ak:c2lnbmF0dXJl' } },
  ),
  c('S5 V1 header without signature', '/image/a.jpg', MALFORMED, {
    headers: { authorization: 'OSS ak' },
  }),
  c('S5 V1 header with empty signature', '/image/a.jpg', MALFORMED, {
    headers: { authorization: 'OSS ak:' },
  }),
  c('S5 unknown Authorization scheme', '/image/a.jpg', MALFORMED, {
    headers: { authorization: 'Bearer abc' },
  }),
  c('S5 empty Authorization header', '/image/a.jpg', MALFORMED, { headers: { authorization: '' } }),
  c('S5 two Authorization headers', `${H}/image/a.jpg`, MALFORMED, {
    headers: [
      ['Authorization', 'OSS ak:c2ln'],
      ['authorization', 'OSS ak:c2ln'],
    ],
  }),
  c('S5 header and query signatures together', `/image/a.jpg?${V1Q}`, MALFORMED, {
    headers: { authorization: 'OSS ak:c2ln' },
  }),
  // --- S5 OSS V2
  c('S5 V2 query complete', `/image/a.jpg?${V2Q}`, { ...SIGNED, scheme: 'oss-v2' }),
  c('S5 V2 query with additional headers', `/image/a.jpg?${V2Q}&x-oss-additional-headers=host`, {
    ...SIGNED,
    scheme: 'oss-v2',
  }),
  c(
    'S5 V2 query missing signature',
    '/image/a.jpg?x-oss-signature-version=OSS2&x-oss-access-key-id=ak&x-oss-expires=2000000000',
    MALFORMED,
  ),
  c(
    'S5 V2 query expired',
    '/image/a.jpg?x-oss-signature-version=OSS2&x-oss-access-key-id=ak&x-oss-expires=1000&x-oss-signature=c2ln',
    EXPIRED,
  ),
  c(
    'S5 V2 header',
    '/image/a.jpg',
    { ...SIGNED, scheme: 'oss-v2' },
    { headers: { authorization: 'OSS2 AccessKeyId:ak,AdditionalHeaders:host,Signature:c2ln' } },
  ),
  c('S5 V2 header without Signature', '/image/a.jpg', MALFORMED, {
    headers: { authorization: 'OSS2 AccessKeyId:ak' },
  }),
  c(
    'S5 unknown signature version',
    '/image/a.jpg?x-oss-signature-version=OSS3&x-oss-signature=c2ln',
    MALFORMED,
  ),
  // --- S5 OSS V4
  c('S5 V4 query complete', `/image/a.jpg?${V4Q()}`, { ...SIGNED, scheme: 'oss-v4' }),
  c('S5 V4 query expired', `/image/a.jpg?${V4Q({ expires: '60' })}`, EXPIRED),
  c('S5 V4 x-oss-expires 0', `/image/a.jpg?${V4Q({ expires: '0' })}`, MALFORMED),
  c('S5 V4 x-oss-expires over 604800', `/image/a.jpg?${V4Q({ expires: '604801' })}`, MALFORMED),
  c('S5 V4 x-oss-expires 604800 is fine', `/image/a.jpg?${V4Q({ expires: '604800' })}`, SIGNED),
  c('S5 V4 bad x-oss-date', `/image/a.jpg?${V4Q({ date: '2026-11-28T00:00:00Z' })}`, MALFORMED),
  c('S5 V4 impossible x-oss-date', `/image/a.jpg?${V4Q({ date: '20261340T000000Z' })}`, MALFORMED),
  c('S5 V4 signature not hex', `/image/a.jpg?${V4Q({ sig: 'zz' })}`, MALFORMED),
  c(
    'S5 V4 credential missing a part',
    `/image/a.jpg?${V4Q({ cred: 'ak%2F20261128%2Foss%2Faliyun_v4_request' })}`,
    MALFORMED,
  ),
  c(
    'S5 V4 query missing credential',
    `/image/a.jpg?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20261128T000000Z&x-oss-expires=60&x-oss-signature=${HEX}`,
    MALFORMED,
  ),
  c(
    'S5 V4 header with x-oss-date',
    '/image/a.jpg',
    { ...SIGNED, scheme: 'oss-v4' },
    { headers: { authorization: V4H, 'x-oss-date': '20261128T002500Z' } },
  ),
  c('S5 V4 header fields in another order with ", "', '/image/a.jpg', SIGNED, {
    headers: {
      authorization: `OSS4-HMAC-SHA256 Signature=${HEX}, Credential=ak/20261128/cn-hangzhou/oss/aliyun_v4_request`,
      'x-oss-date': '20261128T002500Z',
    },
  }),
  c('S5 V4 header without x-oss-date', '/image/a.jpg', MALFORMED, {
    headers: { authorization: V4H },
  }),
  c('S5 V4 header with a wrong credential service', '/image/a.jpg', MALFORMED, {
    headers: { authorization: V4H.replace('/oss/', '/s3/'), 'x-oss-date': '20261128T002500Z' },
  }),
  c('S5 V4 header with a repeated field', '/image/a.jpg', MALFORMED, {
    headers: { authorization: `${V4H},Signature=${HEX}`, 'x-oss-date': '20261128T002500Z' },
  }),
  c(
    'S5 V1 and V4 parameters mixed',
    `/image/a.jpg?${V1Q}&x-oss-credential=ak%2F20261128%2Fcn-hangzhou%2Foss%2Faliyun_v4_request`,
    MALFORMED,
  ),
  // --- S5 AWS-compatible
  c('S5 AWS V2 query', '/image/a.jpg?AWSAccessKeyId=ak&Expires=2000000000&Signature=c2ln', {
    ...SIGNED,
    scheme: 'aws-v2',
  }),
  c(
    'S5 AWS V2 header',
    '/image/a.jpg',
    { ...SIGNED, scheme: 'aws-v2' },
    { headers: { authorization: 'AWS ak:c2ln' } },
  ),
  c(
    'S5 AWS V2 and OSS V1 key ids together',
    '/image/a.jpg?AWSAccessKeyId=ak&OSSAccessKeyId=ak&Expires=2000000000&Signature=c2ln',
    MALFORMED,
  ),
  c('S5 AWS V4 query', `/image/a.jpg?${AWS4Q}`, { ...SIGNED, scheme: 'aws-v4' }),
  c(
    'S5 AWS V4 query expired',
    `/image/a.jpg?${AWS4Q.replace('X-Amz-Expires=3600', 'X-Amz-Expires=60')}`,
    EXPIRED,
  ),
  c(
    'S5 AWS V4 query missing SignedHeaders',
    `/image/a.jpg?${AWS4Q.replace('&X-Amz-SignedHeaders=host', '')}`,
    MALFORMED,
  ),
  c(
    'S5 AWS V4 X-Amz-Expires over 604800',
    `/image/a.jpg?${AWS4Q.replace('X-Amz-Expires=3600', 'X-Amz-Expires=604801')}`,
    MALFORMED,
  ),
  c(
    'S5 AWS V4 header',
    '/image/a.jpg',
    { ...SIGNED, scheme: 'aws-v4' },
    { headers: { authorization: AWS4H } },
  ),

  // --- S4 hosts
  c(
    'S4 path-style request is refused',
    'https://oss-cn-hangzhou.aliyuncs.com/examplebucket/image/a.gif',
    { allow: false, reason: 'invalid-request', status: 403, code: 'SecondLevelDomainForbidden' },
  ),
  c(
    'S4 path-style on an internal endpoint',
    'https://oss-cn-hangzhou-internal.aliyuncs.com/examplebucket/a.gif',
    { allow: false, reason: 'invalid-request', status: 403, code: 'SecondLevelDomainForbidden' },
  ),
  c(
    'S4 path-style on a dual-stack endpoint',
    'https://cn-hangzhou.oss.aliyuncs.com/examplebucket/a.gif',
    { allow: false, reason: 'invalid-request', status: 403, code: 'SecondLevelDomainForbidden' },
  ),
  c('S4 region endpoint root is not an object read', 'https://oss-cn-hangzhou.aliyuncs.com/', {
    allow: true,
    reason: 'not-an-object',
    bucket: null,
  }),
  c(
    'S4 internal endpoint',
    'https://examplebucket.oss-cn-hangzhou-internal.aliyuncs.com/image/a.gif',
    { ...DENY_ORIGINAL, bucket: 'examplebucket' },
  ),
  c('S4 dual-stack endpoint', 'https://examplebucket.cn-hangzhou.oss.aliyuncs.com/image/a.gif', {
    ...DENY_ORIGINAL,
    bucket: 'examplebucket',
  }),
  c('S4 acceleration endpoint', 'https://examplebucket.oss-accelerate.aliyuncs.com/image/a.gif', {
    ...DENY_ORIGINAL,
    bucket: 'examplebucket',
  }),
  c(
    'S4 overseas acceleration endpoint',
    'https://examplebucket.oss-accelerate-overseas.aliyuncs.com/a.gif',
    { ...FREE, bucket: 'examplebucket' },
  ),
  c(
    'S4 host is case-insensitive, port ignored',
    'https://ExampleBucket.OSS-cn-hangzhou.aliyuncs.com:443/image/a.gif',
    { ...DENY_ORIGINAL, bucket: 'examplebucket' },
  ),
  c(
    'S4 invalid bucket name in an OSS host',
    'https://bad_bucket.oss-cn-hangzhou.aliyuncs.com/image/a.gif',
    { allow: false, reason: 'invalid-request', status: 400, code: 'InvalidBucketName' },
  ),
  c(
    'S4 custom domain: bucket unknown, policy still applies',
    'https://img.example.com/image/a.gif',
    { ...DENY_ORIGINAL, bucket: null },
  ),
  c(
    'S4 custom domain mapped to a bucket',
    'https://IMG.example.com/image/a.gif',
    { ...DENY_ORIGINAL, bucket: 'mapped' },
    { buckets: { 'img.example.com': 'mapped' } },
  ),
  c(
    'S4 request target with Host header',
    '/image/a.gif',
    { ...DENY_ORIGINAL, bucket: 'examplebucket' },
    { headers: { host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com' } },
  ),
  c(
    'S4 Host header with port and capitals',
    '/image/a.gif',
    { ...DENY_ORIGINAL, bucket: 'examplebucket' },
    { headers: { Host: 'EXAMPLEBUCKET.oss-cn-hangzhou.aliyuncs.com:8080' } },
  ),
  c(
    'S4 absolute URL host wins over Host',
    `${H}/a.gif`,
    { ...FREE, bucket: 'examplebucket' },
    { headers: { host: 'other.oss-cn-beijing.aliyuncs.com' } },
  ),
  c(
    'S4 Host header naming a path-style endpoint',
    '/examplebucket/a.gif',
    { allow: false, reason: 'invalid-request', status: 403, code: 'SecondLevelDomainForbidden' },
    { headers: { host: 'oss-cn-hangzhou.aliyuncs.com' } },
  ),
  c(
    'S4 request target without Host: no bucket',
    '/image/a.gif',
    { ...DENY_ORIGINAL, bucket: null },
    { headers: {} },
  ),
  c('S4 target that is neither absolute nor /', 'image/a.jpg', INVALID_URI),
  c('S4 asterisk target', '*', INVALID_URI),
  c('S4 empty target', '', INVALID_URI),

  // --- S3.3 wildcard through requests
  c(
    'S3.3 * without content type protects a .txt',
    '/docs/readme.txt',
    { ...DENY_ORIGINAL, match: '*' },
    { policy: 'STAR' },
  ),
  c('S3.3 * with a text content type', '/docs/readme.txt', FREE, {
    policy: 'STAR',
    contentType: 'text/plain',
  }),
  c(
    'S3.3 * with an image content type',
    '/docs/blob',
    { ...DENY_ORIGINAL, match: '*' },
    { policy: 'STAR', contentType: 'image/webp' },
  ),
  c('S3.3 * through a style', '/docs/readme.txt?x-oss-process=style/small', STYLE, {
    policy: 'STAR',
  }),
  ...bypassRows(),
];

/**
 * SPEC R2: every bypass class found by the red team, and every R2 clause, as rows. The example
 * policy protects `image/` (rule 0), `.png` (rule 1, any case), `raw/*.tif` and jpg/jpeg.
 */
function bypassRows(): DecisionCase[] {
  const WM = (key: string) => Buffer.from(key).toString('base64url');
  const WATERMARK = { ...DENY_INLINE, reason: 'protected-watermark' };
  return [
    // --- S4 R2 W: WHATWG URL (Fetch forwarding)
    c('S4 R2 W: .. removes the segment before it', '/secret/../image/a.gif', {
      ...DENY_ORIGINAL,
      key: 'image/a.gif',
      source: 'whatwg',
    }),
    c('S4 R2 W: %2e%2e is a dot segment', '/secret/%2e%2E/image/a.gif', {
      ...DENY_ORIGINAL,
      key: 'image/a.gif',
      source: 'whatwg',
    }),
    c('S4 R2 W: .%2e is a dot segment', '/x/.%2e/image/a.gif', {
      ...DENY_ORIGINAL,
      key: 'image/a.gif',
    }),
    c('S4 R2 W: a single . segment is removed', '/image/./a.gif?x-oss-process=style/small', STYLE),
    c('S4 R2 W: backslash is a slash', '/image\\a.gif', {
      ...DENY_ORIGINAL,
      key: 'image/a.gif',
      source: 'whatwg',
    }),
    c(
      'S4 R2 W: escaped segment removal keeps the escape of other segments',
      '/p%2Fq/../image/a.gif',
      {
        ...DENY_ORIGINAL,
        key: 'image/a.gif',
        source: 'whatwg',
      },
    ),
    c('S4 R2 W: .. above the root is dropped', '/../../image/a.gif', {
      ...DENY_ORIGINAL,
      key: 'image/a.gif',
    }),
    c('S4 R2 W: a tab is dropped by the URL parser', '/ima\tge/a.gif', {
      ...DENY_ORIGINAL,
      key: 'image/a.gif',
      source: 'whatwg',
    }),
    c('S4 R2 W: dot segments ending in a style still pass', '/x/../image/a.gif!small', {
      ...STYLE,
      key: 'x/../image/a.gif',
    }),
    c(
      'S4 R2 W: dot segments out of a folder are harmless when nothing is protected',
      '/docs/x/../a.txt',
      FREE,
    ),
    c('S4 R2 W: an empty result is a bucket-level reading', '/x/..', FREE),
    // --- S4 R2 N: decoding servers (nginx, Go path.Clean, CDNs)
    c('S4 R2 N: %2e%2e after decoding', '/x/%2e%2e/image/a.gif', {
      ...DENY_ORIGINAL,
      key: 'image/a.gif',
    }),
    c('S4 R2 N: an escaped slash becomes a segment', '/p%2Fq/..%2F..%2Fimage/a.gif', {
      ...DENY_ORIGINAL,
      key: 'image/a.gif',
      source: 'decoded',
    }),
    c('S4 R2 N: escaped dots and slashes together', '/x%2F..%2Fimage%2Fa.gif', {
      ...DENY_ORIGINAL,
      key: 'image/a.gif',
      source: 'decoded',
    }),
    c('S4 R2 N: repeated slashes are merged', '/docs//..//image/a.gif', {
      ...DENY_ORIGINAL,
      key: 'image/a.gif',
    }),
    c('S4 R2 N: a final dot segment, Go-style, leaves no trailing slash', '/docs/a.jpg/.', {
      ...DENY_ORIGINAL,
      key: 'docs/a.jpg',
      source: 'decoded',
    }),
    c('S4 R2 N: an escaped delimiter decodes into a delimiter reading', '/image/a.gif%21small', {
      ...DENY_ORIGINAL,
      key: 'image/a.gif!small',
      source: 'literal',
    }),
    c('S4 R2 N: %5C is data, never a separator', '/docs%5C..%5Cimage/a.gif', {
      ...FREE,
      key: 'docs\\..\\image/a.gif',
    }),
    // --- S4 R2 P: servlet path parameters
    c('S4 R2 P: ;x=1 in a folder', '/image;x=1/a.gif', {
      ...DENY_ORIGINAL,
      key: 'image/a.gif',
      source: 'path-parameters',
    }),
    c('S4 R2 P: ;v=1 after the extension', '/docs/a.jpg;v=1', {
      ...DENY_ORIGINAL,
      key: 'docs/a.jpg',
      source: 'path-parameters',
    }),
    c('S4 R2 P: ..; is a dot segment once stripped', '/secret/..;/image/a.gif', {
      ...DENY_ORIGINAL,
      key: 'image/a.gif',
      source: 'path-parameters',
    }),
    c('S4 R2 P: %3B is data', '/docs/a.jpg%3Bv=1', { ...FREE, key: 'docs/a.jpg;v=1' }),
    c('S4 R2 P: path parameters on a style URL', '/image;x/a.gif?x-oss-process=style/small', STYLE),
    // --- S4 R2 H: a raw # kept
    c('S4 R2 H: a raw # in the key', '/photos/C#1.jpg', {
      ...DENY_ORIGINAL,
      key: 'photos/C#1.jpg',
      source: 'raw-hash',
    }),
    c('S4 R2 H then N: # then dot segments', '/#/../image/a.gif', {
      ...DENY_ORIGINAL,
      key: 'image/a.gif',
      source: 'raw-hash',
    }),
    c('S4 R2 H: an absolute URL keeps the raw #', `${H}/photos/C#1.jpg`, {
      ...DENY_ORIGINAL,
      key: 'photos/C#1.jpg',
    }),
    c('S4 R2 H: %23 is the escape SDKs send', '/photos/C%231.jpg?x-oss-process=style/small', STYLE),
    // A server that keeps the `#` (Go's net/http) does not refuse a bad escape in the query after
    // it either: it skips the pair. The raw-hash readings stay (0.3.1 dropped them: a bypass).
    c('S4 R2 H: a bad escape in the query after the #', '/a.txt#/../image/b.gif?x=%zz', {
      ...DENY_ORIGINAL,
      key: 'image/b.gif',
      source: 'raw-hash',
    }),
    c(
      'S4 R2 H: inline processing beside a bad escape after the #',
      '/a.txt#/../image/b.gif?x-oss-process=image/resize,w_1&y=%zz',
      { ...DENY_INLINE, key: 'image/b.gif', source: 'raw-hash' },
    ),
    c(
      'S4 R2 H: a style whose own value has a bad escape after the # is not a style',
      '/a.txt#/../image/b.gif?x-oss-process=style/sm%zzall',
      { ...DENY_INLINE, key: 'image/b.gif', source: 'raw-hash' },
    ),
    c(
      'S4 R2 H: a style after the # beside a bad escape stays a style',
      '/a.txt#/../image/b.gif?x-oss-process=style/small&y=%zz',
      STYLE,
    ),
    c(
      'S4 R2 H: a protected watermark beside a bad escape after the #',
      `/docs/a.txt#x?x-oss-process=image/watermark,image_${WM('image/b.gif')}&y=%zz`,
      WATERMARK,
    ),
    c('S4 R2 H: a lone surrogate in the query after the #', '/a.txt#/../image/b.gif?x=\ud800', {
      ...DENY_ORIGINAL,
      key: 'image/b.gif',
      source: 'raw-hash',
    }),
    // --- S4 R2 other processing names
    c(
      'S4 R2 ambiguous: a processing name after ;',
      '/image/a.jpg?x-oss-process=style/small&a=b;x-oss-process=image/resize,w_1',
      DENY_AMBIGUOUS,
    ),
    c(
      'S4 R2 ambiguous: ;x-oss-process at the end',
      '/image/a.jpg?v=1;x-oss-process',
      DENY_AMBIGUOUS,
    ),
    // A server that splits on `;` reads a bare name before the first `;` too.
    c(
      'S4 R2 ambiguous: x-oss-process; before a parameter',
      '/image/a.jpg?x-oss-process;a',
      DENY_AMBIGUOUS,
    ),
    c(
      'S4 R2 ambiguous: x-oss-process; beside a style',
      '/image/a.jpg?x-oss-process;a&x-oss-process=style/small',
      DENY_AMBIGUOUS,
    ),
    c(
      'S4 R2 derived bytes: a POST with x-oss-process; reads the object',
      '/image/a.jpg?x-oss-process;a',
      { ...DENY_INLINE, reason: 'inline-processing' },
      { method: 'POST' },
    ),
    c(
      'S4 R2: a processing name in a value before a ; is no parameter',
      '/image/a.jpg?a=x-oss-process;b',
      DENY_ORIGINAL,
    ),
    c(
      'S4 R2 ambiguous: x-oss-async-process on a read',
      '/image/a.jpg?x-oss-async-process=image/resize',
      DENY_AMBIGUOUS,
    ),
    c(
      'S4 R2 ambiguous: escaped name without the exact one',
      '/image/a.jpg?x-oss-%70rocess=style/small',
      DENY_AMBIGUOUS,
    ),
    c(
      'S4 R2 ambiguous names do not matter on unprotected keys',
      '/docs/a.txt?X-Oss-Process=image/resize',
      FREE,
    ),
    c(
      'S4 R2 +: a space in a query value changes no decision',
      '/image/a.jpg?x-oss-process=style/small&response-content-disposition=attachment;+filename',
      STYLE,
    ),
    c(
      'S4 R2 +: style/small+ is not a style name',
      '/image/a.jpg?x-oss-process=style/small+',
      DENY_INLINE,
    ),
    // --- S4 R2 empty style after a delimiter
    c('S4 R2 empty style: a trailing enabled delimiter', '/docs/a.jpg!', {
      ...DENY_INLINE,
      key: 'docs/a.jpg',
    }),
    c('S4 R2 empty style: each enabled delimiter of the final run', '/docs/a.jpg-!', {
      ...DENY_INLINE,
      key: 'docs/a.jpg',
    }),
    c(
      'S4 R2 empty style: without a catalogue too',
      '/docs/a.jpg!',
      { ...DENY_INLINE, key: 'docs/a.jpg' },
      { policy: 'PN' },
    ),
    c('S4 R2 empty style: a disabled delimiter is no style', '/docs/a.jpg_', FREE),
    c(
      'S4 R2 empty style: escaped trailing delimiter is data (styleUrl sends this)',
      '/docs/b.txt%21',
      FREE,
    ),
    // --- S4 R2 legacy @ processing
    c('S4 R2 @: off by default (atProcessing false)', '/docs/logo@2x.png.txt', FREE),
    c(
      'S4 R2 @: the key before @ is processed when atProcessing is on',
      '/docs/a.jpg@100w_100h.webp',
      {
        ...DENY_INLINE,
        key: 'docs/a.jpg',
      },
      { policy: 'AT' },
    ),
    c('S4 R2 @: only in the last segment', '/docs/a.jpg@x/b.txt', FREE, { policy: 'AT' }),
    c(
      'S4 R2 @: an IMG host always processes @',
      'https://examplebucket.img-cn-hangzhou.aliyuncs.com/docs/a.jpg@100w',
      {
        ...DENY_INLINE,
        key: 'docs/a.jpg',
        bucket: 'examplebucket',
      },
    ),
    c(
      'S4 R2 @: %40 is data',
      '/docs/a.jpg%40100w',
      { ...FREE, key: 'docs/a.jpg@100w' },
      { policy: 'AT' },
    ),
    // --- S4 R2 watermarks
    c(
      'S4 R2 watermark: a public image pulling in a protected one',
      `/docs/pub.gif?x-oss-process=image/watermark,image_${WM('image/secret.gif')}`,
      {
        ...WATERMARK,
        key: 'image/secret.gif',
        match: 'rule:0',
      },
    ),
    c(
      'S4 R2 watermark: with its own processing after ?',
      `/docs/pub.gif?x-oss-process=image/resize,w_10/watermark,t_90,image_${WM('image/s.gif?x-oss-process=image/resize,P_20')},g_se`,
      {
        ...WATERMARK,
        key: 'image/s.gif',
      },
    ),
    c(
      'S4 R2 watermark: action names in any case, standard Base64 with padding',
      `/docs/pub.gif?x-oss-process=image/WaterMark,image_${Buffer.from('raw/a.tif').toString('base64')}`,
      {
        ...WATERMARK,
        key: 'raw/a.tif',
      },
    ),
    c(
      'S4 R2 watermark: a percent-encoded key inside',
      `/docs/pub.gif?x-oss-process=image/watermark,image_${WM('image%2Fa.gif')}`,
      {
        ...WATERMARK,
        key: 'image/a.gif',
      },
    ),
    c(
      'S4 R2 watermark: undecodable is denied',
      '/docs/pub.gif?x-oss-process=image/watermark,image_%25%25%25',
      {
        ...WATERMARK,
        key: null,
      },
    ),
    c(
      'S4 R2 watermark: an unprotected one is fine',
      `/docs/pub.gif?x-oss-process=image/watermark,image_${WM('docs/logo.gif')}`,
      FREE,
    ),
    c(
      'S4 R2 watermark: text watermarks name no object',
      '/docs/pub.gif?x-oss-process=image/watermark,text_SGVsbG8',
      FREE,
    ),
    // Found by mutation testing (0.3.1): a watermark in an ambiguous query was never judged.
    ...[
      [
        'a style, then the inline value',
        `x-oss-process=style/small&x-oss-process=image/watermark,image_${WM('image/s.gif')}`,
      ],
      [
        'the inline value, then a style',
        `x-oss-process=image/watermark,image_${WM('image/s.gif')}&x-oss-process=style/small`,
      ],
      [
        'another spelling',
        `x-oss-process=style/small&X-Oss-Process=image/watermark,image_${WM('image/s.gif')}`,
      ],
      [
        'x-oss-async-process',
        `x-oss-process=style/small&x-oss-async-process=image/watermark,image_${WM('image/s.gif')}`,
      ],
      ['an escaped name', `x-oss-%70rocess=image/watermark,image_${WM('image/s.gif')}`],
      ['after a ; in a value', `v=1;x-oss-process=image/watermark,image_${WM('image/s.gif')}`],
      ['after a ; in a name', `v;x-oss-process=image/watermark,image_${WM('image/s.gif')}`],
      [
        'after a ; after a style',
        `x-oss-process=style/small;x-oss-process=image/watermark,image_${WM('image/s.gif')}`,
      ],
    ].map(([name, query]) =>
      c(`S4 R2 watermark in an ambiguous query: ${name}`, `/docs/pub.gif?${query}`, {
        ...WATERMARK,
        key: 'image/s.gif',
        match: 'rule:0',
      }),
    ),
    c(
      'S4 R2 watermark in an ambiguous query: an unprotected one is fine',
      `/docs/pub.gif?x-oss-process=style/small&x-oss-process=image/watermark,image_${WM('docs/logo.gif')}`,
      FREE,
    ),
    // --- S6 R2 derived-bytes operations
    c(
      'S6.1 R2 POST x-oss-process style: still processing',
      '/image/a.jpg?x-oss-process=style/small',
      DENY_INLINE,
      { method: 'POST' },
    ),
    c('S6.1 R2 POST x-oss-async-process', '/image/a.jpg?x-oss-async-process', DENY_INLINE, {
      method: 'POST',
    }),
    c(
      'S6.1 R2 POST SelectObject on a protected key',
      '/raw/a.tif?x-oss-process=csv/select',
      DENY_INLINE,
      { method: 'post' },
    ),
    c(
      'S6.1 R2 POST processing of an unprotected key',
      '/docs/a.txt?x-oss-process=image/info',
      FREE,
      { method: 'POST' },
    ),
    c(
      'S6.1 R2 POST without processing is not a read',
      '/image/a.jpg?uploads',
      { allow: true, reason: 'not-a-read' },
      { method: 'POST' },
    ),
    c(
      'S6.1 R2 POST processing through a dot segment',
      '/x/../image/a.gif?x-oss-process=image/info',
      { ...DENY_INLINE, key: 'image/a.gif' },
      { method: 'POST' },
    ),
    c('S6.1 R2 POST processing, signed', `/image/a.jpg?x-oss-process=image/info&${V1Q}`, SIGNED, {
      method: 'POST',
    }),
    c(
      'S6.1 R2 PUT copy of a protected object',
      '/docs/copy.jpg',
      { ...DENY_ORIGINAL, key: 'image/a.jpg', via: 'copy-source' },
      {
        method: 'PUT',
        headers: {
          host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com',
          'x-oss-copy-source': '/examplebucket/image/a.jpg',
        },
      },
    ),
    c(
      'S6.1 R2 PUT copy source without a leading /, with a versionId',
      '/docs/copy',
      { ...DENY_ORIGINAL, key: 'image/a b.jpg' },
      {
        method: 'PUT',
        headers: {
          host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com',
          'x-oss-copy-source': 'examplebucket/image/a%20b.jpg?versionId=CAEQ',
        },
      },
    ),
    c(
      'S6.1 R2 PUT copy source: + is literal',
      '/docs/copy',
      { ...FREE, key: 'docs/a+b.txt', via: 'copy-source' },
      {
        method: 'PUT',
        headers: {
          host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com',
          'x-oss-copy-source': '/examplebucket/docs/a+b.txt',
        },
      },
    ),
    c(
      "S6.1 R2 PUT copy from another bucket is that bucket's business",
      '/docs/copy',
      { allow: true, reason: 'not-a-read' },
      {
        method: 'PUT',
        headers: {
          host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com',
          'x-oss-copy-source': '/otherbucket/image/a.jpg',
        },
      },
    ),
    c(
      'S6.1 R2 PUT copy: an unknown bucket counts as this one',
      '/docs/copy',
      { ...DENY_ORIGINAL, via: 'copy-source' },
      {
        method: 'PUT',
        headers: { host: 'cdn.example.com', 'x-oss-copy-source': '/otherbucket/image/a.jpg' },
      },
    ),
    c('S6.1 R2 PUT copy: * protects every source (no content type)', '/docs/copy', DENY_ORIGINAL, {
      method: 'PUT',
      policy: 'STAR',
      headers: {
        host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com',
        'x-oss-copy-source': '/examplebucket/docs/readme.txt',
      },
    }),
    c(
      'S6.1 R2 PUT copy source that does not decode: 400',
      '/docs/copy',
      { allow: false, reason: 'invalid-request', status: 400, code: 'InvalidArgument' },
      {
        method: 'PUT',
        headers: {
          host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com',
          'x-oss-copy-source': '/examplebucket/image/%zz',
        },
      },
    ),
    c('S6.1 R2 PUT copy, signed', `/docs/copy?${V1Q}`, SIGNED, {
      method: 'PUT',
      headers: {
        host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com',
        'x-oss-copy-source': '/examplebucket/image/a.jpg',
      },
    }),
    c(
      'S6.1 R2 PUT ?symlink to a protected object',
      '/docs/link?symlink',
      { ...DENY_ORIGINAL, key: 'image/a.jpg', via: 'symlink-target' },
      {
        method: 'PUT',
        headers: {
          host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com',
          'x-oss-symlink-target': 'image%2Fa.jpg',
        },
      },
    ),
    c(
      'S6.1 R2 PUT ?symlink to an unprotected object',
      '/docs/link?symlink',
      { ...FREE, via: 'symlink-target' },
      {
        method: 'PUT',
        headers: {
          host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com',
          'x-oss-symlink-target': 'docs/a.txt',
        },
      },
    ),
    c(
      'S6.1 R2 PUT with a symlink header but no ?symlink is an upload',
      '/docs/link',
      { allow: true, reason: 'not-a-read' },
      {
        method: 'PUT',
        headers: {
          host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com',
          'x-oss-symlink-target': 'image/a.jpg',
        },
      },
    ),
    // --- S3 R2 case folding (a case-insensitive policy)
    c(
      'S3 R2 ſ folds to s under a case-insensitive rule',
      '/%C5%BFecret/a.txt',
      { ...DENY_ORIGINAL, match: 'rule:0' },
      { policy: 'CI' },
    ),
    c(
      'S3 R2 İ folds to i',
      '/%C4%B0mage/a.txt',
      { ...DENY_ORIGINAL, match: 'rule:1' },
      { policy: 'CI' },
    ),
    c(
      'S3 R2 ı folds to i',
      '/%C4%B1mage/a.txt',
      { ...DENY_ORIGINAL, match: 'rule:1' },
      { policy: 'CI' },
    ),
    c('S3 R2 the Kelvin sign folds already', '/image/a.txt?x-oss-process=style/small', STYLE, {
      policy: 'CI',
    }),
  ];
}
