/**
 * Signature detection over the query (SPEC S5, `src/signature/`): which scheme, complete and
 * well-formed or malformed, with OSS's messages; expiry at the second; strict dates and
 * credentials; and the marker lookup on names of every length. Written to kill the mutants the
 * broader suites let through. (The `Authorization` header form is tested with `header.ts`.)
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SignatureInfo } from '../../src/index.js';
import type { Signed } from '../../src/signature/info.js';

// Every test loads `src/` afresh: the scheme tables, date patterns and credential patterns are
// built when their modules load, and a mutant of one is seen only by a test that loads it
// (docs/testing.md, "Hybrid mutants").
type Index = typeof import('../../src/index.js');
let detectSignature: Index['detectSignature'];
let isAnonymous: Index['isAnonymous'];
let credentialKey: typeof import('../../src/signature/credential.js')['credentialKey'];
let integer: typeof import('../../src/signature/credential.js')['integer'];
let parseHttpDate: typeof import('../../src/signature/dates.js')['parseHttpDate'];
let parseIsoBasic: typeof import('../../src/signature/dates.js')['parseIsoBasic'];
let parseRequestTime: typeof import('../../src/signature/dates.js')['parseRequestTime'];
let parsedSignature: typeof import('../../src/signature/info.js')['parsedSignature'];
let isMarker: typeof import('../../src/signature/schemes.js')['isMarker'];
let MARKERS: typeof import('../../src/signature/schemes.js')['MARKERS'];
let SCHEMES: typeof import('../../src/signature/schemes.js')['SCHEMES'];

beforeEach(async () => {
  vi.resetModules();
  ({ detectSignature, isAnonymous } = await import('../../src/index.js'));
  ({ credentialKey, integer } = await import('../../src/signature/credential.js'));
  ({ parseHttpDate, parseIsoBasic, parseRequestTime } = await import(
    '../../src/signature/dates.js'
  ));
  ({ parsedSignature } = await import('../../src/signature/info.js'));
  ({ isMarker, MARKERS, SCHEMES } = await import('../../src/signature/schemes.js'));
});

const HEX = 'ab'.repeat(32);
const CRED = 'ak%2F20261128%2Fcn-hangzhou%2Foss%2Faliyun_v4_request';
const V1 = { OSSAccessKeyId: 'ak', Expires: '2000000000', Signature: 'c2ln%2Bbase64%3D' };
const V2 = {
  'x-oss-signature-version': 'OSS2',
  'x-oss-access-key-id': 'ak',
  'x-oss-expires': '2000000000',
  'x-oss-signature': 'c2ln',
};
const V4 = {
  'x-oss-signature-version': 'OSS4-HMAC-SHA256',
  'x-oss-credential': CRED,
  'x-oss-date': '20261128T000000Z',
  'x-oss-expires': '3600',
  'x-oss-signature': HEX,
};
const AWS2 = { AWSAccessKeyId: 'ak', Expires: '2000000000', Signature: 'c2ln' };
const AWS4 = {
  'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
  'X-Amz-Credential': 'ak%2F20261128%2Fus-east-1%2Fs3%2Faws4_request',
  'X-Amz-Date': '20261128T000000Z',
  'X-Amz-Expires': '3600',
  'X-Amz-SignedHeaders': 'host',
  'X-Amz-Signature': HEX,
};

type Params = Readonly<Record<string, string>>;
const query = (p: Params) =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
const detect = (p: Params | string, now?: Date): SignatureInfo =>
  detectSignature({ url: `/a.jpg?${typeof p === 'string' ? p : query(p)}` }, now ? { now } : {});
const malformedWith = (message: string, scheme?: string) => ({
  kind: 'malformed',
  message,
  scheme,
  location: 'query',
});

describe('S5 query signatures: signed, with AccessKeyId and expiry', () => {
  it('each scheme, its key id and its expiry', () => {
    expect(detect(V1)).toStrictEqual({
      kind: 'signed',
      scheme: 'oss-v1',
      location: 'query',
      accessKeyId: 'ak',
      expires: new Date(2000000000 * 1000),
      expired: false,
    });
    expect(detect(AWS2)).toMatchObject({ scheme: 'aws-v2', accessKeyId: 'ak' });
    expect(detect({ ...AWS2, AWSAccessKeyId: 'aws-id' })).toMatchObject({ accessKeyId: 'aws-id' });
    expect(detect({ ...V1, OSSAccessKeyId: 'oss-id' })).toMatchObject({ accessKeyId: 'oss-id' });
    expect(detect(V2)).toStrictEqual({
      kind: 'signed',
      scheme: 'oss-v2',
      location: 'query',
      accessKeyId: 'ak',
      expires: new Date(2000000000 * 1000),
      expired: false,
    });
    expect(detect(V4)).toStrictEqual({
      kind: 'signed',
      scheme: 'oss-v4',
      location: 'query',
      accessKeyId: 'ak',
      expires: new Date(Date.UTC(2026, 10, 28, 1, 0, 0)),
      expired: false,
    });
    expect(detect(AWS4)).toMatchObject({
      scheme: 'aws-v4',
      accessKeyId: 'ak',
      expires: new Date(Date.UTC(2026, 10, 28, 1, 0, 0)),
    });
  });

  it('expired strictly after its expiry: the last second still counts', () => {
    const at = (ms: number) => new Date(ms);
    const v1 = 2000000000 * 1000;
    expect(detect(V1, at(v1))).toMatchObject({ kind: 'signed', expired: false });
    expect(detect(V1, at(v1 + 1))).toMatchObject({ kind: 'signed', expired: true });
    expect(detect(V2, at(v1 + 1))).toMatchObject({ kind: 'signed', expired: true });
    const v4 = Date.UTC(2026, 10, 28, 1, 0, 0);
    expect(detect(V4, at(v4))).toMatchObject({ expired: false });
    expect(detect(V4, at(v4 + 1))).toMatchObject({ expired: true });
    expect(detect(AWS4, at(v4 + 1))).toMatchObject({ expired: true });
    // Without a time, expiry is not checked.
    expect(detect(V1)).toMatchObject({ expired: false });
    expect(detect({ ...V1, Expires: '0' })).toMatchObject({ kind: 'signed', expired: false });
  });

  it('V4 x-oss-expires 1–604800; AWS X-Amz-Expires 0–604800', () => {
    expect(detect({ ...V4, 'x-oss-expires': '1' })).toMatchObject({ kind: 'signed' });
    expect(detect({ ...V4, 'x-oss-expires': '604800' })).toMatchObject({ kind: 'signed' });
    for (const bad of ['0', '604801', '-1', '1.5', '', '1e3', ' 1']) {
      expect(detect({ ...V4, 'x-oss-expires': bad }), bad).toMatchObject({ kind: 'malformed' });
    }
    expect(detect({ ...V4, 'x-oss-expires': '0' })).toStrictEqual(
      malformedWith('x-oss-expires must be a number of seconds from 1 to 604800.', 'oss-v4'),
    );
    expect(detect({ ...AWS4, 'X-Amz-Expires': '0' })).toMatchObject({ kind: 'signed' });
    expect(detect({ ...AWS4, 'X-Amz-Expires': '604800' })).toMatchObject({ kind: 'signed' });
    expect(detect({ ...AWS4, 'X-Amz-Expires': '604801' })).toStrictEqual(
      malformedWith('X-Amz-Expires must be a number of seconds from 0 to 604800.', 'aws-v4'),
    );
  });
});

describe('S5 malformed query signatures, each with its message', () => {
  it('a parameter given twice', () => {
    expect(detect(`${query(V1)}&Expires=1`)).toStrictEqual(
      malformedWith('The Expires parameter is given more than once.'),
    );
    // An ordinary parameter may repeat.
    expect(detect(`${query(V1)}&v=1&v=2`)).toMatchObject({ kind: 'signed' });
  });

  it('an unsupported x-oss-signature-version', () => {
    expect(detect({ ...V2, 'x-oss-signature-version': 'OSS3' })).toStrictEqual(
      malformedWith('Unsupported x-oss-signature-version "OSS3".'),
    );
    expect(detect({ 'x-oss-signature-version': '' })).toStrictEqual(
      malformedWith('Unsupported x-oss-signature-version "".'),
    );
  });

  it('only shared parameters: the message of the first scheme that has them', () => {
    expect(detect('Signature=x')).toStrictEqual(malformedWith(SCHEMES['oss-v1'].missing));
    expect(detect('Expires=1')).toStrictEqual(malformedWith(SCHEMES['oss-v1'].missing));
    expect(detect('x-oss-signature=x')).toStrictEqual(malformedWith(SCHEMES['oss-v2'].missing));
    expect(detect('x-oss-expires=1&x-oss-signature=x')).toStrictEqual(
      malformedWith(SCHEMES['oss-v2'].missing),
    );
    expect(SCHEMES['oss-v1'].missing).toBe(
      'Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters',
    );
  });

  it('several schemes named at once', () => {
    expect(detect(`${query(V1)}&AWSAccessKeyId=ak`)).toStrictEqual(
      malformedWith('The query mixes signature parameters of several schemes (oss-v1, aws-v2).'),
    );
    expect(detect({ ...V2, 'x-oss-credential': CRED })).toStrictEqual(
      malformedWith('The query mixes signature parameters of several schemes (oss-v2, oss-v4).'),
    );
  });

  it('a parameter of another scheme', () => {
    expect(detect({ ...V1, 'x-oss-expires': '60' })).toStrictEqual(
      malformedWith(
        'The x-oss-expires parameter does not belong to oss-v1 query authentication.',
        'oss-v1',
      ),
    );
    expect(detect({ ...V4, 'x-oss-access-key-id': 'ak' })).toMatchObject({ kind: 'malformed' });
  });

  it('a required parameter missing or empty', () => {
    for (const [scheme, params] of [
      ['oss-v1', V1],
      ['oss-v2', V2],
      ['oss-v4', V4],
      ['aws-v2', AWS2],
      ['aws-v4', AWS4],
    ] as const) {
      for (const name of SCHEMES[scheme].required) {
        if (name === 'x-oss-signature-version') continue;
        const empty = { ...params, [name]: '' };
        const missing = Object.fromEntries(Object.entries(params).filter(([k]) => k !== name));
        for (const p of [empty, missing]) {
          const info = detect(p);
          expect(info.kind, `${scheme} ${name}`).toBe('malformed');
        }
        expect(detect(empty), `${scheme} ${name} empty`).toStrictEqual(
          malformedWith(SCHEMES[scheme].missing, scheme),
        );
      }
    }
  });

  it('V1/V2 expiry that is not a Unix time; a V1 signature that is not Base64', () => {
    expect(detect({ ...V1, Expires: 'soon' })).toStrictEqual(
      malformedWith('Expires must be a Unix time in seconds, not "soon".', 'oss-v1'),
    );
    expect(detect({ ...V2, 'x-oss-expires': '-5' })).toStrictEqual(
      malformedWith('x-oss-expires must be a Unix time in seconds, not "-5".', 'oss-v2'),
    );
    expect(detect({ ...V1, Signature: 'not*base64' })).toStrictEqual(
      malformedWith('Signature is not Base64.', 'oss-v1'),
    );
    expect(detect({ ...AWS2, Signature: 'a%3D%3D%3D' })).toStrictEqual(
      malformedWith('Signature is not Base64.', 'aws-v2'),
    );
    for (const sig of ['c2ln', 'a%2Bb%2F', 'YQ%3D%3D', 'YWI%3D']) {
      expect(detect({ ...V1, Signature: sig }), sig).toMatchObject({ kind: 'signed' });
    }
    for (const sig of ['%3Dabc', 'ab%3Dc', 'a-b', 'a_b']) {
      expect(detect({ ...V1, Signature: sig }), sig).toMatchObject({ kind: 'malformed' });
    }
  });

  it('V4: credential, date and signature each checked, with their messages', () => {
    expect(
      detect({ ...V4, 'x-oss-credential': 'ak%2F20261128%2Fcn-hangzhou%2Fs3%2Faliyun_v4_request' }),
    ).toStrictEqual(
      malformedWith(
        'x-oss-credential must be AccessKeyId/yyyymmdd/region/oss/aliyun_v4_request.',
        'oss-v4',
      ),
    );
    expect(
      detect({ ...AWS4, 'X-Amz-Credential': 'ak%2F20261128%2Fus-east-1%2Fs3%2Faliyun_v4_request' }),
    ).toStrictEqual(
      malformedWith(
        'X-Amz-Credential must be AccessKeyId/yyyymmdd/region/service/aws4_request.',
        'aws-v4',
      ),
    );
    expect(detect({ ...V4, 'x-oss-date': '20240230T120000Z' })).toStrictEqual(
      malformedWith('x-oss-date must be yyyymmddTHHMMSSZ, not "20240230T120000Z".', 'oss-v4'),
    );
    expect(detect({ ...V4, 'x-oss-signature': HEX.slice(1) })).toStrictEqual(
      malformedWith('x-oss-signature must be 64 hexadecimal digits.', 'oss-v4'),
    );
    expect(detect({ ...V4, 'x-oss-signature': `${HEX}0` })).toMatchObject({ kind: 'malformed' });
    expect(detect({ ...V4, 'x-oss-signature': HEX.toUpperCase() })).toMatchObject({
      kind: 'signed',
    });
    expect(detect({ ...AWS4, 'X-Amz-Algorithm': 'AWS4-HMAC-SHA1' })).toStrictEqual(
      malformedWith('X-Amz-Algorithm must be AWS4-HMAC-SHA256.', 'aws-v4'),
    );
    // AWS credentials name any service; OSS ones only oss.
    expect(
      detect({
        ...AWS4,
        'X-Amz-Credential': 'ak%2F20261128%2Fus-east-1%2Fexecute-api%2Faws4_request',
      }),
    ).toMatchObject({ kind: 'signed' });
    expect(
      detect({ ...AWS4, 'X-Amz-Credential': 'ak%2F20261128%2Fus-east-1%2F%2Faws4_request' }),
    ).toMatchObject({ kind: 'malformed' });
  });

  it('a security token alone is not a signature', () => {
    expect(isAnonymous({ url: '/a.jpg?security-token=t&x-oss-security-token=t' })).toBe(true);
    expect(isAnonymous({ url: '/a.jpg?x-oss-additional-headers=host' })).toBe(false);
  });
});

describe('S5 OSS messages for a missing query parameter, as OSS words them', () => {
  it('each scheme', () => {
    const missing = (p: string) => detect(p) as { message?: string };
    expect(missing('OSSAccessKeyId=ak').message).toBe(
      'Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters',
    );
    expect(missing('AWSAccessKeyId=ak').message).toBe(
      'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters',
    );
    expect(missing('x-oss-access-key-id=ak').message).toBe(
      'Query-string authentication version 2 requires the x-oss-signature-version, x-oss-access-key-id, x-oss-expires and x-oss-signature parameters',
    );
    expect(missing(`x-oss-credential=${CRED}`).message).toBe(
      'Query-string authentication version 4 requires the x-oss-signature-version, x-oss-credential, x-oss-date, x-oss-expires and x-oss-signature parameters',
    );
    expect(missing('X-Amz-Signature=x').message).toBe(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters',
    );
  });
});

describe('S5 detection keeps what it read for verification', () => {
  const parsed = (p: Params) => {
    const info = detect(p);
    expect(info.kind).toBe('signed');
    return parsedSignature(info as Signed);
  };
  it('V1 and V2: the signature, decoded', () => {
    expect(parsed(V1)).toEqual({
      signature: 'c2ln+base64=',
      credential: undefined,
      additionalHeaders: undefined,
      date: undefined,
      dateMs: undefined,
    });
    expect(parsed(V2)?.signature).toBe('c2ln');
    expect(parsed(AWS2)?.signature).toBe('c2ln');
  });
  it('V4: the signature, credential, date and additional headers', () => {
    expect(parsed({ ...V4, 'x-oss-additional-headers': 'host' })).toMatchObject({
      signature: HEX,
      credential: 'ak/20261128/cn-hangzhou/oss/aliyun_v4_request',
      additionalHeaders: 'host',
      date: '20261128T000000Z',
      dateMs: Date.UTC(2026, 10, 28),
    });
    expect(parsed(V4)?.additionalHeaders).toBeUndefined();
    expect(parsed(AWS4)).toMatchObject({
      signature: HEX,
      credential: 'ak/20261128/us-east-1/s3/aws4_request',
      additionalHeaders: undefined,
      date: '20261128T000000Z',
    });
  });
});

describe('S5 detection never throws and reads what it can', () => {
  it('a target that cannot be located still has its headers read', () => {
    expect(detectSignature({ url: 'not a target' })).toEqual({ kind: 'anonymous' });
    expect(
      detectSignature({ url: 'not a target', headers: { authorization: 'OSS ak:c2ln' } }),
    ).toMatchObject({ kind: 'signed', scheme: 'oss-v1', location: 'header' });
  });

  it('a query that does not decode is malformed', () => {
    expect(detectSignature({ url: '/a.jpg?x=%zz' })).toStrictEqual({
      kind: 'malformed',
      scheme: undefined,
      location: undefined,
      message: 'The request URI could not be parsed.',
    });
  });

  it('headers that throw when read', () => {
    const headers = {
      get authorization(): string {
        throw new Error('boom');
      },
    };
    expect(detectSignature({ url: '/a.jpg', headers } as never)).toStrictEqual({
      kind: 'malformed',
      scheme: undefined,
      location: undefined,
      message: 'The request could not be read.',
    });
    expect(isAnonymous({ url: '/a.jpg', headers } as never)).toBe(false);
  });

  it('two Authorization headers: malformed, in the header', () => {
    expect(
      detectSignature({
        url: '/a.jpg',
        headers: [
          ['authorization', 'OSS a:c2ln'],
          ['authorization', 'OSS a:c2ln'],
        ],
      }),
    ).toStrictEqual({
      kind: 'malformed',
      scheme: undefined,
      location: 'header',
      message: 'The request has more than one Authorization header.',
    });
  });

  it('a header signature has no expiry, whatever the time', () => {
    expect(
      detectSignature(
        { url: '/a.jpg', headers: { authorization: 'OSS ak:c2ln' } },
        { now: new Date(Date.UTC(2030, 0, 1)) },
      ),
    ).toStrictEqual({
      kind: 'signed',
      scheme: 'oss-v1',
      location: 'header',
      accessKeyId: 'ak',
      expires: undefined,
      expired: false,
    });
  });
});

describe('S5 credentials: ak/yyyymmdd/region/service/terminator', () => {
  it('every part present and in its form', () => {
    expect(
      credentialKey('ak/20261128/cn-hangzhou/oss/aliyun_v4_request', 'oss', 'aliyun_v4_request'),
    ).toBe('ak');
    for (const bad of [
      '/20261128/cn-hangzhou/oss/aliyun_v4_request',
      'ak/2026112/cn-hangzhou/oss/aliyun_v4_request',
      'ak/202611280/cn-hangzhou/oss/aliyun_v4_request',
      'ak/2026112x/cn-hangzhou/oss/aliyun_v4_request',
      'ak/20261128//oss/aliyun_v4_request',
      'ak/20261128/cn-hangzhou/s3/aliyun_v4_request',
      'ak/20261128/cn-hangzhou/oss/aws4_request',
      'ak/20261128/cn-hangzhou/oss/aliyun_v4_request/x',
      'ak/20261128/cn-hangzhou/oss',
    ]) {
      expect(credentialKey(bad, 'oss', 'aliyun_v4_request'), bad).toBeUndefined();
    }
    expect(credentialKey('ak/20261128/us-east-1/s3/aws4_request', undefined, 'aws4_request')).toBe(
      'ak',
    );
    expect(
      credentialKey('ak/20261128/us-east-1//aws4_request', undefined, 'aws4_request'),
    ).toBeUndefined();
  });

  it('integers: 1–15 decimal digits within the bounds', () => {
    expect(integer('0', 0, 10)).toBe(0);
    expect(integer('10', 0, 10)).toBe(10);
    expect(integer('11', 0, 10)).toBeUndefined();
    expect(integer('0', 1, 10)).toBeUndefined();
    expect(integer('1', 1, 10)).toBe(1);
    expect(integer('999999999999999', 0, Number.MAX_SAFE_INTEGER)).toBe(999999999999999);
    expect(integer('1000000000000000', 0, Number.MAX_SAFE_INTEGER)).toBeUndefined();
    for (const bad of [undefined, '', ' 1', '1 ', '+1', '-1', '1.0', '0x1', '１']) {
      expect(integer(bad, 0, 100), String(bad)).toBeUndefined();
    }
  });
});

describe('S5 strict request times', () => {
  it('yyyymmddTHHMMSSZ names a real UTC time or nothing', () => {
    expect(parseIsoBasic('20231216T162057Z')).toBe(1702743657000);
    expect(parseIsoBasic('20240229T235959Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
    for (const bad of [
      '20240230T120000Z',
      '20230229T120000Z',
      '20241301T000000Z',
      '20240001T000000Z',
      '20240100T000000Z',
      '20240101T240000Z',
      '20240101T250000Z',
      '20240101T006000Z',
      '20240101T000060Z',
      '20240101T000000',
      '2024-01-01T00:00:00Z',
      ' 20240101T000000Z',
      '20240101T000000Z ',
      '20240101t000000z',
    ]) {
      expect(parseIsoBasic(bad), bad).toBeUndefined();
    }
    expect(parseIsoBasic('20240101T235959Z')).toBe(Date.UTC(2024, 0, 1, 23, 59, 59));
  });

  it('years below 100 are refused (Date.UTC would read them as 19xx), year 100 is a year', () => {
    expect(parseIsoBasic('00500615T120000Z')).toBeUndefined();
    expect(parseIsoBasic('00990615T120000Z')).toBeUndefined();
    expect(parseHttpDate('Tue, 15 Jun 0050 12:00:00 GMT')).toBeUndefined();
    const t = parseIsoBasic('01000615T120000Z');
    expect(t === undefined ? undefined : new Date(t).getUTCFullYear()).toBe(100);
  });

  it('HTTP dates: IMF-fixdate only, a real time, every month', () => {
    const months = [
      'Jan',
      'Feb',
      'Mar',
      'Apr',
      'May',
      'Jun',
      'Jul',
      'Aug',
      'Sep',
      'Oct',
      'Nov',
      'Dec',
    ];
    months.forEach((m, i) => {
      const d = new Date(Date.UTC(2022, i, 28, 10, 27, 41));
      expect(parseHttpDate(d.toUTCString()), m).toBe(d.getTime());
    });
    expect(parseHttpDate('Wed, 28 Dec 2022 23:59:59 GMT')).toBe(Date.UTC(2022, 11, 28, 23, 59, 59));
    for (const bad of [
      'Wed, 28 Dec 2022 10:60:00 GMT',
      'Wed, 28 Dec 2022 10:00:60 GMT',
      'Wed, 30 Feb 2022 10:00:00 GMT',
      'Wed, 28 Dek 2022 10:00:00 GMT',
      'Wed, 28 Dec 2022 10:00:00 GMT ',
      ' Wed, 28 Dec 2022 10:00:00 GMT',
      'Wed, 8 Dec 2022 10:00:00 GMT',
    ]) {
      expect(parseHttpDate(bad), bad).toBeUndefined();
    }
  });

  it('a V1 date header: an HTTP date, and yyyymmddTHHMMSSZ only where allowed', () => {
    expect(parseRequestTime('Wed, 28 Dec 2022 10:27:41 GMT', false)).toBe(1672223261000);
    expect(parseRequestTime('20221228T102741Z', true)).toBe(1672223261000);
    expect(parseRequestTime('20221228T102741Z', false)).toBeUndefined();
    expect(parseRequestTime('yesterday', true)).toBeUndefined();
  });
});

describe('S5 marker names: exact, case-sensitive, of every length', () => {
  it('every marker is one, and nothing else is', () => {
    for (const name of MARKERS.keys()) {
      expect(isMarker(name), name).toBe(true);
      expect(isMarker(name.toUpperCase() === name ? name.toLowerCase() : name.toUpperCase())).toBe(
        false,
      );
      expect(isMarker(`${name}x`), `${name}x`).toBe(false);
      expect(isMarker(name.slice(1)), name.slice(1)).toBe(false);
    }
    for (let n = 0; n < 80; n++) expect(isMarker('x'.repeat(n)), String(n)).toBe(false);
    expect(isMarker('security-token')).toBe(false);
  });

  it('the longest markers are found, and a longer name is an ordinary parameter', () => {
    const longest = Math.max(...[...MARKERS.keys()].map((k) => k.length));
    const names = [...MARKERS.keys()].filter((k) => k.length === longest);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      expect(isMarker(name)).toBe(true);
      expect(isAnonymous({ url: `/a.jpg?${name}=x` }), name).toBe(false);
    }
    expect(isAnonymous({ url: `/a.jpg?${'x-oss-additional-headers'}-and-more=1` })).toBe(true);
  });

  it('MARKERS lists the schemes a parameter belongs to, in scheme order', () => {
    expect(MARKERS.get('Signature')).toEqual(['oss-v1', 'aws-v2']);
    expect(MARKERS.get('Expires')).toEqual(['oss-v1', 'aws-v2']);
    expect(MARKERS.get('x-oss-expires')).toEqual(['oss-v2', 'oss-v4']);
    expect(MARKERS.get('x-oss-additional-headers')).toEqual(['oss-v2', 'oss-v4']);
    expect(MARKERS.get('OSSAccessKeyId')).toEqual(['oss-v1']);
    expect(MARKERS.get('X-Amz-SignedHeaders')).toEqual(['aws-v4']);
    expect(MARKERS.size).toBe(17);
  });
});
