/**
 * Host → endpoint, region and bucket (SPEC S4, `src/request/host.ts`): the OSS host forms in any
 * letter case, with a port, user info or a trailing dot; region endpoints (path-style, refused);
 * custom domains mapped by the caller, case-insensitively, or given the fallback bucket; and the
 * last-host cache never leaking one request's options into another's. Written to kill the mutants
 * the broader suites let through.
 */
import { describe, expect, it, vi } from 'vitest';
import { definePolicy, evaluate, parseRequestUrl, type UrlOptions } from '../../src/index.js';

const where = (target: string, options?: UrlOptions) => {
  const p = parseRequestUrl(target, undefined, options);
  return p.ok ? [p.endpoint, p.region, p.bucket, p.host] : [p.status, p.code];
};

describe('S4 OSS host forms', () => {
  const forms: [string, unknown[]][] = [
    ['examplebucket.oss-cn-hangzhou.aliyuncs.com', ['public', 'cn-hangzhou', 'examplebucket']],
    ['examplebucket.oss-us-west-1.aliyuncs.com', ['public', 'us-west-1', 'examplebucket']],
    [
      'examplebucket.oss-cn-hangzhou-internal.aliyuncs.com',
      ['internal', 'cn-hangzhou', 'examplebucket'],
    ],
    ['examplebucket.cn-hangzhou.oss.aliyuncs.com', ['dual-stack', 'cn-hangzhou', 'examplebucket']],
    ['examplebucket.oss-accelerate.aliyuncs.com', ['acceleration', undefined, 'examplebucket']],
    [
      'examplebucket.oss-accelerate-overseas.aliyuncs.com',
      ['acceleration', undefined, 'examplebucket'],
    ],
  ];

  for (const [host, want] of forms) {
    it(host, () => {
      expect(where(`https://${host}/a.jpg`)).toEqual([...want, host]);
      // Any letter case, a port, user info, a trailing dot: the same host.
      for (const variant of [
        host.toUpperCase(),
        `${host}:8443`,
        `user:pw@${host}`,
        `${host}.`,
        `${host}.:80`,
      ]) {
        expect(where(`https://${variant}/a.jpg`), variant).toEqual([...want, host]);
      }
      // As the Host header of an origin-form target, too.
      expect(where('/a.jpg', { host: host.toUpperCase() })).toEqual([...want, host]);
    });
  }

  it('region endpoints name no bucket: path-style reads are refused, the root is not', () => {
    for (const host of [
      'oss-cn-hangzhou.aliyuncs.com',
      'oss-cn-hangzhou-internal.aliyuncs.com',
      'cn-hangzhou.oss.aliyuncs.com',
    ]) {
      expect(where(`https://${host}/examplebucket/a.jpg`), host).toEqual([
        403,
        'SecondLevelDomainForbidden',
      ]);
      const root = parseRequestUrl(`https://${host}/`);
      expect(root.ok && [root.endpoint, root.bucket, root.key], host).toEqual([
        'region',
        undefined,
        undefined,
      ]);
    }
    const region = parseRequestUrl('https://oss-cn-hangzhou.aliyuncs.com/');
    expect(region.ok && region.region).toBe('cn-hangzhou');
    const dual = parseRequestUrl('https://cn-hangzhou.oss.aliyuncs.com/');
    expect(dual.ok && dual.region).toBe('cn-hangzhou');
  });

  it('the number and place of the labels decide the form', () => {
    // A bucket may be named like a region label; the label count tells them apart.
    expect(where('https://oss-images.oss-cn-hangzhou.aliyuncs.com/a.jpg').slice(0, 3)).toEqual([
      'public',
      'cn-hangzhou',
      'oss-images',
    ]);
    expect(
      where('https://examplebucket.oss-cn-hangzhou.oss.aliyuncs.com/a.jpg').slice(0, 3),
    ).toEqual(['dual-stack', 'oss-cn-hangzhou', 'examplebucket']);
    expect(
      where('https://examplebucket.img-cn-hangzhou.oss.aliyuncs.com/a.jpg').slice(0, 3),
    ).toEqual(['dual-stack', 'img-cn-hangzhou', 'examplebucket']);
    expect(where('https://abc.oss.oss.aliyuncs.com/a.jpg').slice(0, 3)).toEqual([
      'dual-stack',
      'oss',
      'abc',
    ]);
    expect(where('https://examplebucket.img-cn-hangzhou.aliyuncs.com/a.jpg').slice(0, 3)).toEqual([
      'img',
      'cn-hangzhou',
      'examplebucket',
    ]);
    expect(where('https://www.examplebucket.oss.cn-hangzhou.aliyuncs.com/a.jpg')[0]).toBe(
      'custom-domain',
    );
  });

  it('anything else under aliyuncs.com is a custom domain', () => {
    for (const host of [
      'aliyuncs.com',
      'x.aliyuncs.com',
      'examplebucket.ecs-cn-hangzhou.aliyuncs.com',
      'a.b.examplebucket.oss-cn-hangzhou.aliyuncs.com',
      'examplebucket.cn-hangzhou.xss.aliyuncs.com',
      'a.examplebucket.cn-hangzhou.oss.aliyuncs.com',
      'examplebucket.oss-cn-hangzhou.aliyuncs.com.evil.example',
      'examplebucket.oss-cn-hangzhou.aliyuncs.co',
      'examplebucketoss-cn-hangzhou.aliyuncs.com',
    ]) {
      expect(where(`https://${host}/a.jpg`)[0], host).toBe('custom-domain');
    }
  });

  it('an OSS host whose bucket label is not a bucket name is 400 InvalidBucketName', () => {
    for (const host of [
      'ex.oss-cn-hangzhou.aliyuncs.com',
      'Ex_ample.oss-cn-hangzhou.aliyuncs.com',
      '-example.cn-hangzhou.oss.aliyuncs.com',
      'example-.oss-accelerate.aliyuncs.com',
      'ex.oss-cn-hangzhou-internal.aliyuncs.com',
    ]) {
      expect(where(`https://${host}/a.jpg`), host).toEqual([400, 'InvalidBucketName']);
    }
  });

  it('IPv6 literals keep their colons; the port after them is dropped', () => {
    expect(where('https://[::1]:8080/a.jpg')).toEqual([
      'custom-domain',
      undefined,
      undefined,
      '[::1]',
    ]);
    expect(where('https://[::1]/a.jpg', { bucket: 'b1' })).toEqual([
      'custom-domain',
      undefined,
      'b1',
      '[::1]',
    ]);
    expect(where('https://[::1/a.jpg')[3]).toBe('[::1');
  });
});

