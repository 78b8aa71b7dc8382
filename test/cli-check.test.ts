/**
 * `check` and `explain` run as a child process: the README's quick start, every option, exit
 * codes, and `--json` output equal to what the library returns for the same request.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_POLICY } from '../src/cli/example-policy.js';
import {
  definePolicy,
  type EvaluateOptions,
  evaluate,
  explainProtection,
  type PolicyInput,
} from '../src/index.js';
import { CLI, fixtureDir, hasAnsi, runCli } from './support/cli.js';

const H = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';
const HOST = 'examplebucket.oss-cn-hangzhou.aliyuncs.com';
const NOW = '2026-11-28T00:30:00Z';
const NOTE =
  'oss-source-guard: using the embedded example policy (docs/example-policy.json); pass --policy FILE\n';
const POLICIES = {
  example: EXAMPLE_POLICY,
  /** The example without a style catalogue: delimiter URLs under prefix rules are denied, with a hint. */
  noCatalogue: Object.fromEntries(
    Object.entries(EXAMPLE_POLICY).filter(([field]) => field !== 'styles'),
  ) as PolicyInput,
  star: { extensions: ['*'], styles: ['small'] },
} satisfies Record<string, PolicyInput>;
let dir: string;
const policyFile = (name: keyof typeof POLICIES) => join(dir, `${name}.json`);

beforeAll(() => {
  dir = fixtureDir(
    Object.fromEntries(
      Object.entries(POLICIES).map(([name, p]) => [`${name}.json`, JSON.stringify(p)]),
    ),
  );
});

/** What the library says, as JSON: the CLI's `decision` must be exactly this. */
function expected(
  urls: readonly string[],
  policy: PolicyInput,
  options: EvaluateOptions,
  method = 'GET',
  headers: [string, string][] = [],
) {
  const p = definePolicy(policy);
  return urls.map((url) => ({
    url,
    decision: JSON.parse(JSON.stringify(evaluate({ method, url, headers }, p, options))),
  }));
}

/**
 * The CLI's JSON with only what the library decides: each result's `hints` and `verification`,
 * which the CLI adds, are taken out here (test/cli-import.test.ts tests them).
 */
function library(out: { results: Record<string, unknown>[] } & Record<string, unknown>) {
  return {
    ...out,
    results: out.results.map(({ hints, verification: _, ...result }) => {
      expect(Array.isArray(hints)).toBe(true);
      return result;
    }),
  };
}

