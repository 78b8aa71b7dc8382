/**
 * `audit` and `diff` run as a child process on key listings: counts equal to what the library
 * says key by key, both listing formats, every option, exit codes and the `--json` shapes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_POLICY } from '../src/cli/example-policy.js';
import {
  definePolicy,
  explainProtection,
  isProtected,
  matchProtection,
  type Policy,
  type PolicyInput,
} from '../src/index.js';
import { policyInputArb } from './support/arbitraries.js';
import { CLI, fixtureDir, runCli } from './support/cli.js';

const example = definePolicy(EXAMPLE_POLICY);
/** The example policy after a change: suffix rules dropped, raw/ widened, png in, jpeg out. */
const changed = definePolicy({
  rules: [{ prefix: 'image/' }, { prefix: 'raw/' }],
  extensions: ['jpg', 'png'],
  delimiters: ['!', '-'],
  styles: ['small', 'thumb', 'watermarked'],
});
const KEYS = [
  'image/photo.jpg',
  'image/a.gif',
  'Image/b.JPG',
  'docs/readme.txt',
  'raw/scan.tif',
  'raw/scan.TIF',
  'raw/notes.txt',
  'icons/logo.PNG',
  'icons/logo.png',
  'photos/c.jpeg',
  'video/a.mp4',
  'a folder/with spaces.txt',
  '图片/猫.JPG',
  'docs/oss://not-a-url.txt',
  'x.',
];
const ETAG = '61DE142E5AFF9A6748707D4A77BFBCFB';
const ossutil = (keys: readonly string[], eol = '\n') =>
  [
    'LastModifiedTime                   Size(B)  StorageClass   ETAG                                  ObjectName',
    ...keys.map(
      (k, i) =>
        `2024-05-01 10:00:00 +0800 CST ${String(i * 37).padStart(12)}   Standard   ${ETAG}   oss://examplebucket/${k}`,
    ),
    'oss://examplebucket/',
    `Object Number is: ${keys.length}`,
    '',
    '0.007379(s) elapsed',
    '',
  ].join(eol);

let dir: string;
const at = (name: string) => join(dir, name);
const hasScript = spawnSync('script', ['--version']).status === 0;

beforeAll(() => {
  dir = fixtureDir({
    'example.json': JSON.stringify(EXAMPLE_POLICY),
    'changed.json': JSON.stringify(changed),
    'star.json': JSON.stringify({ extensions: ['*'] }),
    'invalid.json': '{"rules":[{}]}',
    'keys.txt': `${KEYS.join('\n')}\n`,
    'keys-crlf.txt': `\ufeff${KEYS.join('\r\n')}\r\n\r\n`,
    'ossutil.txt': ossutil(KEYS),
    'ossutil-crlf.txt': ossutil(KEYS, '\r\n'),
    'long-line.txt': `a.jpg\n${'x'.repeat(70_000)}\nb.jpg\n`,
  });
});

interface Tally {
  matches: number;
  only: number;
  samples: string[];
}

/** Why a listed key is not an OSS key (OSS: 1–1023 UTF-8 bytes, not "/" or "\\" first). */
function invalidReason(key: string): string | undefined {
  if (key[0] === '/' || key[0] === '\\') return 'leading-slash';
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(key))
    return 'not-unicode';
  return Buffer.byteLength(key) > 1023 ? 'too-long' : undefined;
}

/**
 * Why a raw URL cannot reach a key (SPEC S9 R2), straight from the spec: a protected key with a
 * "." or ".." segment ("/" and "\\" separate them); or, for each enabled delimiter in the final
 * run of delimiter characters, a protected key before it.
 */
function unreachableReason(key: string, policy: Policy, opts?: { contentType: string }) {
  if (isProtected(key, policy, opts) && key.split(/[/\\]/).some((s) => s === '.' || s === '..'))
    return 'dot-segment';
  for (let i = key.length - 1; i > 0 && '!-/_'.includes(key[i] as string); i--)
    if (policy.delimiters.includes(key[i] as '!') && isProtected(key.slice(0, i), policy, opts))
      return 'trailing-delimiter';
  return undefined;
}

