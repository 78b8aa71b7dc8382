/**
 * User info before the host (SPEC S4 "Host → bucket", `src/request/host.ts`): whatever stands
 * before the last `@` of the authority is user info, not host, so `u@bucket.oss-….aliyuncs.com`
 * names the bucket as the bare host does, for user info of any length, one character included
 * (`test/mutation/host.test.ts` only has `user:pw@`). Checked on `readHost` directly, through
 * `parseRequestUrl`, and against a plain model (the host after the last `@`, without its port)
 * over generated user info. Written to kill the mutants the broader suites let through.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRequestUrl } from '../../src/index.js';
import { readHost } from '../../src/request/host.js';
import { runs } from '../support/runs.js';

const HOST = 'examplebucket.oss-cn-hangzhou.aliyuncs.com';
const PUBLIC = { endpoint: 'public', region: 'cn-hangzhou', bucket: 'examplebucket', host: HOST };

describe('S4 user info is not part of the host', () => {
  const cases: [string, string, string][] = [
    ['S4', 'no user info', HOST],
    ['S4', 'an empty user info', `@${HOST}`],
    ['S4', 'one character', `u@${HOST}`],
    ['S4', 'one character, upper case', `U@${HOST.toUpperCase()}`],
    ['S4', 'two characters', `us@${HOST}`],
    ['S4', 'a user and a password', `u:p@${HOST}`],
    ['S4', 'one character and a port', `u@${HOST}:8080`],
    ['S4', 'two @: the last one ends the user info', `a@b@${HOST}`],
    ['S4', 'one character, a trailing dot', `x@${HOST}.`],
  ];

  for (const [clause, name, authority] of cases) {
    it(`${clause}: ${name}`, () => {
      expect(readHost(authority, undefined)).toMatchObject({ ...PUBLIC, invalidBucket: false });
      const parsed = parseRequestUrl(`https://${authority}/a.jpg`);
      expect(parsed).toMatchObject({ ok: true, ...PUBLIC, key: 'a.jpg' });
      expect(parseRequestUrl('/a.jpg', undefined, { host: authority })).toMatchObject({
        ok: true,
        ...PUBLIC,
      });
    });
  }

  it('S4: a custom domain after one character of user info is looked up without it', () => {
    const options = { buckets: { 'img.example.com': 'mapped' } };
    expect(readHost('u@img.example.com', options)).toMatchObject({
      endpoint: 'custom-domain',
      host: 'img.example.com',
      bucket: 'mapped',
    });
  });

  it('S4: any user info, as the model reads it', () => {
    const userInfo = fc
      .array(fc.constantFrom('u', 'S', '0', ':', '-', '.', '%40', '@'), { maxLength: 6 })
      .map((a) => a.join(''));
    const hosts = fc.constantFrom(HOST, 'other-bucket.oss-cn-beijing-internal.aliyuncs.com');
    fc.assert(
      fc.property(userInfo, hosts, fc.constantFrom('', ':443'), (user, host, port) => {
        const authority = `${user}@${host}${port}`;
        // The model: the host is what follows the last `@`, without the port.
        const bare = authority.slice(authority.lastIndexOf('@') + 1).replace(/:\d+$/, '');
        expect(bare).toBe(host);
        const info = readHost(authority, undefined);
        expect(info.host).toBe(host);
        expect(info.bucket).toBe(host.split('.')[0]);
        expect(info.invalidBucket).toBe(false);
      }),
      { numRuns: runs(200) },
    );
  });
});