describe.concurrent('check', () => {
  it('the README quick start prints a DENY line from the embedded policy, and says so', async () => {
    const r = await runCli(['check', `${H}/image/photo.jpg`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      `DENY  403 AccessDenied  original image read anonymously  rule 0 (prefix "image/")  key=image/photo.jpg  ${H}/image/photo.jpg\n`,
    );
    expect(r.stderr).toBe(NOTE);
  });

  it('one aligned line per URL; exit 1 when any is denied, 0 when all are allowed', async () => {
    const urls = [
      `${H}/image/photo.jpg?x-oss-process=style/small`,
      `${H}/docs/a.txt`,
      `${H}/x/a.PNG?x-oss-process=image/resize,w_10`,
      `${H}/image/a.jpg!small`,
    ];
    const r = await runCli(['check', '--policy', policyFile('example'), ...urls]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.map((l) => l.split(/\s{2,}/))).toEqual([
      [
        'ALLOW',
        '-',
        'protected, read through a style',
        'rule 0 (prefix "image/")',
        'key=image/photo.jpg style=small',
        urls[0],
      ],
      ['ALLOW', '-', 'key not protected', '-', 'key=docs/a.txt', urls[1]],
      [
        'DENY',
        '403 AccessDenied',
        'inline processing of a protected image',
        'rule 1 (suffix ".png", case-insensitive)',
        'key=x/a.PNG',
        urls[2],
      ],
      [
        'ALLOW',
        '-',
        'protected, read through a style',
        'rule 0 (prefix "image/")',
        'key=image/a.jpg style=small',
        urls[3],
      ],
    ]);
    // Aligned: every column starts at the same offset on every line.
    for (const column of ['key=', 'https://'])
      expect(new Set(lines.map((l) => l.indexOf(column))).size).toBe(1);
    expect(hasAnsi(r.stdout)).toBe(false);

    const allowed = await runCli([
      'check',
      '--policy',
      policyFile('example'),
      urls[0] as string,
      urls[1] as string,
    ]);
    expect(allowed.code).toBe(0);
  });

  it('--json: {policy, results: [{url, decision}]}, decision as evaluate returns it', async () => {
    const urls = [
      `${H}/image/photo.jpg`,
      `${H}/image/photo.jpg?x-oss-process=style/nope`,
      `${H}/docs/a.txt`,
      `${H}/`,
      `https://oss-cn-hangzhou.aliyuncs.com/examplebucket/a.jpg`,
      `${H}/a%ZZ.jpg`,
      `${H}/image/a.jpg?x-oss-process=image/resize,w_10&x-oss-process=style/small`,
    ];
    const r = await runCli(['check', '--json', '--now', NOW, ...urls]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(NOTE);
    expect(library(JSON.parse(r.stdout))).toEqual({
      policy: 'embedded',
      results: expected(urls, EXAMPLE_POLICY, { now: new Date(NOW) }),
    });
  });

  it('-X/--method, -H/--header and request targets with a Host header', async () => {
    const head = await runCli([
      'check',
      '--json',
      '-X',
      'head',
      '-H',
      `Host: ${HOST}`,
      '/image/a.jpg',
      '/docs/a.txt',
    ]);
    const headers: [string, string][] = [['host', HOST]];
    expect(library(JSON.parse(head.stdout)).results).toEqual(
      expected(
        ['/image/a.jpg', '/docs/a.txt'],
        EXAMPLE_POLICY,
        { now: new Date() },
        'head',
        headers,
      ),
    );
    expect(JSON.parse(head.stdout).results[0].decision).toMatchObject({
      method: 'HEAD',
      bucket: 'examplebucket',
    });
    expect(head.code).toBe(1);

    const post = await runCli(['check', '--method', 'POST', `${H}/image/a.jpg`]);
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(
      /^ALLOW {2}- {2}not a read \(POST\): protection governs GET and HEAD only {2}- {2}- {2}https:/,
    );

    const signed = await runCli([
      'check',
      '--header',
      'Authorization: OSS ak:c2ln',
      `${H}/image/a.jpg`,
    ]);
    expect(signed.code).toBe(0);
    expect(signed.stdout).toMatch(
      /^ALLOW {2}- {2}signed request \(oss-v1, header\), signature detected, not verified {2}- {2}key=image\/a\.jpg/,
    );
  });

  it('--now as ISO 8601 or Unix seconds decides whether a query signature has expired', async () => {
    const url = `${H}/image/a.jpg?OSSAccessKeyId=ak&Expires=1800000000&Signature=c2ln`;
    const before = await runCli(['check', '--json', '--now', '2026-01-01T00:00:00Z', url]);
    expect(before.code).toBe(0);
    expect(library(JSON.parse(before.stdout)).results).toEqual(
      expected([url], EXAMPLE_POLICY, { now: new Date('2026-01-01T00:00:00Z') }),
    );
    const after = await runCli(['check', '--now', '1800000001', url]);
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(
      /^DENY {2}403 AccessDenied {2}signature expired {2}- {2}key=image\/a\.jpg/,
    );
  });

  it('--content-type decides what extensions ["*"] protects', async () => {
    const url = `${H}/docs/a.bin`;
    for (const [type, code] of [
      ['image/png', 1],
      ['text/plain', 0],
    ] as const) {
      const r = await runCli([
        'check',
        '--json',
        '--policy',
        policyFile('star'),
        '--content-type',
        type,
        url,
      ]);
      expect(r.code).toBe(code);
      expect(library(JSON.parse(r.stdout))).toEqual({
        policy: policyFile('star'),
        results: expected([url], POLICIES.star, { now: new Date(), contentType: type }),
      });
    }
  });

  it('--bucket-map and --bucket name the bucket of a custom domain', async () => {
    const r = await runCli([
      'check',
      '--json',
      '--bucket-map',
      'CDN.example.com=examplebucket',
      '--bucket-map',
      'img.example.com=other',
      '--bucket',
      'fallback',
      'https://cdn.example.com/image/a.jpg',
      'https://img.example.com/a.txt',
      'https://www.example.com/a.txt',
    ]);
    expect(
      JSON.parse(r.stdout).results.map((x: { decision: { bucket: string } }) => x.decision.bucket),
    ).toEqual(['examplebucket', 'other', 'fallback']);
  });

  it('shows the decision hint on an indented line', async () => {
    const url = `${H}/image/a.jpg!small`;
    const r = await runCli(['check', '--policy', policyFile('noCatalogue'), url]);
    expect(r.code).toBe(1);
    const [line, hint, end] = r.stdout.split('\n');
    expect(line).toMatch(/^DENY {2}403 AccessDenied {2}original image read anonymously/);
    expect(hint).toMatch(/^ {6}hint: Without a style catalogue .* add "styles" to the policy/);
    expect(end).toBe('');
  });

  it('usage errors: exit 2 and one line', async () => {
    const cases: [string[], RegExp][] = [
      [['check'], /check needs at least one URL/],
      [
        ['check', 'image/a.jpg'],
        /not a URL: "image\/a\.jpg"; give https:\/\/host\/key, or \/key with -H 'Host: \.\.\.'/,
      ],
      [['check', '-H', 'Host', '/a.jpg'], /-H needs 'Name: value', not "Host"/],
      [
        ['explain', '--bucket-map', 'cdn.example.com', '/a.jpg'],
        /--bucket-map needs HOST=BUCKET, not "cdn\.example\.com"/,
      ],
      [
        ['check', '--now', 'May 1', '/a.jpg'],
        /option --now needs an ISO 8601 date-time or Unix seconds, not "May 1"/,
      ],
    ];
    for (const [args, pattern] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(
        /^oss-source-guard: [^\n]+ \(see oss-source-guard (check|explain) --help\)\n$/,
      );
      expect(r.stderr).toMatch(pattern);
    }
  });
});

describe.concurrent('explain', () => {
  it('shows the request, the signature, each reading and every rule test', async () => {
    const r = await runCli(['explain', `${H}/image/photo.jpg`]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n').map((l) => l.trim().replace(/ {2,}/g, '  '));
    expect(lines).toEqual([
      `DENY  403 AccessDenied  original image read anonymously  rule 0 (prefix "image/")  key=image/photo.jpg  ${H}/image/photo.jpg`,
      'method  GET',
      `host  ${HOST} (bucket examplebucket)`,
      'signature  anonymous: no Authorization header, no signature parameter',
      'reading 1 of 1: key=image/photo.jpg, direct read of the original → denied',
      'rule 0  prefix "image/" ✓ (case-sensitive)  matches',
      'rule 1  suffix ".png" ✗ (case-insensitive)  no match',
      'rule 2  prefix "raw/" ✗ + suffix ".tif" ✗ (case-sensitive)  no match',
      'extension  jpg ✓ listed  matches',
      '*  not in the policy',
      '→ protected by rule 0 (prefix "image/")',
      '',
    ]);
  });

  it('says which server behaviour each non-literal reading models (S4 R2)', async () => {
    const r = await runCli(['explain', `${H}/secret/../image/a.gif`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /reading 2 of 2: key=image\/a\.gif, direct read of the original → denied/,
    );
    expect(r.stdout).toMatch(/as read by a WHATWG URL parser \(Fetch forwarding/);
    const semi = await runCli(['explain', `${H}/docs/a.jpg;v=1`]);
    expect(semi.stdout).toMatch(/as read by a servlet container/);
  });

  it('every reading of an ambiguous URL, signed requests, and extensions ["*"]', async () => {
    const noCatalogue = await runCli([
      'explain',
      '--policy',
      policyFile('noCatalogue'),
      `${H}/image/a.jpg!small`,
    ]);
    expect(noCatalogue.stdout).toMatch(
      /reading 1 of 2: key=image\/a\.jpg, style small after delimiter "!" → allowed/,
    );
    expect(noCatalogue.stdout).toMatch(
      /reading 2 of 2: key=image\/a\.jpg!small, direct read of the original → denied/,
    );
    expect(noCatalogue.stdout).toMatch(
      /→ protected by rule 0 \(prefix "image\/"\), read through a style/,
    );
    expect(noCatalogue.stdout).toMatch(/hint: Without a style catalogue/);

    const signed = await runCli([
      'explain',
      '--now',
      NOW,
      `${H}/raw/a.tif?OSSAccessKeyId=ak&Expires=1800000000&Signature=c2ln`,
    ]);
    expect(signed.code).toBe(0);
    expect(signed.stdout).toMatch(
      /signature {2}signed: oss-v1 in the query, AccessKeyId ak, expires 2027-01-15T08:00:00\.000Z; detected, not verified/,
    );
    expect(signed.stdout).toMatch(/readings {3}none: protection does not apply to this request/);
    expect(signed.stdout).toMatch(
      /key=raw\/a\.tif: protected by rule 2 \(prefix "raw\/" \+ suffix "\.tif"\) \(not applied to this request\)/,
    );

    const star = await runCli([
      'explain',
      '--policy',
      policyFile('star'),
      '--content-type',
      'image/webp',
      `${H}/a.bin`,
    ]);
    expect(star.stdout).toMatch(/extension +bin +the policy lists "\*"/);
    expect(star.stdout).toMatch(/\* +every image ✓ +matches/);
    expect(star.stdout).toMatch(/→ protected by extensions \* \(every image\)/);
  });

  it('--json adds explanations: explainProtection of each reading key', async () => {
    const urls = [
      `${H}/image/a.jpg!small`,
      `${H}/Raw/A.PNG`,
      `${H}/raw/a.tif?OSSAccessKeyId=ak&Expires=1800000000&Signature=c2ln`,
      `${H}/`,
    ];
    const r = await runCli([
      'explain',
      '--json',
      '--now',
      NOW,
      '--policy',
      policyFile('noCatalogue'),
      ...urls,
    ]);
    expect(r.code).toBe(1);
    const policy = definePolicy(POLICIES.noCatalogue);
    const keys = [['image/a.jpg', 'image/a.jpg!small'], ['Raw/A.PNG'], ['raw/a.tif'], []];
    expect(library(JSON.parse(r.stdout))).toEqual({
      policy: policyFile('noCatalogue'),
      results: expected(urls, POLICIES.noCatalogue, { now: new Date(NOW) }).map((x, i) => ({
        ...x,
        explanations: JSON.parse(
          JSON.stringify((keys[i] as string[]).map((k) => explainProtection(k, policy))),
        ),
      })),
    });
  });
});

describe('output to a closed pipe', () => {
  it('stops quietly when the reader goes away (| head)', async () => {
    const urls = Array.from({ length: 300 }, (_, i) => `${H}/image/${i}.jpg`);
    const child = spawn('sh', [
      '-c',
      `"${process.execPath}" "${CLI}" explain --policy "$0" "$@" | head -c 100 >/dev/null`,
      policyFile('example'),
      ...urls,
    ]);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });
});
