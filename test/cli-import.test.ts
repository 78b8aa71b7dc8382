/**
 * Issue 13 through the built CLI, run as a child process: `import` and `export` (SPEC S10),
 * signatures that are detected or verified (`--secret`, `--secrets`), the hints `check` adds, the
 * exit-status contract across every command (and word for word in the help, the README and
 * docs/cli.md), line and column on every problem with `--format github` annotations, and the
 * invalid and unreachable keys `audit` counts apart (SPEC S9 R2).
 */
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_POLICY } from '../src/cli/example-policy.js';
import { definePolicy, type PolicyInput, policyFromOssXml, policyToOssXml } from '../src/index.js';
import { fixtureDir, runCli } from './support/cli.js';

const H = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';
const NOW = '2026-11-28T00:30:00Z';

const PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<BucketProcessConfiguration>
  <CompliedHost>Both</CompliedHost>
  <SourceFileProtect>Enabled</SourceFileProtect>
  <SourceFileProtectSuffix>jpg,.PNG</SourceFileProtectSuffix>
  <StyleDelimiters>-,!</StyleDelimiters>
  <OssDomainSupportAtProcess>Enabled</OssDomainSupportAtProcess>
</BucketProcessConfiguration>
`;
const STYLES =
  '<StyleList>\n  <Style><Name>small</Name><Content>image/resize,w_100</Content></Style>\n  <Style><Name>thumb</Name></Style>\n</StyleList>\n';
/** Line 6, column 22: the "|" in StyleDelimiters. */
const BAD_DELIMITER = PROCESS.replace('-,!', '-,|');
const DTD = `<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<BucketProcessConfiguration>&xxe;</BucketProcessConfiguration>`;
const RULED = { rules: [{ prefix: 'image/' }], extensions: ['jpg'], styles: ['small'] };
/** A policy file written over several lines, so that positions have lines. */
const pretty = (p: unknown) => `${JSON.stringify(p, null, 2)}\n`;

let dir: string;
const at = (name: string) => join(dir, name);

beforeAll(() => {
  dir = fixtureDir({
    'process.xml': PROCESS,
    'styles.xml': STYLES,
    'bad-delimiter.xml': BAD_DELIMITER,
    'dtd.xml': DTD,
    'not-xml.xml': '{"rules": []}',
    'ruled.json': pretty(RULED),
    'example.json': pretty(EXAMPLE_POLICY),
    'empty.json': '{}\n',
    'invalid.json': pretty({ rules: [{ prefix: '/x' }] }),
    'broken.json': '{\n  "rules": [\n',
    'no-underscore.json': pretty({ ...EXAMPLE_POLICY, delimiters: ['!'] }),
    'secrets.json': JSON.stringify({ ak: 'sk', other: 'sk2' }),
    'secrets-bad.json': JSON.stringify({ ak: 7 }),
    'keys.txt':
      '/lead.jpg\nimage/a.jpg\n\\back.jpg\nimage/../b.jpg\nimage/./c.jpg\nphotos/d.jpg!\nphotos/e.jpg-!\ndocs/f.txt!\nimage/x!\n',
    'exposing.json': pretty({ rules: [{ prefix: 'image/' }] }),
  });
});

describe.concurrent('import', () => {
  it('prints the policy the library makes; warnings on stderr with file:line:column', async () => {
    const r = await runCli(['import', at('process.xml'), '--styles', at('styles.xml')]);
    expect(r.code).toBe(0);
    const result = policyFromOssXml(PROCESS, STYLES);
    if (!result.ok) throw new Error('the fixture must import');
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(result.policy)));
    expect(JSON.parse(r.stdout)).toMatchObject({
      extensions: ['jpg', 'png'],
      delimiters: ['!', '-'],
      styles: ['small', 'thumb'],
      atProcessing: true,
    });
    // The output is a policy file: validate takes it.
    expect(r.stderr).toBe(
      `${at('process.xml')}:2:1: warning: BucketProcessConfiguration: ${result.warnings[0]?.message} [rules-not-in-api]\n`,
    );
  });

  it('the output is a valid policy file, and - reads standard input', async () => {
    const r = await runCli(['import', '-'], { input: PROCESS });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^<stdin>:2:1: warning: /);
    const v = await runCli(['validate', '-'], { input: r.stdout });
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(
      /^<stdin>: valid \(0 rules, 2 extensions, 2 delimiters, no style catalogue\)/,
    );
  });

  it('--json: {ok, policy, issues, warnings}, each placed in its file', async () => {
    const r = await runCli(['import', '--json', at('process.xml'), '--styles', at('styles.xml')]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['ok', 'policy', 'issues', 'warnings']);
    expect(out.ok).toBe(true);
    expect(out.issues).toEqual([]);
    expect(out.warnings).toEqual([
      expect.objectContaining({
        file: at('process.xml'),
        document: 'processConfiguration',
        code: 'rules-not-in-api',
        line: 2,
        column: 1,
      }),
    ]);
  });

  it('a configuration problem: exit 1, with the line and column of the entry', async () => {
    const r = await runCli(['import', at('bad-delimiter.xml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(
      `${at('bad-delimiter.xml')}:6:22: BucketProcessConfiguration.StyleDelimiters[1]: "|" is not a style delimiter; OSS offers "-", "_", "/" and "!". [invalid-delimiter]`,
    );
    const styles = await runCli([
      'import',
      '--json',
      at('process.xml'),
      '--styles',
      at('bad-delimiter.xml'),
    ]);
    expect(styles.code).toBe(1);
    expect(JSON.parse(styles.stdout).issues).toEqual([
      expect.objectContaining({
        file: at('bad-delimiter.xml'),
        document: 'styleList',
        code: 'wrong-root',
        line: 2,
        column: 1,
      }),
    ]);
  });

  it('XML this reader refuses (a DTD, not XML at all): exit 2, still with the position', async () => {
    const dtd = await runCli(['import', at('dtd.xml')]);
    expect(dtd.code).toBe(2);
    expect(dtd.stderr).toMatch(
      /^.*dtd\.xml:2:1: \(root\): A document type declaration .* \[xml-dtd\]\n$/,
    );
    const json = await runCli(['import', at('not-xml.xml')]);
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/not-xml\.xml:1:1: .*\[xml-syntax\]/);
  });

  it('--format github: annotations on stderr, the policy still on stdout', async () => {
    const bad = await runCli(['import', '--format', 'github', at('bad-delimiter.xml')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.split('\n')[0]).toBe(
      `::error file=${at('bad-delimiter.xml')},line=6,col=22,title=oss-source-guard invalid-delimiter::BucketProcessConfiguration.StyleDelimiters[1]: "|" is not a style delimiter; OSS offers "-", "_", "/" and "!".`,
    );
    const ok = await runCli(['import', '--format', 'github', at('process.xml')]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(
      /^::warning file=.*process\.xml,line=2,col=1,title=oss-source-guard rules-not-in-api::/,
    );
    expect(JSON.parse(ok.stdout).extensions).toEqual(['jpg', 'png']);
  });

  it('usage and input errors exit 2', async () => {
    for (const [args, message] of [
      [['import'], /import needs the processConfiguration XML file/],
      [['import', 'a.xml', 'b.xml'], /import reads one processConfiguration file, got 2/],
      [['import', '-', '--styles', '-'], /standard input \(-\) can be read only once/],
      [
        ['import', '--json', '--format', 'github', 'a.xml'],
        /--json and --format github cannot be combined/,
      ],
      [
        ['import', '--format', 'sarif', 'a.xml'],
        /option --format needs text or github, not "sarif"/,
      ],
      [['import', 'missing.xml'], /cannot read missing\.xml: no such file or directory/],
    ] as const) {
      const r = await runCli([...args], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe.concurrent('export', () => {
  it('prints the XML the library writes; what it cannot carry is a warning at its line', async () => {
    const r = await runCli(['export', at('ruled.json')]);
    expect(r.code).toBe(0);
    const out = policyToOssXml(definePolicy(RULED as PolicyInput));
    expect(r.stdout).toBe(out.xml);
    // "rules" is on line 2 of ruled.json, "styles" on line 10.
    expect(r.stderr).toBe(
      `${at('ruled.json')}:2:12: warning: rules: ${out.warnings[0]?.message} [rules-not-carried]\n` +
        `${at('ruled.json')}:10:13: warning: styles: ${out.warnings[1]?.message} [styles-not-carried]\n`,
    );
  });

  it('--styles FILE writes the catalogue; import reads both back to the same policy', async () => {
    const work = fixtureDir({
      'policy.json': pretty({ extensions: ['*'], delimiters: ['_'], styles: ['a', 'b.c'] }),
    });
    const r = await runCli([
      'export',
      join(work, 'policy.json'),
      '--styles',
      join(work, 'styles.xml'),
    ]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(work, 'styles.xml'), 'utf8')).toMatch(/<Name>b\.c<\/Name>/);
    const back = await runCli(['import', '-', '--styles', join(work, 'styles.xml')], {
      input: r.stdout,
    });
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout)).toEqual(
      JSON.parse(
        JSON.stringify(
          definePolicy({ extensions: ['*'], delimiters: ['_'], styles: ['a', 'b.c'] }),
        ),
      ),
    );
    const none = await runCli(['export', at('empty.json'), '--styles', join(work, 'none.xml')]);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/has no style catalogue; .*none\.xml is not written/);
    expect(existsSync(join(work, 'none.xml'))).toBe(false);
  });

  it('--json: {xml, styleListXml, warnings}', async () => {
    const r = await runCli(['export', '--json', at('ruled.json')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(
      JSON.parse(JSON.stringify(policyToOssXml(definePolicy(RULED as PolicyInput)))),
    );
  });

  it('an invalid policy is an input error (exit 2), every problem with its position', async () => {
    const r = await runCli(['export', at('invalid.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `oss-source-guard: ${at('invalid.json')} is not a valid policy (1 problem):\n  ${at('invalid.json')}:4:17: rules[0].prefix: The prefix starts with "/", which no object key can; drop the leading "/". [leading-slash]\n`,
    );
    const broken = await runCli(['export', at('broken.json')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json: invalid JSON at line 3, column 1/);
  });
});

/** A V1 signed URL, signed as SPEC S8 says (StringToSign, HMAC-SHA1, Base64). */
function signV1(key: string, accessKeyId: string, secret: string, expires: number): string {
  const signature = createHmac('sha1', secret)
    .update(`GET\n\n\n${expires}\n/examplebucket/${key}`)
    .digest('base64');
  return `${H}/${key}?OSSAccessKeyId=${accessKeyId}&Expires=${expires}&Signature=${encodeURIComponent(signature)}`;
}

describe.concurrent('signatures: detected, or verified with --secret / --secrets', () => {
  const forged = `${H}/image/a.jpg?OSSAccessKeyId=ak&Expires=9999999999&Signature=forged`;
  const valid = signV1('image/a.jpg', 'ak', 'sk', 1_800_000_000);

  it('without secrets a forged signature is allowed, saying it was not verified', async () => {
    const r = await runCli(['check', '--now', NOW, forged]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^ALLOW {2}- {2}signed request \(oss-v1, query\), signature detected, not verified /,
    );
    expect(r.stdout).toMatch(
      /\n {6}hint: The signature was only detected: a forged one passes too\. Pass --secret/,
    );
    const json = await runCli(['check', '--json', '--now', NOW, forged]);
    expect(JSON.parse(json.stdout).results[0]).toMatchObject({ verification: 'not-checked' });
    const explain = await runCli(['explain', '--now', NOW, forged]);
    expect(explain.stdout).toMatch(
      /signature {2}signed: oss-v1 in the query, AccessKeyId ak, .*; detected, not verified/,
    );
  });

  it('--secret verifies: the valid URL passes, the forged one is denied as OSS denies it', async () => {
    const r = await runCli(['check', '--json', '--now', NOW, '--secret', 'ak:sk', valid, forged]);
    expect(r.code).toBe(1);
    const [ok, bad] = JSON.parse(r.stdout).results;
    expect(ok).toMatchObject({
      verification: 'valid',
      decision: { allow: true, reason: 'signed' },
    });
    expect(bad).toMatchObject({
      verification: 'invalid',
      decision: {
        allow: false,
        reason: 'invalid-signature',
        status: 403,
        code: 'SignatureDoesNotMatch',
      },
    });
    const text = await runCli(['check', '--now', NOW, '--secret', 'ak:sk', valid]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^ALLOW {2}- {2}signed request \(oss-v1, query\), signature verified /,
    );
    expect(text.stdout).not.toMatch(/hint:/);
    const explain = await runCli(['explain', '--now', NOW, '--secret', 'ak:sk', valid]);
    expect(explain.stdout).toMatch(/AccessKeyId ak, .*; verified with the given secret/);
  });

  it('--secrets FILE, repeatable --secret, an unknown AccessKeyId', async () => {
    const other = signV1('image/a.jpg', 'other', 'sk2', 1_800_000_000);
    const r = await runCli([
      'check',
      '--json',
      '--now',
      NOW,
      '--secrets',
      at('secrets.json'),
      valid,
      other,
    ]);
    expect(r.code).toBe(0);
    expect(
      JSON.parse(r.stdout).results.map((x: { verification: string }) => x.verification),
    ).toEqual(['valid', 'valid']);
    const two = await runCli([
      'check',
      '--now',
      NOW,
      '--secret',
      'x:y',
      '--secret',
      'other:sk2',
      other,
    ]);
    expect(two.code).toBe(0);
    const unknown = await runCli(['check', '--json', '--now', NOW, '--secret', 'x:y', valid]);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout).results[0].decision).toMatchObject({
      code: 'InvalidAccessKeyId',
    });
  });

  it('a bad --secret or secrets file is an error (exit 2), and never echoes the secret', async () => {
    const r = await runCli(['check', '--secret', 'nocolon', '/a.jpg']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--secret needs ACCESS_KEY_ID:SECRET, not "nocolon"/);
    const leak = await runCli(['check', '--secret', ':s3cr3t', '/a.jpg']);
    expect(leak.code).toBe(2);
    expect(leak.stderr).not.toMatch(/s3cr3t/);
    const file = await runCli(['check', '--secrets', at('secrets-bad.json'), '/a.jpg']);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/the secret of "ak" must be a non-empty string/);
    const missing = await runCli(['explain', '--secrets', at('nope.json'), '/a.jpg']);
    expect(missing.code).toBe(2);
  });
});

describe.concurrent('hints check and explain add', () => {
  const hints = async (policy: string, url: string, extra: string[] = []) => {
    const r = await runCli(['check', '--json', '--policy', at(policy), ...extra, url]);
    return JSON.parse(r.stdout).results[0].hints as string[];
  };

  it('a delimiter style missing from the catalogue', async () => {
    const r = await runCli(['check', '--policy', at('example.json'), `${H}/image/a.jpg!nosuch`]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[1]).toBe(
      '      hint: "nosuch" after the delimiter "!" is not in the policy\'s style catalogue (it has "small", "thumb", "watermarked"), so the whole path was read as the key image/a.jpg!nosuch; if the bucket has this style, add it to "styles".',
    );
  });

  it('a query style missing from the catalogue', async () => {
    expect(await hints('example.json', `${H}/image/a.jpg?x-oss-process=style/big`)).toEqual([
      'The style "big" is not in the policy\'s style catalogue (it has "small", "thumb", "watermarked"); if the bucket has this style, add it to "styles".',
    ]);
  });

  it('a delimiter that is not enabled', async () => {
    expect(await hints('example.json', `${H}/image/a.jpg_small`)).toEqual([
      '"_" is not an enabled delimiter (enabled: "!", "-"), so image/a.jpg_small was read as the key; if the bucket enables "_" (StyleDelimiters), add it to "delimiters", or use ?x-oss-process=style/small.',
    ]);
    expect(await hints('no-underscore.json', `${H}/image/a.jpg-thumb`)).toEqual([
      expect.stringMatching(/^"-" is not an enabled delimiter \(enabled: "!"\)/),
    ]);
  });

  it('no delimiter hint for names that are file names, or a style the catalogue lacks', async () => {
    const noCatalogue = fixtureDir({ 'p.json': pretty({ rules: [{ prefix: 'image/' }] }) });
    const r = await runCli([
      'check',
      '--json',
      '--policy',
      join(noCatalogue, 'p.json'),
      `${H}/image/my_photo.jpg`,
      `${H}/image/2024/a-b.jpg`,
    ]);
    expect(JSON.parse(r.stdout).results.map((x: { hints: string[] }) => x.hints)).toEqual([[], []]);
    expect(await hints('example.json', `${H}/image/a.jpg_large`)).toEqual([]);
  });

  it('an unmapped custom domain, allowed or denied; none once it is mapped', async () => {
    const url = 'https://img.example.com/docs/a.txt';
    expect(await hints('example.json', url)).toEqual([
      'img.example.com is not an OSS endpoint and no bucket is mapped to it, so the bucket is unknown (signatures cannot be verified without it); pass --bucket-map img.example.com=BUCKET or --bucket BUCKET.',
    ]);
    expect(
      await hints('example.json', url, ['--bucket-map', 'img.example.com=examplebucket']),
    ).toEqual([]);
    expect(await hints('example.json', url, ['--bucket', 'examplebucket'])).toEqual([]);
    expect(await hints('example.json', `${H}/docs/a.txt`)).toEqual([]);
  });

  it('explain prints the hints too, after the decision', async () => {
    const r = await runCli(['explain', '--policy', at('example.json'), `${H}/image/a.jpg_small`]);
    expect(r.stdout.split('\n')[1]).toMatch(/^ {6}hint: "_" is not an enabled delimiter/);
  });
});

/**
 * The contract's text in a Markdown file: the lines of its fenced block, as printed, without the
 * indentation the block has inside a list item.
 */
function contractIn(markdown: string, first: string): string {
  const start = markdown.indexOf(first);
  if (start === -1) return '';
  const indent = start - (markdown.lastIndexOf('\n', start) + 1);
  const end = markdown.indexOf('```', start);
  return markdown
    .slice(start - indent, markdown.lastIndexOf('\n', end))
    .split('\n')
    .map((line) => line.slice(indent))
    .join('\n');
}