/** Keys set apart for a reason, as the report lists them: reasons in `order`, counted, sampled. */
function apart(
  reasons: (string | undefined)[],
  keys: readonly string[],
  order: string[],
  samples: number,
) {
  const list = order.map((reason) => ({ reason, count: 0, samples: [] as string[] }));
  reasons.forEach((reason, i) => {
    const x = list.find((l) => l.reason === reason);
    if (x === undefined) return;
    x.count++;
    if (x.samples.length < samples) x.samples.push(keys[i] as string);
  });
  const listed = list.filter((x) => x.count > 0);
  return { count: listed.reduce((n, x) => n + x.count, 0), reasons: listed };
}

/** The audit report, computed key by key with explainProtection (not the CLI's method). */
function expectedAudit(all: readonly string[], policy: Policy, samples = 5, contentType?: string) {
  const opts = contentType === undefined ? undefined : { contentType };
  const invalid = apart(
    all.map(invalidReason),
    all,
    ['leading-slash', 'too-long', 'not-unicode'],
    samples,
  );
  // Invalid keys are counted apart, never as protected or not.
  const keys = all.filter((k) => invalidReason(k) === undefined);
  const unreachable = apart(
    keys.map((k) => unreachableReason(k, policy, opts)),
    keys,
    ['dot-segment', 'trailing-delimiter'],
    samples,
  );
  const tally = (): Tally => ({ matches: 0, only: 0, samples: [] });
  const rules = policy.rules.map((rule, index) => ({ index, rule, ...tally() }));
  const star = policy.extensions[0] === '*';
  const extensions = star ? [] : policy.extensions.map((extension) => ({ extension, ...tally() }));
  const wildcard = star ? { contentType: contentType ?? null, ...tally() } : null;
  let protectedKeys = 0;
  const unprotectedSamples: string[] = [];
  for (const key of keys) {
    const e = explainProtection(key, policy, opts);
    const hits: Tally[] = e.rules.flatMap((t) => (t.matches ? [rules[t.index] as Tally] : []));
    const ext = e.extension?.replace(/[A-Z]/g, (c) => c.toLowerCase());
    if (e.extensionListed) hits.push(extensions.find((x) => x.extension === ext) as Tally);
    if (e.wildcardApplies && wildcard) hits.push(wildcard);
    for (const h of hits) {
      h.matches++;
      if (h.samples.length < samples) h.samples.push(key);
    }
    if (hits.length === 1) (hits[0] as Tally).only++;
    if (isProtected(key, policy, opts)) protectedKeys++;
    else if (unprotectedSamples.length < samples) unprotectedSamples.push(key);
  }
  return JSON.parse(
    JSON.stringify({
      total: all.length,
      protected: protectedKeys,
      unprotected: keys.length - protectedKeys,
      invalid,
      unreachable,
      rules,
      extensions,
      wildcard,
      unprotectedSamples,
    }),
  );
}

function parseAudit(stdout: string) {
  const { timing, policy, format, skippedLines, ...report } = JSON.parse(stdout);
  expect(Object.keys(timing)).toEqual(['seconds', 'keysPerSecond']);
  expect(timing.seconds).toBeGreaterThanOrEqual(0);
  expect(Number.isInteger(timing.keysPerSecond)).toBe(true);
  return { policy, format, skippedLines, report };
}