describe('S4 custom domains: the caller maps hosts to buckets', () => {
  const map = { 'img.example.com': 'mapped', 'CDN.Example.com': 'cdn' };

  it('a record, looked up case-insensitively and without the port', () => {
    expect(where('https://img.example.com/a.jpg', { buckets: map })[2]).toBe('mapped');
    expect(where('https://IMG.example.com:8080/a.jpg', { buckets: map })[2]).toBe('mapped');
    expect(where('https://cdn.example.com/a.jpg', { buckets: map })[2]).toBe('cdn');
    expect(where('https://other.example.com/a.jpg', { buckets: map })[2]).toBeUndefined();
    expect(where('https://other.example.com/a.jpg', { buckets: map, bucket: 'fb' })[2]).toBe('fb');
    expect(where('https://img.example.com/a.jpg', { buckets: map, bucket: 'fb' })[2]).toBe(
      'mapped',
    );
  });

  it('a Map, looked up the same way', () => {
    const m = new Map([
      ['Img.Example.com', 'mapped'],
      ['cdn.example.com', 'cdn'],
    ]);
    expect(where('https://img.example.com/a.jpg', { buckets: m })[2]).toBe('mapped');
    expect(where('https://cdn.example.com/a.jpg', { buckets: m })[2]).toBe('cdn');
    expect(where('https://x.example.com/a.jpg', { buckets: m })[2]).toBeUndefined();
    expect(where('https://x.example.com/a.jpg', { buckets: m, bucket: 'fb' })[2]).toBe('fb');
  });

  it('odd option shapes from JavaScript are ignored, never thrown on', () => {
    const url = 'https://img.example.com/a.jpg';
    for (const options of [
      null,
      { buckets: null },
      { buckets: 'img.example.com' },
      { bucket: 42 },
    ]) {
      expect(where(url, options as unknown as UrlOptions), JSON.stringify(options)).toEqual([
        'custom-domain',
        undefined,
        undefined,
        'img.example.com',
      ]);
    }
    expect(where('/a.jpg', { bucket: 42 } as unknown as UrlOptions)[2]).toBeUndefined();
    const m = new Map<unknown, string>([
      [7, 'number'],
      ['img.example.com', 'mapped'],
    ]);
    expect(where(url, { buckets: m as Map<string, string> })[2]).toBe('mapped');
    expect(
      where(url, { buckets: { 'IMG.EXAMPLE.COM': 'upper', 'img.example.com': 'exact' } })[2],
    ).toBe('exact');
  });

  it('inherited keys of the record are not hosts', () => {
    const map = Object.create({ 'img.example.com': 'inherited' }) as Record<string, string>;
    expect(where('https://img.example.com/a.jpg', { buckets: map })[2]).toBeUndefined();
  });

  it('an OSS host keeps its own bucket whatever the options say', () => {
    const host = 'examplebucket.oss-cn-hangzhou.aliyuncs.com';
    expect(where(`https://${host}/a.jpg`, { buckets: { [host]: 'other' }, bucket: 'fb' })[2]).toBe(
      'examplebucket',
    );
  });

  it('no host at all: the fallback bucket, else none', () => {
    expect(where('/a.jpg')).toEqual(['none', undefined, undefined, undefined]);
    expect(where('/a.jpg', { bucket: 'fb' })).toEqual(['none', undefined, 'fb', undefined]);
    expect(where('/a.jpg', { host: '' })).toEqual(['none', undefined, undefined, undefined]);
  });

  it('the Host header is used only for a target without a host', () => {
    expect(
      where('https://img.example.com/a.jpg', {
        host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com',
      })[0],
    ).toBe('custom-domain');
    const policy = definePolicy({ rules: [{ prefix: 'a' }] });
    expect(
      evaluate(
        { url: '/a.jpg', headers: { host: 'EXAMPLEBUCKET.oss-cn-hangzhou.aliyuncs.com' } },
        policy,
      ),
    ).toMatchObject({
      bucket: 'examplebucket',
      host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com',
    });
  });
});

