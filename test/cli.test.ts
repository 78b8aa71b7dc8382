/**
 * The command-line tool, run as a child process: global help and version, argument errors,
 * `validate`, and the error policy (one line on stderr, exit 2, never a stack trace).
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { definePolicy, lintPolicy, type PolicyInput, validatePolicy } from '../src/index.js';
import { fixtureDir, hasAnsi, runCli } from './support/cli.js';

const example = readFileSync(new URL('../docs/example-policy.json', import.meta.url), 'utf8');
const invalidPolicy = { rules: [{ prefix: '/x' }], extensions: ['jpg', '.JPG'], bogus: 1 };
/** Valid, with two lint warnings (S9): a folder-like prefix, delimiters without a catalogue. */
const warnedPolicy = { rules: [{ prefix: 'image' }], delimiters: ['!'] };
let dir: string;
let dirFd: number;
const at = (name: string) => join(dir, name);
const COMMANDS = ['validate', 'import', 'export', 'check', 'explain', 'audit', 'diff'];
/**
 * Where each problem of invalid.json (written with JSON.stringify(…, null, 2)) is, in the order
 * validatePolicy reports them: a member name for the unknown field, else the value.
 */
const INVALID_AT = [
  { line: 11, column: 3 }, // "bogus"
  { line: 4, column: 17 }, // "/x"
  { line: 9, column: 5 }, // ".JPG"
];
/** warned.json is one line: the prefix's value, and the root for the absent "styles". */
const WARNED_AT = [
  { line: 1, column: 21 },
  { line: 1, column: 1 },
];

beforeAll(() => {
  dir = fixtureDir({
    'policy.json': example,
    'bom.json': `\ufeff${example}`,
    'invalid.json': JSON.stringify(invalidPolicy, null, 2),
    'broken.json': '{\n  "rules": [\n    { "prefix": "a" },\n  ]\n}\n',
    'empty.json': '',
    'warned.json': JSON.stringify(warnedPolicy),
  });
  dirFd = openSync(at('a-directory'), 'r');
});
afterAll(() => closeSync(dirFd));

/** One line on stderr, naming the tool, and exit 2. */
function expectOneLineError(r: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^oss-source-guard: [^\n]+\n$/);
  expect(r.stderr).toMatch(pattern);
}