describe.concurrent('the exit-status contract', () => {
  it('is stated word for word in the top-level help, the README and docs/cli.md', async () => {
    const help = (await runCli(['--help'])).stdout;
    const first = 'Exit status, the same for every command:';
    const contract = help.slice(help.indexOf(first), help.indexOf('\n\nExample:'));
    expect(contract.split('\n')).toHaveLength(8);
    const root = join(import.meta.dirname, '..');
    for (const file of ['README.md', 'docs/cli.md'])
      expect(contractIn(readFileSync(join(root, file), 'utf8'), first), file).toBe(contract);
  });

  const H_DENIED = `${H}/image/a.jpg`;
  const H_ALLOWED = `${H}/image/a.jpg?x-oss-process=style/small`;
  // [command line, exit status]: every command's yes, no, usage error and input error.
  const table: [string, string[], number][] = [
    ['validate: a valid policy', ['validate', 'example.json'], 0],
    ['validate: an invalid policy is the answer no', ['validate', 'invalid.json'], 1],
    ['validate --strict: a warning is no', ['validate', '--strict', 'empty.json'], 1],
    ['validate: not JSON', ['validate', 'broken.json'], 2],
    ['import: a configuration', ['import', 'process.xml'], 0],
    ['import: a configuration problem is no', ['import', 'bad-delimiter.xml'], 1],
    ['import: a DTD is refused input', ['import', 'dtd.xml'], 2],
    ['export: a policy', ['export', 'ruled.json'], 0],
    ['export: an invalid policy is unusable input', ['export', 'invalid.json'], 2],
    ['check: allowed', ['check', '--policy', 'example.json', H_ALLOWED], 0],
    ['check: denied', ['check', '--policy', 'example.json', H_DENIED], 1],
    [
      'check --policy invalid.json: unusable input, not a denial',
      ['check', '--policy', 'invalid.json', H_ALLOWED],
      2,
    ],
    ['explain: denied', ['explain', '--policy', 'example.json', H_DENIED], 1],
    ['explain --policy invalid.json', ['explain', '--policy', 'invalid.json', H_DENIED], 2],
    [
      'audit: a report, invalid keys included',
      ['audit', '--policy', 'example.json', 'keys.txt'],
      0,
    ],
    ['audit --policy invalid.json', ['audit', '--policy', 'invalid.json', 'keys.txt'], 2],
    [
      'diff: nothing exposed',
      ['diff', '--from', 'example.json', '--to', 'example.json', 'keys.txt'],
      0,
    ],
    [
      'diff: keys exposed is no',
      ['diff', '--from', 'example.json', '--to', 'exposing.json', 'keys.txt'],
      1,
    ],
    [
      'diff --to invalid.json',
      ['diff', '--from', 'example.json', '--to', 'invalid.json', 'keys.txt'],
      2,
    ],
    ['serve --policy invalid.json', ['serve', '--policy', 'invalid.json', '--root', '.'], 2],
  ];
  for (const [clause, args, code] of table)
    it(`${clause} → ${code}`, async () => {
      const r = await runCli(args, { cwd: dir });
      expect(r.code, r.stderr).toBe(code);
    });

  it('every command: a usage error → 2, a missing file → 2', async () => {
    for (const command of [
      'validate',
      'import',
      'export',
      'check',
      'explain',
      'audit',
      'diff',
      'serve',
    ]) {
      const r = await runCli([command, '--no-such-option'], { cwd: dir });
      expect(r.code, command).toBe(2);
    }
    for (const args of [
      ['validate', 'nope.json'],
      ['import', 'nope.xml'],
      ['import', 'process.xml', '--styles', 'nope.xml'],
      ['export', 'nope.json'],
      ['check', '--policy', 'nope.json', H_DENIED],
      ['audit', '--policy', 'example.json', 'nope.txt'],
      ['diff', '--from', 'nope.json', '--to', 'example.json', 'keys.txt'],
    ]) {
      const r = await runCli(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/no such file or directory \(ENOENT\)/);
    }
  });
});

