/**
 * The command line in process, against `src/` (`run` from `src/cli/index.ts`): argument handling,
 * exit statuses and the error policy of the global options, `validate`, `check` and `explain`.
 * The same behaviours are tested on the built CLI as a child process in test/cli.test.ts and
 * test/cli-check.test.ts; here mutation testing reaches them (SPEC S10, docs/cli.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { EXAMPLE_POLICY } from '../src/cli/example-policy.js';
import {
  definePolicy,
  evaluate,
  lintPolicy,
  type PolicyInput,
  validatePolicy,
} from '../src/index.js';
import { runInProcess as cli, fixtureDir } from './support/cli-inprocess.js';

const H = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';
const NOW = '2026-11-28T00:30:00Z';
const NOTE =
  'oss-source-guard: using the embedded example policy (docs/example-policy.json); pass --policy FILE\n';
const COMMANDS = ['validate', 'import', 'export', 'check', 'explain', 'audit', 'diff', 'serve'];
const example = readFileSync(new URL('../docs/example-policy.json', import.meta.url), 'utf8');
const invalidPolicy = { rules: [{ prefix: '/x' }], extensions: ['jpg', '.JPG'], bogus: 1 };
/** Where each problem of invalid.json (JSON.stringify(…, null, 2)) is, in validatePolicy's order. */
const INVALID_AT = [
  { line: 11, column: 3 },
  { line: 4, column: 17 },
  { line: 9, column: 5 },
];
/** Valid, with two lint warnings (S9): a folder-like prefix, delimiters without a catalogue. */
const warnedPolicy = { rules: [{ prefix: 'image' }], delimiters: ['!'] };
let dir: string;
const at = (name: string) => join(dir, name);

beforeAll(() => {
  dir = fixtureDir({
    'policy.json': example,
    'invalid.json': JSON.stringify(invalidPolicy, null, 2),
    'broken.json': '{\n  "rules": [\n    { "prefix": "a" },\n  ]\n}\n',
    'warned.json': JSON.stringify(warnedPolicy),
    'star.json': JSON.stringify({ extensions: ['*'], styles: ['small'] }),
  });
});

/** One line on stderr, naming the tool, and exit 2. */
function expectOneLineError(r: { code: number; stderr: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^oss-source-guard: [^\n]+\n$/);
  expect(r.stderr).toMatch(pattern);
}

describe('S10 global options and dispatch', () => {
  it('--help, -h, help and no arguments print the usage with every command, exit 0', async () => {
    for (const args of [['--help'], ['-h'], ['help'], []]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: oss-source-guard <command> \[options\]\n/);
      for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c} +\\S`, 'm'));
      expect(r.stdout).toMatch(/^Exit status, the same for every command:$/m);
      expect(r.stderr).toBe('');
    }
  });

  it('--version prints the package version and nothing else', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('help COMMAND, COMMAND --help and COMMAND -h print that command usage, exit 0', async () => {
    for (const c of COMMANDS)
      for (const args of [
        ['help', c],
        [c, '--help'],
        [c, '-h'],
      ]) {
        const r = await cli(args);
        expect(r.code, args.join(' ')).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^Usage: oss-source-guard ${c} `));
        expect(r.stdout.endsWith('\n')).toBe(true);
        expect(r.stderr).toBe('');
      }
  });

  it('usage errors: one line naming the right --help, exit 2, nothing on stdout', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['frobnicate'],
        /^oss-source-guard: unknown command "frobnicate" \(see oss-source-guard --help\)\n$/,
      ],
      [['help', 'frobnicate'], /unknown command "frobnicate" \(see oss-source-guard --help\)/],
      [
        ['--json', 'check'],
        /unknown option --json \(options go after the command\) \(see oss-source-guard --help\)/,
      ],
      [['-x'], /unknown option -x \(options go after the command\)/],
      ...COMMANDS.map((c): [string[], RegExp] => [
        [c, '--frob', 'x'],
        new RegExp(`unknown option --frob \\(see oss-source-guard ${c} --help\\)`),
      ]),
      [['check', '-q'], /unknown option -q/],
      [['check', '/a', '--policy'], /option --policy needs a value/],
      [
        ['check', '--policy', '--json', '/a'],
        /option --policy needs a value, not the option --json \(write --policy=--json if you mean it\)/,
      ],
      [['validate', '--json=yes', 'x'], /option --json takes no value/],
      [['check', '--policy', 'a', '--policy', 'b', '/a'], /option --policy given more than once/],
    ];
    for (const [args, pattern] of cases) {
      const r = await cli(args);
      expectOneLineError(r, pattern);
      expect(r.stdout, args.join(' ')).toBe('');
    }
  });
});