describe.concurrent('audit', () => {
  it('counts what each rule and extension protects, as the library does key by key', async () => {
    const r = await runCli(['audit', '--json', '--policy', at('example.json'), at('keys.txt')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = parseAudit(r.stdout);
    expect(out).toEqual({
      policy: at('example.json'),
      format: 'keys',
      skippedLines: 0,
      report: expectedAudit(KEYS, example),
    });
    expect(out.report.rules.map((x: Tally) => [x.matches, x.only])).toEqual([
      [2, 1],
      [2, 2],
      [1, 1],
    ]);
  });

  it('on random policies and keys (Unicode, case variants)', async () => {
    const lineSafe = (k: string) =>
      k !== '' && !/[\n\r]/.test(k) && k[0] !== '\ufeff' && Buffer.from(k).toString() === k;
    const keys = fc
      .sample(
        fc.string({ unit: fc.constantFrom(...'abAB/._-jpgJPGpngİıßσΣ图😀 '), maxLength: 12 }),
        { seed: 5, numRuns: 400 },
      )
      .filter(lineSafe);
    const policies = fc.sample(policyInputArb, { seed: 7, numRuns: 3 }).map((p) => definePolicy(p));
    const dir2 = fixtureDir({
      'keys.txt': `${keys.join('\n')}\n`,
      ...Object.fromEntries(policies.map((p, i) => [`p${i}.json`, JSON.stringify(p)])),
    });
    for (const [i, policy] of policies.entries()) {
      const file = join(dir2, `p${i}.json`);
      const r = await runCli([
        'audit',
        '--json',
        '--format',
        'keys',
        '--samples',
        '3',
        '--policy',
        file,
        join(dir2, 'keys.txt'),
      ]);
      expect(r.code).toBe(0);
      expect(parseAudit(r.stdout).report).toEqual(expectedAudit(keys, policy, 3));
    }
  });

  it('reads ossutil ls output (header, footer, CRLF) from a piped stdin, or -', async () => {
    for (const [args, input] of [
      [[], ossutil(KEYS)],
      [['-'], `\ufeff${ossutil(KEYS, '\r\n')}`],
    ] as const) {
      const r = await runCli(['audit', '--json', '--policy', at('example.json'), ...args], {
        input,
      });
      expect(r.code).toBe(0);
      const out = parseAudit(r.stdout);
      expect(out).toMatchObject({ format: 'ossutil', skippedLines: 5 });
      expect(out.report).toEqual(expectedAudit(KEYS, example));
    }
    const crlf = await runCli([
      'audit',
      '--json',
      '--policy',
      at('example.json'),
      at('keys-crlf.txt'),
    ]);
    expect(parseAudit(crlf.stdout)).toMatchObject({
      format: 'keys',
      skippedLines: 1,
      report: expectedAudit(KEYS, example),
    });
  });

  it('--format keys takes every non-blank line as a key, even ossutil output', async () => {
    const r = await runCli([
      'audit',
      '--json',
      '--format',
      'keys',
      '--policy',
      at('example.json'),
      at('ossutil.txt'),
    ]);
    const out = parseAudit(r.stdout);
    expect(out.format).toBe('keys');
    expect(out.report.total).toBe(KEYS.length + 4);
    const forced = await runCli([
      'audit',
      '--json',
      '--format',
      'ossutil',
      '--policy',
      at('example.json'),
      at('ossutil.txt'),
    ]);
    expect(parseAudit(forced.stdout).report).toEqual(expectedAudit(KEYS, example));
  });

  it('prints a report for people, and the throughput on stderr', async () => {
    const r = await runCli([
      'audit',
      '--samples',
      '2',
      '--policy',
      at('example.json'),
      at('keys.txt'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `policy ${at('example.json')}: 15 keys (keys listing)`,
        '',
        'protected           8  53.3%',
        'unprotected         7  46.7%',
        '',
        'protects      only  test',
        '       2         1  rule 0  prefix "image/"',
        '       2         2  rule 1  suffix ".png", case-insensitive',
        '       1         1  rule 2  prefix "raw/" + suffix ".tif"',
        '       3         2  extension jpg',
        '       1         1  extension jpeg',
        '',
        'samples (first 2 of each)',
        '  rule 0  prefix "image/"',
        '    image/photo.jpg',
        '    image/a.gif',
        '  rule 1  suffix ".png", case-insensitive',
        '    icons/logo.PNG',
        '    icons/logo.png',
        '  rule 2  prefix "raw/" + suffix ".tif"',
        '    raw/scan.tif',
        '  extension jpg',
        '    image/photo.jpg',
        '    Image/b.JPG',
        '  extension jpeg',
        '    photos/c.jpeg',
        '  unprotected',
        '    docs/readme.txt',
        '    raw/scan.TIF',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toMatch(
      /^oss-source-guard: audited 15 keys in \d+\.\d\d s \([\d,]+ keys\/s\)\n$/,
    );
  });

  it('quotes keys with spaces or control characters; --samples 0 shows none', async () => {
    const r = await runCli(['audit', '--samples', '9', '--policy', at('example.json')], {
      input: 'a folder/x.txt\nesc\x1b[31m.txt\n',
    });
    expect(r.stdout).toMatch(/^ {4}"a folder\/x\.txt"$/m);
    expect(r.stdout).toMatch(/^ {4}"esc\\u\{1b\}\[31m\.txt"$/m);
    const none = await runCli([
      'audit',
      '--samples',
      '0',
      '--json',
      '--policy',
      at('example.json'),
      at('keys.txt'),
    ]);
    expect(parseAudit(none.stdout).report).toEqual(expectedAudit(KEYS, example, 0));
  });

  it('--content-type decides what extensions ["*"] protects', async () => {
    for (const type of [undefined, 'text/plain']) {
      const args = type === undefined ? [] : ['--content-type', type];
      const r = await runCli([
        'audit',
        '--json',
        ...args,
        '--policy',
        at('star.json'),
        at('keys.txt'),
      ]);
      const expectedReport = expectedAudit(KEYS, definePolicy({ extensions: ['*'] }), 5, type);
      expect(parseAudit(r.stdout).report).toEqual(expectedReport);
      expect(expectedReport.wildcard.matches).toBe(type === 'text/plain' ? 0 : KEYS.length);
    }
  });

  it('usage and input errors: exit 2, one line', async () => {
    const p = ['--policy', at('example.json')];
    const cases: [string[], RegExp][] = [
      [
        ['audit', at('keys.txt')],
        /audit needs --policy FILE \(see oss-source-guard audit --help\)/,
      ],
      [
        ['audit', ...p, '--samples', 'x', at('keys.txt')],
        /option --samples needs a whole number, not "x"/,
      ],
      [
        ['audit', ...p, '--format', 'csv', at('keys.txt')],
        /option --format needs auto, keys or ossutil, not "csv"/,
      ],
      [['audit', ...p, at('keys.txt'), at('keys.txt')], /audit reads one listing, got 2/],
      [
        ['audit', ...p, at('nope.txt')],
        /cannot read .*nope\.txt: no such file or directory \(ENOENT\)/,
      ],
      [
        ['audit', ...p, at('a-directory')],
        /cannot read .*a-directory: illegal operation on a directory \(EISDIR\)/,
      ],
      [
        ['audit', ...p, at('long-line.txt')],
        /long-line\.txt: line 2 is longer than 65536 bytes; expected one object key per line/,
      ],
      [
        ['audit', '--policy', at('invalid.json'), at('keys.txt')],
        /invalid\.json is not a valid policy \(1 problem\):\n {2}.*\[rule-needs-prefix-or-suffix\]\n$/,
      ],
    ];
    for (const [args, pattern] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^oss-source-guard: /);
      expect(r.stderr).toMatch(pattern);
    }
  });

  it.skipIf(!hasScript)('on a terminal: refuses to wait for keys typed on stdin', async () => {
    const r = spawnSync(
      'script',
      [
        '-qec',
        `"${process.execPath}" "${CLI}" audit --policy "${at('example.json')}"`,
        '/dev/null',
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(
      /audit needs a listing of object keys: give KEYS_FILE, or - and pipe it in/,
    );
  });

  it.skipIf(!hasScript)(
    'on a terminal: a progress line on stderr while a slow listing is read, then erased',
    async () => {
      const fifo = at('slow.fifo');
      spawnSync('mkfifo', [fifo]);
      const child = spawn(
        'script',
        [
          '-qec',
          `"${process.execPath}" "${CLI}" audit --samples 0 --policy "${at('example.json')}" "${fifo}"`,
          '/dev/null',
        ],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
      });
      const writer = createWriteStream(fifo);
      // Opening a FIFO for writing waits for its reader: the CLI is then running.
      await once(writer, 'open');
      writer.write('image/a.jpg\n'.repeat(1000));
      await new Promise((resolve) => setTimeout(resolve, 1300));
      writer.end('docs/b.txt\n'.repeat(1000));
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(code).toBe(0);
      const progress = out.indexOf('\raudit: ');
      expect(progress).toBeGreaterThanOrEqual(0);
      expect(out.slice(progress)).toMatch(/^\raudit: [\d,]+ keys read…/);
      // Erased before the report: carriage return and erase-line, then the report.
      const erased = out.indexOf('\r\x1b[K', progress);
      expect(erased).toBeGreaterThan(progress);
      expect(erased).toBeLessThan(out.indexOf('2,000 keys (keys listing)'));
    },
  );
});

describe.concurrent('diff', () => {
  /** Newly protected and newly exposed keys, from isProtected key by key. */
  function expectedDiff(keys: readonly string[], samples = 5) {
    const was = keys.map((k) => isProtected(k, example));
    const is = keys.map((k) => isProtected(k, changed));
    const pick = (keep: (i: number) => boolean, policy: Policy) => {
      const list = keys.filter((_, i) => keep(i));
      return {
        count: list.length,
        samples: JSON.parse(
          JSON.stringify(
            list.slice(0, samples).map((key) => ({ key, match: matchProtection(key, policy) })),
          ),
        ),
      };
    };
    return {
      total: keys.length,
      protectedBefore: was.filter(Boolean).length,
      protectedAfter: is.filter(Boolean).length,
      newlyProtected: pick((i) => !was[i] && is[i] === true, changed),
      newlyExposed: pick((i) => was[i] === true && !is[i], example),
    };
  }

  it('reports newly protected and newly exposed keys; exposure fails (exit 1)', async () => {
    const r = await runCli([
      'diff',
      '--json',
      '--from',
      at('example.json'),
      '--to',
      at('changed.json'),
      at('keys.txt'),
    ]);
    expect(r.code).toBe(1);
    const want = expectedDiff(KEYS);
    expect(want.newlyExposed.count).toBeGreaterThan(0);
    expect(want.newlyProtected.count).toBeGreaterThan(0);
    expect(JSON.parse(r.stdout)).toEqual({
      from: at('example.json'),
      to: at('changed.json'),
      format: 'keys',
      ...want,
      skippedLines: 0,
      exposureAllowed: false,
    });
    expect(r.stderr).toBe(
      `oss-source-guard: ${want.newlyExposed.count} key${want.newlyExposed.count === 1 ? '' : 's'} would become public; pass --allow-exposure to accept\n`,
    );
  });

  it('--allow-exposure exits 0; a change that exposes nothing exits 0', async () => {
    const allowed = await runCli(
      [
        'diff',
        '--json',
        '--allow-exposure',
        '--samples',
        '1',
        '--from',
        at('example.json'),
        '--to',
        at('changed.json'),
      ],
      { input: ossutil(KEYS) },
    );
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toBe('');
    expect(JSON.parse(allowed.stdout)).toMatchObject({
      format: 'ossutil',
      skippedLines: 5,
      exposureAllowed: true,
      ...expectedDiff(KEYS, 1),
    });

    const widen = await runCli(
      ['diff', '--from', at('example.json'), '--to', at('star.json'), '-'],
      { input: KEYS.join('\n') },
    );
    expect(widen.code).toBe(0);
    expect(widen.stdout).toBe(
      [
        `${at('example.json')} → ${at('star.json')}: 15 keys (keys listing)`,
        'protected before 8, after 15',
        '',
        'newly protected: 7 (anonymous links to these originals will break)',
        '    docs/readme.txt             now extensions * (every image)',
        '    raw/scan.TIF                now extensions * (every image)',
        '    raw/notes.txt               now extensions * (every image)',
        '    video/a.mp4                 now extensions * (every image)',
        '    "a folder/with spaces.txt"  now extensions * (every image)',
        'newly exposed: 0',
        '',
      ].join('\n'),
    );
  });

  it('usage and input errors: exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['diff', '--from', at('example.json'), at('keys.txt')],
        /diff needs --from OLD\.json and --to NEW\.json/,
      ],
      [
        ['diff', '--from', '-', '--to', at('example.json'), '-'],
        /standard input \(-\) can be read only once/,
      ],
      [
        ['diff', '--from', at('invalid.json'), '--to', at('example.json'), at('keys.txt')],
        /invalid\.json is not a valid policy/,
      ],
      [
        ['diff', '--from', at('example.json'), '--to', at('nope.json'), at('keys.txt')],
        /cannot read .*nope\.json/,
      ],
    ];
    for (const [args, pattern] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(pattern);
    }
  });
});

/** Policies whose JSON the CLI reads are the same policies the tests reason about. */
describe('fixtures', () => {
  it('the changed policy differs from the example as the diff tests assume', () => {
    const input: PolicyInput = JSON.parse(JSON.stringify(changed));
    expect(definePolicy(input)).toEqual(changed);
  });
});
