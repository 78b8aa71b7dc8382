/**
 * What V1 and V4 sign (SPEC S8), on requests that exercise every part of the canonical forms at
 * once: the string OSS computes (and returns as `StringToSign`/`CanonicalRequest` when a signature
 * does not match), read before any secret through `planFor`. The published vectors and the
 * ali-oss oracle (test/verify.test.ts) pin ordinary requests; these pin the rules ordinary
 * requests never reach: the whole sub-resource list, encoding of reserved and lone-surrogate
 * characters, sorting by encoded name and then value, bare names, the headers each scheme reads
 * (and the ones it ignores) in every header shape, trimming and lower-casing, a messy
 * `AdditionalHeaders` list, and the body hash.
 *
 * Each test loads `src/verify/` afresh (as test/mutation/load.test.ts does for the entry points),
 * so the tables and constants built when the module loads are checked too: in a mutation run
 * only a module loaded inside a test sees a mutant in its import-time code.
 */
import { describe, expect, it, vi } from 'vitest';
import type { RequestLike } from '../../src/index.js';
import type { Plan } from '../../src/verify/result.js';

const HOST = 'examplebucket.oss-cn-hangzhou.aliyuncs.com';
const NOW = new Date('2024-05-17T08:30:00Z');
const HEX = 'ab'.repeat(32);
const CREDENTIAL = 'ak%2F20240517%2Fcn-hangzhou%2Foss%2Faliyun_v4_request';
const V4_QUERY = `x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=${CREDENTIAL}&x-oss-date=20240517T083000Z&x-oss-expires=3600&x-oss-signature=${HEX}`;
const V1_QUERY = 'OSSAccessKeyId=ak&Expires=1715935800&Signature=c2ln';

/** `src/verify/` loaded afresh: its import-time tables are built inside the calling test. */
async function fresh() {
  vi.resetModules();
  const [verify, v4] = await Promise.all([
    import('../../src/verify/verify.js'),
    import('../../src/verify/v4.js'),
  ]);
  const signed = (request: RequestLike, options: object = {}): string => {
    const plan = verify.planFor(request, { now: NOW, ...options });
    if ('valid' in plan) throw new Error(`not planned: ${plan.message}`);
    return (plan as Plan).signed;
  };
  return { ...verify, uriEncode: v4.uriEncode, signed };
}