describe('S10 validate', () => {
  it('a valid policy: one line per file, exit 0; an invalid one: file:line:column per problem, exit 1', async () => {
    const ok = await cli(['validate', at('policy.json')]);
    expect(ok).toEqual({
      code: 0,
      stdout: `${at('policy.json')}: valid (3 rules, 2 extensions, 2 delimiters, 3 styles)\n`,
      stderr: '',
    });
    const result = validatePolicy(invalidPolicy);
    if (result.ok) throw new Error('the fixture must be invalid');
    const file = at('invalid.json');
    const bad = await cli(['validate', at('policy.json'), file]);
    expect(bad.code).toBe(1);
    // The first line is policy.json's; then one line per problem of invalid.json.
    expect(bad.stdout.split('\n').slice(1, -1)).toEqual(
      result.issues.map((i, n) => {
        const { line, column } = INVALID_AT[n] as { line: number; column: number };
        return `${file}:${line}:${column}: ${i.at}: ${i.message} [${i.code}]`;
      }),
    );
  });

  it('reads standard input with -, once only', async () => {
    expect(await cli(['validate', '-'], { input: example })).toMatchObject({
      code: 0,
      stdout: '<stdin>: valid (3 rules, 2 extensions, 2 delimiters, 3 styles)\n',
    });
    const bad = await cli(['validate', '-'], { input: JSON.stringify(invalidPolicy) });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^<stdin>:1:\d+: bogus: .* \[unknown-field\]$/m);
    expectOneLineError(
      await cli(['validate', '-', '-']),
      /standard input \(-\) can be read only once/,
    );
  });

  it('--json: {files: [{file, ok, issues, warnings, policy?, error?}]}, the same exit statuses', async () => {
    const r = await cli(['validate', '--json', at('policy.json'), at('invalid.json')]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    const normalised = validatePolicy(JSON.parse(example));
    const result = validatePolicy(invalidPolicy);
    if (result.ok || !normalised.ok) throw new Error('fixtures');
    expect(out).toEqual({
      files: [
        {
          file: at('policy.json'),
          ok: true,
          issues: [],
          warnings: [],
          policy: JSON.parse(JSON.stringify(normalised.policy)),
        },
        {
          file: at('invalid.json'),
          ok: false,
          issues: result.issues.map((i, n) =>
            JSON.parse(JSON.stringify({ ...i, ...INVALID_AT[n] })),
          ),
          warnings: [],
        },
      ],
    });
    const missing = await cli(['validate', '--json', at('policy.json'), at('nope.json')]);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).files[1]).toEqual({
      file: at('nope.json'),
      ok: false,
      issues: [],
      warnings: [],
      error: `cannot read ${at('nope.json')}: no such file or directory (ENOENT)`,
    });
  });

  it('S9 lint warnings print and still exit 0; --strict makes them fail with exit 1', async () => {
    const file = at('warned.json');
    const warnings = lintPolicy(definePolicy(warnedPolicy as PolicyInput));
    const r = await cli(['validate', file]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(1, -1)).toEqual([
      `${file}:1:21: warning: ${warnings[0]?.at}: ${warnings[0]?.message} [prefix-not-folder]`,
      `${file}:1:1: warning: ${warnings[1]?.at}: ${warnings[1]?.message} [delimiters-without-catalogue]`,
    ]);
    const rows: [string[], number][] = [
      [['validate', '--strict', file], 1],
      [['validate', '--strict', '--json', file], 1],
      [['validate', '--strict', at('policy.json')], 0],
      [['validate', '--json', file], 0],
    ];
    for (const [args, code] of rows) expect((await cli(args)).code, args.join(' ')).toBe(code);
  });

  it('bad input is one line on stderr and exit 2: no file, a missing file, a directory, invalid JSON', async () => {
    const cases: [string[], RegExp][] = [
      [['validate'], /validate needs a policy file/],
      [
        ['validate', at('missing.json')],
        /cannot read .*missing\.json: no such file or directory \(ENOENT\)$/m,
      ],
      [
        ['validate', at('a-directory')],
        /cannot read .*a-directory: illegal operation on a directory \(EISDIR\)/,
      ],
      [
        ['validate', at('broken.json')],
        /broken\.json: invalid JSON at line 4, column 3: Unexpected token '\]'/,
      ],
      [
        ['check', '--policy', at('missing.json'), '/a.jpg'],
        /cannot read .*missing\.json: no such file/,
      ],
    ];
    for (const [args, pattern] of cases) expectOneLineError(await cli(args), pattern);
  });

  it('an invalid policy given to check: every problem on stderr, exit 2', async () => {
    const result = validatePolicy(invalidPolicy);
    if (result.ok) throw new Error('the fixture must be invalid');
    const file = at('invalid.json');
    const r = await cli(['check', '--policy', file, '/a.jpg']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        `oss-source-guard: ${file} is not a valid policy (${result.issues.length} problems):`,
        ...result.issues.map((i, n) => {
          const { line, column } = INVALID_AT[n] as { line: number; column: number };
          return `  ${file}:${line}:${column}: ${i.at}: ${i.message} [${i.code}]`;
        }),
        '',
      ].join('\n'),
    });
  });
});