describe.concurrent('validate --format github', () => {
  it('one annotation per problem and warning, with file, line and column', async () => {
    const r = await runCli(['validate', '--format', 'github', 'invalid.json', 'empty.json'], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      '::error file=invalid.json,line=4,col=17,title=oss-source-guard leading-slash::rules[0].prefix: The prefix starts with "/", which no object key can; drop the leading "/".',
      'empty.json: valid (0 rules, 0 extensions, 0 delimiters, no style catalogue)',
      expect.stringMatching(
        /^::warning file=empty\.json,line=1,col=1,title=oss-source-guard protects-nothing::\(root\): The policy has no rules and no extensions/,
      ),
      '',
    ]);
  });

  it('escapes what workflow commands reserve, names no file for stdin, places JSON errors', async () => {
    const r = await runCli(['validate', '--format', 'github', '-'], { input: '{"a%b\\nc": 1}' });
    expect(r.code).toBe(1);
    // One line: "%" and the newline in the field's name are escaped; no file for stdin.
    expect(r.stdout).toMatch(
      /^::error line=1,col=2,title=oss-source-guard unknown-field::\["a%25b\\nc"\]: Unknown field "a%25b%0Ac" in the policy; [^\n]*\n$/,
    );
    const odd = fixtureDir({ 'a,b:c%.json': '{"x": 1}' });
    const named = await runCli(['validate', '--format', 'github', join(odd, 'a,b:c%.json')]);
    expect(named.stdout).toMatch(/^::error file=.*a%2Cb%3Ac%25\.json,line=1,col=2,/);
    const broken = await runCli(['validate', '--format', 'github', 'broken.json'], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stdout).toBe(
      '::error file=broken.json,line=3,col=1,title=oss-source-guard unreadable::broken.json: invalid JSON at line 3, column 1: Unexpected end of JSON input\n',
    );
  });

  it('--json and --format github cannot be combined; other formats are refused', async () => {
    expect((await runCli(['validate', '--json', '--format', 'github', 'a.json'])).code).toBe(2);
    expect((await runCli(['validate', '--format', 'junit', 'a.json'])).stderr).toMatch(
      /option --format needs text or github, not "junit"/,
    );
  });
});