describe.concurrent('global', () => {
  it('--help lists every command and exits 0; so do -h, help and no arguments', async () => {
    // -h and `help COMMAND` are covered with the commands below.
    for (const args of [['--help'], []]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: oss-source-guard <command>/);
      for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
      expect(r.stderr).toBe('');
    }
  });

  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('help COMMAND, COMMAND --help and COMMAND -h print the command usage', async () => {
    const forms = (c: string) => [
      ['help', c],
      [c, '--help'],
      [c, '-h'],
    ];
    for (const [i, c] of COMMANDS.entries()) {
      const r = await runCli(forms(c)[i % 3] as string[]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: oss-source-guard ${c} `));
      expect(r.stdout).toMatch(/Exit status: 0 /);
      expect(r.stdout).toMatch(/--json/);
    }
  });

  it('an unknown command or global option is a usage error', async () => {
    expectOneLineError(
      await runCli(['frobnicate']),
      /unknown command "frobnicate" \(see oss-source-guard --help\)/,
    );
    expectOneLineError(await runCli(['help', 'frobnicate']), /unknown command "frobnicate"/);
    expectOneLineError(
      await runCli(['--json', 'check']),
      /unknown option --json \(options go after the command\)/,
    );
  });

  it('every command refuses an unknown flag, naming it and its --help', async () => {
    for (const c of COMMANDS) {
      expectOneLineError(
        await runCli([c, '--frob', 'x']),
        new RegExp(`unknown option --frob \\(see oss-source-guard ${c} --help\\)`),
      );
    }
    expectOneLineError(await runCli(['check', '-q']), /unknown option -q/);
  });

  it('refuses a missing, ambiguous or unexpected option value, and a repeated option', async () => {
    expectOneLineError(await runCli(['check', '/a', '--policy']), /option --policy needs a value/);
    expectOneLineError(
      await runCli(['check', '--policy', '--json', '/a']),
      /option --policy needs a value, not the option --json \(write --policy=--json if you mean it\)/,
    );
    expectOneLineError(
      await runCli(['validate', '--json=yes', 'x']),
      /option --json takes no value/,
    );
    expectOneLineError(
      await runCli(['check', '--policy', 'a', '--policy', 'b', '/a']),
      /option --policy given more than once/,
    );
  });
});

describe.concurrent('validate', () => {
  it('a valid policy: one line per file, exit 0', async () => {
    const r = await runCli(['validate', at('policy.json'), at('bom.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${at('policy.json')}: valid (3 rules, 2 extensions, 2 delimiters, 3 styles)\n` +
        `${at('bom.json')}: valid (3 rules, 2 extensions, 2 delimiters, 3 styles)\n`,
    );
    expect(r.stderr).toBe('');
  });

  it('an invalid policy: every problem as `file:line:column: path: message [code]`, exit 1', async () => {
    const result = validatePolicy(invalidPolicy);
    if (result.ok) throw new Error('the fixture must be invalid');
    expect(result.issues.length).toBe(INVALID_AT.length);
    const file = at('invalid.json');
    const r = await runCli(['validate', at('policy.json'), file]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').slice(1, -1)).toEqual(
      result.issues.map((i, n) => {
        const { line, column } = INVALID_AT[n] as { line: number; column: number };
        return `${file}:${line}:${column}: ${i.at}: ${i.message} [${i.code}]`;
      }),
    );
  });

  it('reads a policy from standard input with -', async () => {
    const ok = await runCli(['validate', '-'], { input: example });
    expect(ok).toMatchObject({
      code: 0,
      stdout: '<stdin>: valid (3 rules, 2 extensions, 2 delimiters, 3 styles)\n',
    });
    const bad = await runCli(['validate', '-'], { input: JSON.stringify(invalidPolicy) });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^<stdin>:1:\d+: bogus: .* \[unknown-field\]$/m);
    expectOneLineError(
      await runCli(['validate', '-', '-']),
      /standard input \(-\) can be read only once/,
    );
  });

  it('--json: {files: [{file, ok, issues, policy?, error?}]}, same exit codes', async () => {
    const r = await runCli(['validate', '--json', at('policy.json'), at('invalid.json')]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['files']);
    const [valid, invalid] = out.files;
    const normalised = validatePolicy(JSON.parse(example));
    expect(valid).toEqual({
      file: at('policy.json'),
      ok: true,
      issues: [],
      warnings: [],
      policy: JSON.parse(JSON.stringify(normalised.ok && normalised.policy)),
    });
    const result = validatePolicy(invalidPolicy);
    if (result.ok) throw new Error('the fixture must be invalid');
    expect(invalid).toEqual({
      file: at('invalid.json'),
      ok: false,
      issues: result.issues.map((i, n) => JSON.parse(JSON.stringify({ ...i, ...INVALID_AT[n] }))),
      warnings: [],
    });
    for (const issue of invalid.issues)
      expect(Object.keys(issue).sort()).toEqual([
        'at',
        'code',
        'column',
        'line',
        'message',
        'path',
      ]);

    const missing = await runCli(['validate', '--json', at('policy.json'), at('nope.json')]);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).files[1]).toEqual({
      file: at('nope.json'),
      ok: false,
      issues: [],
      warnings: [],
      error: `cannot read ${at('nope.json')}: no such file or directory (ENOENT)`,
    });
    expect(missing.stderr).toMatch(/cannot read .*nope\.json/);
  });

  it('needs at least one file', async () => {
    expectOneLineError(await runCli(['validate']), /validate needs a policy file/);
  });

  it('prints the lint warnings (S9) of a valid policy, and still exits 0', async () => {
    const file = at('warned.json');
    const warnings = lintPolicy(definePolicy(warnedPolicy as PolicyInput));
    expect(warnings.map((w) => w.code)).toEqual([
      'prefix-not-folder',
      'delimiters-without-catalogue',
    ]);
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(1, -1)).toEqual(
      warnings.map((w, n) => {
        const { line, column } = WARNED_AT[n] as { line: number; column: number };
        return `${file}:${line}:${column}: warning: ${w.at}: ${w.message} [${w.code}]`;
      }),
    );
    const json = await runCli(['validate', '--json', file]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).files[0].warnings).toEqual(
      warnings.map((w, n) => JSON.parse(JSON.stringify({ ...w, ...WARNED_AT[n] }))),
    );
  });

  it('--strict makes warnings fail (exit 1), and passes a policy without warnings', async () => {
    expect((await runCli(['validate', '--strict', at('warned.json')])).code).toBe(1);
    expect((await runCli(['validate', '--strict', '--json', at('warned.json')])).code).toBe(1);
    expect((await runCli(['validate', '--strict', at('policy.json')])).code).toBe(0);
  });
});