describe('S8 V4 canonical request: every clean-up rule at once', () => {
  const request: RequestLike = {
    url: `https://${HOST}/dir/a%20b(1)!'*.jpg?${V4_QUERY}&x-oss-additional-headers=%20Range%20%3BHOST%3B%3Brange&b=2&a=1&a=2&a=0&c&%21=x&x-oss-process=style%2Fsmall`,
    headers: {
      Host: HOST,
      Range: ' bytes=0-1 ',
      'Content-Type': 'image/jpeg',
      'Content-MD5': 'md5',
      'X-OSS-Meta-B': ' 2 ',
      'x-oss-meta-a': '1',
      'X-Oss-Content-Sha256': 'abc',
      Accept: 'not signed',
      'Content-Length': '0',
    },
  };
  const lines = async () => (await fresh()).signed(request).split('\n');

  it('S8 the verb, then the URI: "/bucket/key" RFC 3986-encoded, "/" kept, !\'()* escaped too', async () => {
    expect((await lines()).slice(0, 2)).toEqual([
      'GET',
      '/examplebucket/dir/a%20b%281%29%21%27%2A.jpg',
    ]);
  });

  it('S8 the query: all but x-oss-signature, encoded, sorted by encoded name then value, bare names bare', async () => {
    expect((await lines())[2]?.split('&')).toEqual([
      '%21=x',
      'a=0',
      'a=1',
      'a=2',
      'b=2',
      'c',
      'x-oss-additional-headers=%20Range%20%3BHOST%3B%3Brange',
      `x-oss-credential=${CREDENTIAL}`,
      'x-oss-date=20240517T083000Z',
      'x-oss-expires=3600',
      'x-oss-process=style%2Fsmall',
      'x-oss-signature-version=OSS4-HMAC-SHA256',
    ]);
  });

  it('S8 the headers: content-type, content-md5, x-oss-*, the additional ones; lower-cased, trimmed, sorted', async () => {
    expect((await lines()).slice(3, 11)).toEqual([
      'content-md5:md5',
      'content-type:image/jpeg',
      `host:${HOST}`,
      'range:bytes=0-1',
      'x-oss-content-sha256:abc',
      'x-oss-meta-a:1',
      'x-oss-meta-b:2',
      '',
    ]);
  });

  it('S8 the additional header names: trimmed, lower-cased, each once, sorted, ";"-joined; then the body hash', async () => {
    expect((await lines()).slice(11)).toEqual(['host;range', 'abc']);
  });

  it('S8 without x-oss-content-sha256 the payload is UNSIGNED-PAYLOAD; without additional headers the line is empty', async () => {
    const { signed } = await fresh();
    expect(signed({ url: `https://${HOST}/a.jpg?${V4_QUERY}` })).toBe(
      `GET\n/examplebucket/a.jpg\n${V4_QUERY.split('&')
        .filter((p) => !p.startsWith('x-oss-signature='))
        .sort()
        .join('&')}\n\n\nUNSIGNED-PAYLOAD`,
    );
  });

  it('S8 R2 a missing additional header is named by its clean name', async () => {
    const { planFor } = await fresh();
    const plan = planFor(
      { url: `https://${HOST}/a.jpg?${V4_QUERY}&x-oss-additional-headers=%20X-Custom%20` },
      { now: NOW },
    );
    expect(plan).toMatchObject({
      valid: false,
      code: 'AccessDenied',
      message: 'The additional header "x-custom" is signed but not in the request.',
    });
  });

  it('S8 RFC 3986 encoding: unreserved characters only stay, each neighbour of a range is escaped', async () => {
    const { uriEncode } = await fresh();
    const rows: [string, string][] = [
      ['AZaz09-._~', 'AZaz09-._~'],
      ['@', '%40'],
      ['[', '%5B'],
      ['`', '%60'],
      ['{', '%7B'],
      ['/', '%2F'],
      [':', '%3A'],
      [',', '%2C'],
      ['}', '%7D'],
      ['a b', 'a%20b'],
      ["!'()*", '%21%27%28%29%2A'],
      ['图', '%E5%9B%BE'],
    ];
    for (const [text, encoded] of rows) expect(uriEncode(text), text).toBe(encoded);
  });

  it('S8 a lone surrogate (a configured bucket may hold one) encodes as U+FFFD, a pair as itself', async () => {
    const { uriEncode } = await fresh();
    const rows: [string, string][] = [
      ['a\ud800b', 'a%EF%BF%BDb'],
      ['a\udc00', 'a%EF%BF%BD'],
      ['\ud83d\ude00a\ud800', '%F0%9F%98%80a%EF%BF%BD'],
      ['\udc00\ud83d\ude00', '%EF%BF%BD%F0%9F%98%80'],
      ['\ud800\ud800\udc00', '%EF%BF%BD%F0%90%80%80'],
      ['x\ud83d\ude00\udbff', 'x%F0%9F%98%80%EF%BF%BD'],
    ];
    for (const [text, encoded] of rows) expect(uriEncode(text), JSON.stringify(text)).toBe(encoded);
  });

  it('S8 the published V4 header vector still verifies (e21d18da…)', async () => {
    const { verifySignature } = await fresh();
    const time = new Date(1702743657_000);
    const request: RequestLike = {
      method: 'PUT',
      url: '/1234+-/123/1.txt?param1=value1&%2Bparam1=value3&%7Cparam1=value4&%2Bparam2&%7Cparam2&param2',
      headers: {
        host: 'bucket.oss-cn-hangzhou.aliyuncs.com',
        'content-type': 'text/plain',
        'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
        'x-oss-date': '20231216T162057Z',
        'x-oss-head1': 'value',
        authorization:
          'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
      },
    };
    expect(await verifySignature(request, { getSecret: () => 'sk', now: time })).toEqual({
      valid: true,
      accessKeyId: 'ak',
      scheme: 'oss-v4',
      location: 'header',
    });
  });
});