describe.concurrent('audit: invalid keys apart, keys a raw URL cannot reach', () => {
  it('counts /lead.jpg as invalid with its reason, never as protected', async () => {
    const r = await runCli(['audit', '--json', '--policy', at('example.json'), at('keys.txt')]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.total).toBe(9);
    expect(out.invalid).toEqual({
      count: 2,
      reasons: [{ reason: 'leading-slash', count: 2, samples: ['/lead.jpg', '\\back.jpg'] }],
    });
    expect(out.protected + out.unprotected + out.invalid.count).toBe(out.total);
    const everySample = [
      ...out.rules.flatMap((x: { samples: string[] }) => x.samples),
      ...out.extensions.flatMap((x: { samples: string[] }) => x.samples),
      ...out.unprotectedSamples,
    ];
    expect(everySample).not.toContain('/lead.jpg');
    // The key before the trailing delimiter is protected for photos/d.jpg! (jpg), photos/e.jpg-!
    // (cut at "-") and image/x! ("image/"); not for docs/f.txt!.
    expect(out.unreachable).toEqual({
      count: 5,
      reasons: [
        { reason: 'dot-segment', count: 2, samples: ['image/../b.jpg', 'image/./c.jpg'] },
        {
          reason: 'trailing-delimiter',
          count: 3,
          samples: ['photos/d.jpg!', 'photos/e.jpg-!', 'image/x!'],
        },
      ],
    });
  });

  it('prints both counts and their samples', async () => {
    const r = await runCli(['audit', '--policy', at('example.json'), at('keys.txt')]);
    expect(r.stdout).toMatch(/^invalid {13}2 {2}22\.2% {2}not OSS object keys, counted apart$/m);
    expect(r.stdout).toMatch(/^keys a raw URL cannot reach: 5$/m);
    expect(r.stdout).toMatch(/^ +2 {2}dot-segment {9}protected, with a "\." or "\.\." segment/m);
    expect(r.stdout).toMatch(/^invalid keys: 2\n +2 {2}leading-slash {2}starts with "\/" or "\\"/m);
    expect(r.stdout).toMatch(/^ {2}invalid \(leading-slash\)\n {4}\/lead\.jpg\n/m);
    expect(r.stdout).toMatch(/^ {2}unreachable \(trailing-delimiter\)\n {4}photos\/d\.jpg!\n/m);
  });
});
