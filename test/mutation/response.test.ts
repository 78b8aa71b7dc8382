/**
 * OSS's error response (SPEC S6, `src/decision/response.ts`) at its edges: exactly which
 * characters XML cannot carry, the request id on runtimes with and without Web Crypto, and where
 * the method and host of the response come from. Written to kill the mutants the broader suites
 * let through.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Denial, definePolicy, errorResponse, evaluate, xmlEscape } from '../../src/index.js';

const H = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';
const policy = definePolicy({ rules: [{ prefix: 'image/' }] });

function deny(url: string, method = 'GET', headers?: Record<string, string>): Denial {
  const d = evaluate(headers ? { url, method, headers } : { url, method }, policy);
  if (d.allow) throw new Error(`expected a denial for ${url}`);
  return d;
}

/** XML 1.0's Char production, one UTF-16 code unit at a time, the plain way. */
function referenceEscape(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i] + (text[i + 1] as string);
        i++;
      } else out += '\ufffd';
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) out += '\ufffd';
    else if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff)
      out += '\ufffd';
    else if (c === 0x26) out += '&amp;';
    else if (c === 0x3c) out += '&lt;';
    else if (c === 0x3e) out += '&gt;';
    else if (c === 0x22) out += '&quot;';
    else if (c === 0x27) out += '&apos;';
    else out += text[i];
  }
  return out;
}

describe('S6 xmlEscape: every value is XML-escaped, and what XML cannot hold is replaced', () => {
  it('agrees with XML 1.0 on every control character and the five specials', () => {
    for (let c = 0; c < 0x80; c++) {
      const s = `a${String.fromCharCode(c)}b`;
      expect(xmlEscape(s), `U+${c.toString(16)}`).toBe(referenceEscape(s));
    }
    expect(xmlEscape('\t\n\r')).toBe('\t\n\r');
    expect(xmlEscape('\u000b\u000c\u000e\u001f\u0000\u0008')).toBe('\ufffd'.repeat(6));
    expect(xmlEscape(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&apos;');
  });

  it('keeps surrogate pairs and the last characters below U+FFFE, replaces U+FFFE, U+FFFF and lone surrogates', () => {
    const cases = [
      '\ud83d\ude00',
      '\ud800\udc00',
      '\udbff\udfff',
      '\ufffd\ufffc\ue000\ud7ff',
      '\ufffe',
      '\uffff',
      'x\ud800',
      '\ud800x',
      '\udbffx',
      '\udc00',
      'x\udfff',
      '\udc00\ud800',
      '\ud800\ud800\udc00',
      '\ud83d\ude00\ude00',
    ];
    for (const s of cases) expect(xmlEscape(s), JSON.stringify(s)).toBe(referenceEscape(s));
    expect(xmlEscape('\ud83d\ude00')).toBe('\ud83d\ude00');
    expect(xmlEscape('\ud800\ud800\udc00')).toBe('\ufffd\ud800\udc00');
  });

  it('agrees with the reference on mixed text', () => {
    const text = 'k\u0001<\ud800>&\udc00"\ufffe\'\t😀\u007f\u0085';
    expect(xmlEscape(text)).toBe(referenceEscape(text));
  });
});

describe('S6 errorResponse: request id', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('is 24 upper-case hex digits from Web Crypto, two per byte', () => {
    vi.stubGlobal('crypto', {
      getRandomValues(a: Uint8Array) {
        for (let i = 0; i < a.length; i++) a[i] = i * 17;
        return a;
      },
    });
    const r = errorResponse(deny(`${H}/image/a.jpg`));
    expect(r.headers['x-oss-request-id']).toBe('00112233445566778899AABB');
    expect(r.body).toContain('<RequestId>00112233445566778899AABB</RequestId>');
  });

  it('falls back to Math.random where there is no Web Crypto', () => {
    vi.stubGlobal('crypto', undefined);
    const values = [0, 0.999, 0.5, 0.0625];
    let n = 0;
    vi.spyOn(Math, 'random').mockImplementation(() => values[n++ % values.length] as number);
    const r = errorResponse(deny(`${H}/image/a.jpg`));
    expect(r.headers['x-oss-request-id']).toBe('00FF801000FF801000FF8010');
    expect(n).toBe(12);
  });

  it('falls back too when crypto has no getRandomValues', () => {
    vi.stubGlobal('crypto', {});
    vi.spyOn(Math, 'random').mockReturnValue(0.1);
    expect(errorResponse(deny(`${H}/image/a.jpg`)).headers['x-oss-request-id']).toBe(
      '19'.repeat(12),
    );
  });
});

describe('S6 errorResponse: method, host and EC', () => {
  it('the options method wins over the decision method, in any letter case', () => {
    const head = deny(`${H}/image/a.jpg`, 'HEAD');
    expect(errorResponse(head, { requestId: 'R', method: 'GET' }).body).toContain(
      '<Code>AccessDenied</Code>',
    );
    expect(errorResponse(head, { requestId: 'R' }).body).toBe('');
    expect(errorResponse(deny(`${H}/image/a.jpg`), { method: 'hEaD' }).body).toBe('');
  });

  it('HostId is the request host, else empty; the option wins', () => {
    expect(errorResponse(deny('/image/a.jpg'), { requestId: 'R' }).body).toContain(
      '  <HostId></HostId>\n',
    );
    expect(
      errorResponse(deny('/image/a.jpg', 'GET', { host: 'Img.Example.COM' }), { requestId: 'R' })
        .body,
    ).toContain('  <HostId>img.example.com</HostId>\n');
    expect(
      errorResponse(deny(`${H}/image/a.jpg`), { requestId: 'R', hostId: 'other' }).body,
    ).toContain('  <HostId>other</HostId>\n');
  });

  it('the whole document of a denial without an EC: no x-oss-ec, no <EC>', () => {
    const r = errorResponse(deny(`${H}/image/a.jpg`), { requestId: 'RID' });
    expect(r).toStrictEqual({
      status: 403,
      headers: { 'content-type': 'application/xml', 'x-oss-request-id': 'RID' },
      body:
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n' +
        '  <Code>AccessDenied</Code>\n' +
        '  <Message>Forbidden access to the original image.</Message>\n' +
        '  <RequestId>RID</RequestId>\n' +
        '  <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>\n' +
        '</Error>\n',
    });
  });

  it('the whole document of a denial with an EC, and a 400 keeps its status', () => {
    const r = errorResponse(deny(`${H}/image/a.jpg?x-oss-process=image/resize,w_9`), {
      requestId: 'RID',
    });
    expect(r.headers).toStrictEqual({
      'content-type': 'application/xml',
      'x-oss-request-id': 'RID',
      'x-oss-ec': '0040-00000031',
    });
    expect(r.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n' +
        '  <Code>AccessDenied</Code>\n' +
        '  <Message>The channel can be only accessed using style.</Message>\n' +
        '  <RequestId>RID</RequestId>\n' +
        '  <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>\n' +
        '  <EC>0040-00000031</EC>\n' +
        '</Error>\n',
    );
    const bad = errorResponse(deny(`${H}/image/%ZZ.jpg`), { requestId: 'R' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('<Code>InvalidURI</Code>');
  });
});