/** SPEC S8's list of the sub-resources V1 signs, spelled as the SPEC spells them. */
const SUB_RESOURCES =
  `acl, uploads, location, cors, logging, website, referer, lifecycle, delete, append,
  tagging, objectMeta, uploadId, partNumber, security-token, position, img, style, styleName,
  replication, replicationProgress, replicationLocation, cname, bucketInfo, comp, qos, live, status,
  vod, startTime, endTime, symlink, x-oss-process, response-content-type, response-content-language,
  response-expires, response-cache-control, response-content-disposition, response-content-encoding,
  udf, udfName, udfImage, udfId, udfImageDesc, udfApplication, udfApplicationLog, restore, callback,
  callback-var, continuation-token, versionId, versioning, versions, policy, requestPayment,
  x-oss-traffic-limit, x-oss-request-payer`.split(/,\s*/);

describe('S8 V1 string to sign: every clean-up rule at once', () => {
  it('S8 VERB, Content-MD5, Content-Type, Expires, the x-oss-* headers, then the resource', async () => {
    const { signed } = await fresh();
    const request: RequestLike = {
      url: `https://${HOST}/dir/a%20b.jpg?${V1_QUERY}&versionId=v%2B1&acl&width=10&x-oss-process=style%2Fsmall&response-content-type=image%2Fpng&X-Oss-Foo=1&x-oss-z=&partNumber=2`,
      headers: {
        Host: HOST,
        'Content-Type': 'image/jpeg',
        'Content-MD5': 'md5',
        'X-OSS-Meta-B': ' 2 ',
        'x-oss-meta-a': '1',
        Accept: 'not signed',
        'oss-x': 'not signed',
        'a-x-oss-': 'not signed',
      },
    };
    expect(signed(request).split('\n')).toEqual([
      'GET',
      'md5',
      'image/jpeg',
      '1715935800',
      'x-oss-meta-a:1',
      'x-oss-meta-b:2',
      // Sub-resources and x-oss-* parameters only (names as sent), sorted, values decoded.
      '/examplebucket/dir/a b.jpg?acl&partNumber=2&response-content-type=image/png&versionId=v+1&x-oss-process=style/small&x-oss-z',
    ]);
  });

  it('S8 without signed parameters the resource is "/bucket/key" alone; absent content headers are empty lines', async () => {
    const { signed } = await fresh();
    expect(signed({ url: `https://${HOST}/a.jpg?${V1_QUERY}&width=1` })).toBe(
      'GET\n\n\n1715935800\n/examplebucket/a.jpg',
    );
  });

  it(`S8 every one of the ${SUB_RESOURCES.length} listed sub-resources is signed, in sorted order; other names are not`, async () => {
    const { signed } = await fresh();
    expect(SUB_RESOURCES).toHaveLength(57);
    const query = [...SUB_RESOURCES].reverse().map((n, i) => `${n}=${i}`);
    const others = ['width', 'Acl', 'x-oss', 'X-Oss-Process', 'uploadid', 'versionid', 'osx-oss-'];
    const line = signed({
      url: `https://${HOST}/a.jpg?${V1_QUERY}&${[...query, ...others.map((n) => `${n}=1`)].join('&')}`,
    }).split('\n')[4] as string;
    const [resource, signedQuery] = line.split('?');
    expect(resource).toBe('/examplebucket/a.jpg');
    const sorted = [...SUB_RESOURCES].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(signedQuery?.split('&').map((p) => p.split('=')[0])).toEqual(sorted);
  });

  it('S8 the same headers in every request shape sign the same string (record, pairs, rawHeaders, Fetch)', async () => {
    const { signed } = await fresh();
    const url = `https://${HOST}/a.jpg?${V1_QUERY}`;
    const pairs: [string, string][] = [
      ['Content-Type', 'image/png'],
      ['X-OSS-Meta-A', '1'],
      ['x-oss-meta-a', '2'],
      ['x-oss-meta-b', ' 3 '],
      ['Accept', 'x'],
    ];
    const expected =
      'GET\n\nimage/png\n1715935800\nx-oss-meta-a:1, 2\nx-oss-meta-b:3\n/examplebucket/a.jpg';
    expect(signed({ url, headers: pairs })).toBe(expected);
    expect(signed({ url, rawHeaders: pairs.flat() })).toBe(expected);
    // rawHeaders wins over headers, and a last name without a value is ignored.
    expect(signed({ url, rawHeaders: [...pairs.flat(), 'x-oss-meta-a'], headers: {} })).toBe(
      expected,
    );
    const fetchHeaders = new Headers(pairs);
    expect(signed({ url, headers: fetchHeaders })).toBe(expected);
    // Not pairs: skipped. Not a string name: skipped.
    const odd = [
      ...pairs,
      'x-oss-meta-z',
      [1, 'v'],
      { 0: 'x-oss-meta-a', 1: '9', length: 2 },
    ] as unknown as [string, string][];
    expect(signed({ url, headers: odd })).toBe(expected);
    expect(
      signed({
        url,
        headers: { 'content-type': 'image/png', 'x-oss-meta-a': ['1', '2'], 'x-oss-meta-b': ' 3 ' },
      }),
    ).toBe(expected);
  });

  it('S8 a record: the lower-case key wins, else the first spelling; null and undefined are no value', async () => {
    const { signed } = await fresh();
    const url = `https://${HOST}/a.jpg?${V1_QUERY}`;
    const ossLines = (headers: Record<string, unknown>) =>
      signed({ url, headers: headers as RequestLike['headers'] })
        .split('\n')
        .slice(4, -1);
    const rows: [string, Record<string, unknown>, string[]][] = [
      ['one spelling', { 'X-Oss-A': '1' }, ['x-oss-a:1']],
      [
        'the lower-case key wins over an earlier spelling',
        { 'X-Oss-A': '1', 'x-oss-a': '2' },
        ['x-oss-a:2'],
      ],
      [
        'the lower-case key wins over a later spelling',
        { 'x-oss-a': '2', 'X-OSS-A': '1' },
        ['x-oss-a:2'],
      ],
      ['else the first spelling', { 'X-Oss-A': '1', 'X-OSS-A': '3' }, ['x-oss-a:1']],
      [
        'a null lower-case key is an empty value',
        { 'x-oss-a': null, 'X-Oss-A': '1' },
        ['x-oss-a:'],
      ],
      [
        'an undefined lower-case key after another spelling does not win',
        { 'X-Oss-A': '1', 'x-oss-a': undefined },
        ['x-oss-a:1'],
      ],
      [
        'an undefined lower-case key first is the first spelling: an empty value',
        { 'x-oss-a': undefined, 'X-Oss-A': '1' },
        ['x-oss-a:'],
      ],
      ['only null or undefined: no header', { 'x-oss-a': null, 'X-Oss-A': undefined }, []],
      ['a number value', { 'x-oss-a': 7 }, ['x-oss-a:7']],
      [
        'a name whose lower case is longer (İ) gets no value, as a lookup by name gives none',
        { 'X-OSS-META-İ': '1', undefined: 'not a header' },
        ['x-oss-meta-i\u0307:'],
      ],
      ['an array of repeats, joined', { 'X-Oss-A': ['1', 2] }, ['x-oss-a:1, 2']],
    ];
    for (const [name, headers, expected] of rows) expect(ossLines(headers), name).toEqual(expected);
  });

  it('S8 headers that are not an object read as none', async () => {
    const { signed } = await fresh();
    const url = `https://${HOST}/a.jpg?${V1_QUERY}`;
    for (const headers of [
      undefined,
      null,
      'x-oss-a: 1',
      7,
      Object.assign(() => {}, { 'x-oss-a': '1' }),
    ])
      expect(signed({ url, headers: headers as unknown as RequestLike['headers'] })).toBe(
        'GET\n\n\n1715935800\n/examplebucket/a.jpg',
      );
  });

  it('S8 the published V1 header vector still verifies (kSHKmLxlyEAKtZPkJhG9bZb5k7M=)', async () => {
    const { verifySignature } = await fresh();
    const date = 'Wed, 28 Dec 2022 10:27:41 GMT';
    const request: RequestLike = {
      method: 'PUT',
      url: '/nelson',
      headers: {
        host: HOST,
        'content-md5': 'eB5eJF1ptWaXm4bijSPyxw==',
        'content-type': 'text/html',
        date,
        'x-oss-date': date,
        'x-oss-meta-author': 'alice',
        'x-oss-meta-magic': 'abracadabra',
        authorization: 'OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=',
      },
    };
    expect(
      await verifySignature(request, { getSecret: () => 'sk', now: new Date(date) }),
    ).toMatchObject({ valid: true, scheme: 'oss-v1', location: 'header' });
  });
});