describe.concurrent('bad input: one line on stderr, exit 2, no stack trace', () => {
  it('a missing file', async () => {
    const file = at('missing.json');
    for (const args of [
      ['validate', file],
      ['check', '--policy', file, '/a.jpg'],
    ]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `oss-source-guard: cannot read ${file}: no such file or directory (ENOENT)\n`,
      );
    }
  });

  it('a directory instead of a file', async () => {
    const r = await runCli(['validate', at('a-directory')]);
    expectOneLineError(r, /cannot read .*a-directory: illegal operation on a directory \(EISDIR\)/);
  });

  it('invalid JSON, with the line and column', async () => {
    const file = at('broken.json');
    for (const args of [
      ['validate', file],
      ['diff', '--from', file, '--to', file, '-'],
    ]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `oss-source-guard: ${file}: invalid JSON at line 4, column 3: Unexpected token ']'\n`,
      );
    }
    expectOneLineError(
      await runCli(['validate', at('empty.json')]),
      /empty\.json: invalid JSON at line 1, column 1: Unexpected end of JSON input/,
    );
  });

  it('unreadable standard input (a directory)', async () => {
    for (const args of [
      ['validate', '-'],
      ['audit', '--policy', at('policy.json'), '-'],
    ]) {
      const r = await runCli(args, { stdinFd: dirFd });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('oss-source-guard: cannot read <stdin>: it is a directory (EISDIR)\n');
    }
  });

  it('an invalid policy where one is needed: every problem on stderr', async () => {
    const file = at('invalid.json');
    const result = validatePolicy(invalidPolicy);
    const r = await runCli(['check', '--policy', file, '/a.jpg']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        `oss-source-guard: ${file} is not a valid policy (${result.ok ? 0 : result.issues.length} problems):`,
        ...(result.ok
          ? []
          : result.issues.map((i, n) => {
              const { line, column } = INVALID_AT[n] as { line: number; column: number };
              return `  ${file}:${line}:${column}: ${i.at}: ${i.message} [${i.code}]`;
            })),
        '',
      ].join('\n'),
    );
  });
});

describe.concurrent('colour', () => {
  const invalid = () => ['validate', at('invalid.json'), at('policy.json')];

  it('none when stdout is not a terminal, or with NO_COLOR (even with FORCE_COLOR)', async () => {
    for (const env of [{}, { NO_COLOR: '1', FORCE_COLOR: '1' }, { FORCE_COLOR: '0' }]) {
      const r = await runCli(invalid(), { env });
      expect(hasAnsi(r.stdout)).toBe(false);
      expect(r.stdout).toMatch(/\[unknown-field\]/);
    }
  });

  it('with FORCE_COLOR (an empty NO_COLOR does not count)', async () => {
    const r = await runCli(invalid(), { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(r.stdout).toContain('\x1b[31m[unknown-field]\x1b[39m');
    expect(r.stdout).toContain('\x1b[32mvalid\x1b[39m');
  });
});