describe('S10 check and explain', () => {
  it('exit 1 when any URL is denied, 0 when all are allowed; the embedded policy says so on stderr', async () => {
    const rows: [string[], number, string][] = [
      [['check', `${H}/image/photo.jpg`], 1, NOTE],
      [['check', `${H}/docs/a.txt`], 0, NOTE],
      [
        ['check', '--policy', at('policy.json'), `${H}/docs/a.txt`, `${H}/image/a.jpg!small`],
        0,
        '',
      ],
      [['check', '--policy', at('policy.json'), `${H}/docs/a.txt`, `${H}/image/a.jpg`], 1, ''],
      [['explain', `${H}/image/photo.jpg`], 1, NOTE],
      [['explain', '--policy', at('policy.json'), `${H}/docs/a.txt`], 0, ''],
      [['check', '--method', 'POST', `${H}/image/a.jpg`], 0, NOTE],
      [['check', '-H', 'Authorization: OSS ak:c2ln', `${H}/image/a.jpg`], 0, NOTE],
    ];
    for (const [args, code, stderr] of rows) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr).toBe(stderr);
      expect(/^DENY /m.test(r.stdout), 'a DENY line').toBe(code === 1);
    }
  });

  it('the README quick start: one aligned DENY line', async () => {
    expect((await cli(['check', `${H}/image/photo.jpg`])).stdout).toBe(
      `DENY  403 AccessDenied  original image read anonymously  rule 0 (prefix "image/")  key=image/photo.jpg  ${H}/image/photo.jpg\n`,
    );
  });

  it('--json decision is what evaluate returns, with --now, -X and --content-type applied', async () => {
    const url = `${H}/image/a.jpg?OSSAccessKeyId=ak&Expires=1800000000&Signature=c2ln`;
    const rows: [
      string[],
      PolicyInput,
      Parameters<typeof evaluate>[0],
      Parameters<typeof evaluate>[2],
    ][] = [
      [
        ['--now', NOW, url],
        EXAMPLE_POLICY,
        { method: 'GET', url, headers: [] },
        { now: new Date(NOW) },
      ],
      [
        ['--now', '1800000001', url],
        EXAMPLE_POLICY,
        { method: 'GET', url, headers: [] },
        { now: new Date(1_800_000_001_000) },
      ],
      [
        ['-X', 'head', '--now', NOW, `${H}/image/b.jpg`],
        EXAMPLE_POLICY,
        { method: 'head', url: `${H}/image/b.jpg`, headers: [] },
        { now: new Date(NOW) },
      ],
      [
        ['--policy', at('star.json'), '--content-type', 'image/png', '--now', NOW, `${H}/a.bin`],
        { extensions: ['*'], styles: ['small'] },
        { method: 'GET', url: `${H}/a.bin`, headers: [] },
        { now: new Date(NOW), contentType: 'image/png' },
      ],
    ];
    for (const [args, policy, request, options] of rows) {
      const r = await cli(['check', '--json', ...args]);
      const [result] = JSON.parse(r.stdout).results;
      const decision = evaluate(request, definePolicy(policy), options);
      expect(result.decision, args.join(' ')).toEqual(JSON.parse(JSON.stringify(decision)));
      expect(r.code).toBe(decision.allow ? 0 : 1);
    }
  });

  it('usage errors of check and explain: exit 2, one line naming the command help', async () => {
    const cases: [string[], RegExp][] = [
      [['check'], /check needs at least one URL/],
      [['explain'], /explain needs at least one URL/],
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
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(
        /^oss-source-guard: [^\n]+ \(see oss-source-guard (check|explain) --help\)\n$/,
      );
      expect(r.stderr).toMatch(pattern);
      expect(r.stdout).toBe('');
    }
  });

  it('explain: the request, the signature, each reading and every rule test', async () => {
    const r = await cli(['explain', `${H}/image/photo.jpg`]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').map((l) => l.trim().replace(/ {2,}/g, '  '))).toEqual([
      `DENY  403 AccessDenied  original image read anonymously  rule 0 (prefix "image/")  key=image/photo.jpg  ${H}/image/photo.jpg`,
      'method  GET',
      'host  examplebucket.oss-cn-hangzhou.aliyuncs.com (bucket examplebucket)',
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
});