describe('S8 R2 signed names are exact: which query is ambiguous (case table)', () => {
  /** The raw name planFor refuses as ambiguous, or undefined when the request is planned. */
  async function ambiguous(url: string): Promise<string | undefined> {
    const { planFor } = await fresh();
    const plan = planFor({ url }, { now: NOW });
    if (!('valid' in plan)) return undefined;
    const m = /^The query parameter (.*) is ambiguous once decoded; send it unescaped\.$/.exec(
      plan.message,
    );
    if (m === null) throw new Error(`refused for another reason: ${plan.message}`);
    return m[1];
  }
  const v1 = (q: string) => `https://${HOST}/a.jpg?${V1_QUERY}&${q}`;
  const v4 = (q: string) => `https://${HOST}/a.jpg?${V4_QUERY}&${q}`;
  const rows: [string, string, string | undefined][] = [
    ['V1 an escaped signed name', v1('x-oss-%70rocess=style/small'), 'x-oss-%70rocess'],
    [
      'V1 a signed name hiding "="',
      v1('x-oss-process%3Dstyle%2Fsmall'),
      'x-oss-process%3Dstyle%2Fsmall',
    ],
    ['V1 an escaped sub-resource name', v1('%61cl'), '%61cl'],
    [
      'V1 after empty parameters the right name is named',
      v1('&&width=%20&&x-oss-%70rocess=a'),
      'x-oss-%70rocess',
    ],
    ['V1 the first of two ambiguous names', v1('%61cl&x-oss-%70rocess=a'), '%61cl'],
    ['V1 a signed value hiding "&" and a sub-resource', v1('versionId=a%26acl'), 'versionId'],
    ['V1 … hiding it after another "&"', v1('versionId=a%26b%26acl'), 'versionId'],
    ['V1 … right after an empty name', v1('versionId=a%26%26acl'), 'versionId'],
    ['V1 … up to its "="', v1('versionId=a%26acl%3Dx'), 'versionId'],
    [
      'V1 a signed value hiding "&" and an unsigned name is fine',
      v1('versionId=a%26width%3D1'),
      undefined,
    ],
    [
      'V1 a signed value holding a signed name without "&" is fine',
      v1('versionId=xacl&width=%20'),
      undefined,
    ],
    ['V1 an unsigned parameter may hide anything', v1('width=a%26acl'), undefined],
    ['V1 an escaped value of a signed name is fine', v1('x-oss-process=style%2Fsmall'), undefined],
    ['V1 an escape in an unsigned name before a signed one', v1('w%69dth=1&acl'), undefined],
    ['V4 an escaped processing name', v4('x-oss-%70rocess=style%2Fsmall'), 'x-oss-%70rocess'],
    ['V4 … in any letter case', v4('X-OSS-%50ROCESS=a'), 'X-OSS-%50ROCESS'],
    ['V4 … the async one', v4('x-oss-async-%70rocess=a'), 'x-oss-async-%70rocess'],
    [
      'V4 an escaped 13-character name that is no processing name',
      v4('x-oss-meta-%61b=1'),
      undefined,
    ],
    [
      'V4 an escaped 19-character name that is none either',
      v4('x-oss-meta-%61bcdefgh=1'),
      undefined,
    ],
    [
      'V4 a processing value hiding "&" and a sub-resource (V1 rules only)',
      v4('x-oss-process=a%26acl'),
      undefined,
    ],
    ['V4 an escaped signed name that is no processing name', v4('x-oss-%6Deta=1'), undefined],
  ];
  for (const [name, url, refused] of rows) {
    it(`S8 R2 ${name}`, async () => {
      expect(await ambiguous(url)).toBe(refused);
    });
  }

  it('S8 R2 a bucket-root request: an escape after a signed name does not make it ambiguous', async () => {
    expect(await ambiguous(`https://${HOST}/?acl&${V1_QUERY}&width=%20`)).toBeUndefined();
    expect(await ambiguous(`https://${HOST}/?x-oss-%70rocess=a&${V1_QUERY}`)).toBe(
      'x-oss-%70rocess',
    );
  });
});