describe('S4 classifications are remembered, options never are', () => {
  it('an absolute target with an empty authority names no host, even as the first target read', async () => {
    vi.resetModules();
    const fresh = await import('../../src/index.js');
    const first = fresh.parseRequestUrl('https:///a.jpg');
    expect(first.ok && [first.endpoint, first.host, first.bucket, first.key]).toEqual([
      'none',
      undefined,
      undefined,
      'a.jpg',
    ]);
    const again = fresh.parseRequestUrl('https:///a.jpg');
    expect(again.ok && again.endpoint).toBe('none');
  });

  it('the same host with other options, alternately', () => {
    const url = 'https://img.example.com/a.jpg';
    for (let i = 0; i < 3; i++) {
      expect(where(url, { buckets: { 'img.example.com': 'one' } })[2]).toBe('one');
      expect(where(url)[2]).toBeUndefined();
      expect(where(url, { bucket: 'two' })[2]).toBe('two');
      expect(where('/a.jpg', { host: 'img.example.com', bucket: 'three' })[2]).toBe('three');
      expect(where('/a.jpg', { host: 'img.example.com' })[2]).toBeUndefined();
    }
  });

  it('two hosts alternately, and more hosts than the cache holds', () => {
    const a = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com/a.jpg';
    const b = 'https://other-bucket.oss-cn-beijing.aliyuncs.com/a.jpg';
    for (let i = 0; i < 3; i++) {
      expect(where(a).slice(1, 3)).toEqual(['cn-hangzhou', 'examplebucket']);
      expect(where(b).slice(1, 3)).toEqual(['cn-beijing', 'other-bucket']);
    }
    for (let i = 0; i < 1200; i++) {
      const bucket = `bucket-${i}`;
      expect(where('/a.jpg', { host: `${bucket}.oss-cn-hangzhou.aliyuncs.com` })[2]).toBe(bucket);
    }
    for (let i = 0; i < 1200; i += 97) {
      const bucket = `bucket-${i}`;
      expect(where('/a.jpg', { host: `${bucket}.oss-cn-hangzhou.aliyuncs.com` })[2]).toBe(bucket);
      expect(where(`https://${bucket}.oss-cn-hangzhou.aliyuncs.com/a.jpg`)[2]).toBe(bucket);
    }
  });
});