describe('S8 what else V1 and V4 sign', () => {
  it('S8 a bucket-root request signs "/bucket/" (V1) and "/bucket/" encoded (V4)', async () => {
    const { signed } = await fresh();
    expect(signed({ url: `https://${HOST}/?acl&${V1_QUERY}` }).split('\n')[4]).toBe(
      '/examplebucket/?acl',
    );
    expect(signed({ url: `https://${HOST}/?${V4_QUERY}` }).split('\n')[1]).toBe('/examplebucket/');
  });

  it('S8 V1 header form: a Date header must be an HTTP date; only x-oss-date may be ISO basic', async () => {
    const { planFor } = await fresh();
    const base = { url: `https://${HOST}/a.jpg`, headers: { authorization: 'OSS ak:c2ln' } };
    expect(
      planFor({ ...base, headers: { ...base.headers, date: '20240517T083000Z' } }, { now: NOW }),
    ).toMatchObject({ valid: false, message: 'OSS authentication requires a valid Date.' });
    expect(
      planFor(
        { ...base, headers: { ...base.headers, 'x-oss-date': '20240517T083000Z' } },
        { now: NOW },
      ),
    ).toMatchObject({ signed: expect.stringContaining('\n20240517T083000Z\n') });
  });

  it('S8 the canonical header helpers, as documented', async () => {
    vi.resetModules();
    const [v1, v4] = await Promise.all([
      import('../../src/verify/v1.js'),
      import('../../src/verify/v4.js'),
    ]);
    expect(
      v1.canonicalizedOssHeaders({
        headers: { 'X-OSS-Meta-A': ' 1 ', 'x-oss-date': 'd', host: 'h' },
      }),
    ).toBe('x-oss-date:d\nx-oss-meta-a:1\n');
    expect(
      v4.canonicalHeaders(
        { headers: { 'Content-Type': 'text/plain', 'x-oss-date': 'd', host: 'h' } },
        [],
      ),
    ).toEqual({ ok: true, text: 'content-type:text/plain\nx-oss-date:d\n' });
    expect(v4.canonicalHeaders({ headers: { host: 'h' } }, ['host', 'range'])).toEqual({
      ok: false,
      missing: 'range',
    });
  });
});
