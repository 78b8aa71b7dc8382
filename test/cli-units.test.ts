/**
 * The CLI's building blocks, in process: the streaming key reader (chunk boundaries, UTF-8 split
 * across chunks), the `ossutil ls` parser, the JSON error locator, quoting, colour and progress.
 * The commands themselves are tested as a child process in the other test/cli*.test.ts files.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNow } from '../src/cli/args.js';
import { describeSystemError } from '../src/cli/errors.js';

import { looksLikeOssutil, MAX_LINE, ossutilKey, readListing } from '../src/cli/keys.js';
import { colourEnabled, columns, count, Progress, paintFor, quote } from '../src/cli/output.js';
import { fixtureDir } from './support/cli.js';

describe('readListing', () => {
  const read = async (file: string, format: 'auto' | 'keys' | 'ossutil' = 'auto') => {
    const keys: string[] = [];
    const stats = await readListing(file, format, (batch) => keys.push(...batch));
    return { keys, stats };
  };

  it('splits lines across chunk boundaries, including UTF-8 characters cut in two', async () => {
    // Keys of every length 1..700 with multi-byte characters: over 1 MB, so several 256 KiB
    // chunks, and the boundaries fall inside lines and inside characters.
    const keys = Array.from(
      { length: 3000 },
      (_, i) => `${'图'.repeat(i % 7)}k${i}/${'é😀x'.repeat(i % 230)}`,
    );
    const dir = fixtureDir({ 'keys.txt': `${keys.join('\n')}\n`, 'no-eol.txt': keys.join('\r\n') });
    expect(Buffer.byteLength(keys.join('\n'))).toBeGreaterThan(1_000_000);
    const a = await read(join(dir, 'keys.txt'));
    expect(a.keys).toEqual(keys);
    expect(a.stats).toEqual({ format: 'keys', lines: keys.length, keys: keys.length, skipped: 0 });
    const b = await read(join(dir, 'no-eol.txt'));
    expect(b.keys).toEqual(keys);
  });

  it('refuses a line longer than MAX_LINE, inside a chunk or across chunks', async () => {
    const dir = fixtureDir({
      'short.txt': `a\n${'x'.repeat(MAX_LINE + 1)}\n`,
      'long.txt': `a\n${'x'.repeat(MAX_LINE * 6)}`,
      'ok.txt': `${'x'.repeat(MAX_LINE)}\n`,
    });
    for (const f of ['short.txt', 'long.txt'])
      await expect(read(join(dir, f))).rejects.toThrow(/line 2 is longer than 65536 bytes/);
    expect((await read(join(dir, 'ok.txt'))).keys).toEqual(['x'.repeat(MAX_LINE)]);
  });

  it('detects ossutil output from the first non-blank line, unless told', async () => {
    const listing = [
      '',
      'LastModifiedTime   Size(B)  StorageClass   ETAG   ObjectName',
      '2024-05-01 10:00:00 +0800 CST   1234   Standard   ETAG   oss://bucket/a b.jpg',
      'oss://bucket/dir/',
      'Object Number is: 2',
    ].join('\n');
    const dir = fixtureDir({ 'ls.txt': listing });
    expect(await read(join(dir, 'ls.txt'))).toEqual({
      keys: ['a b.jpg', 'dir/'],
      stats: { format: 'ossutil', lines: 5, keys: 2, skipped: 3 },
    });
    expect((await read(join(dir, 'ls.txt'), 'keys')).stats).toMatchObject({ keys: 4, skipped: 1 });
  });
});

describe('ossutil ls lines', () => {
  it.each([
    [
      '2024-05-01 10:00:00 +0800 CST  1234  Standard  ETAG  oss://bucket/path/key.jpg',
      'path/key.jpg',
    ],
    ['2024-05-01 10:00:00 +0800 CST  1  Standard  ETAG  oss://bucket/a oss://b/c', 'a oss://b/c'],
    ['oss://bucket/key', 'key'],
    ['\toss://bucket/k', 'k'],
    ['oss://bucket/', undefined],
    ['oss://bucket', undefined],
    ['LastModifiedTime   Size(B) StorageClass ETAG ObjectName', undefined],
    ['Object Number is: 3', undefined],
    ['0.007379(s) elapsed', undefined],
    ['x-oss://bucket/key', undefined],
  ])('%j → %j', (line, key) => {
    expect(ossutilKey(line)).toBe(key);
  });

  it.each([
    ['LastModifiedTime   Size(B)  StorageClass   ETAG   ObjectName', true],
    ['2024-05-01 10:00:00 +0800 CST   12   Standard   ETAG   oss://b/k', true],
    ['oss://bucket/key', true],
    ['images/oss://x', false],
    ['2024-05-01 report.pdf', false],
  ])('looksLikeOssutil(%j) is %j', (line, yes) => {
    expect(looksLikeOssutil(line)).toBe(yes);
  });
});

describe('output', () => {
  it.each([
    ['image/a.jpg', 'image/a.jpg'],
    ['图片/猫.jpg', '图片/猫.jpg'],
    ['a b', '"a b"'],
    ['', '""'],
    ['new\nline', '"new\\u{a}line"'],
    ['esc\u001b[2J', '"esc\\u{1b}[2J"'],
    ['rtl\u202eexe.jpg', '"rtl\\u{202e}exe.jpg"'],
    ['q"\\', '"q\\"\\\\"'],
    ['nbsp\u00a0', '"nbsp\\u{a0}"'],
  ])('quote(%j) is %s', (text, quoted) => {
    expect(quote(text)).toBe(quoted);
  });

  it('colour: never with NO_COLOR, forced with FORCE_COLOR, else only on a terminal', () => {
    const tty = { isTTY: true, write: () => true };
    const pipe = { write: () => true };
    expect(colourEnabled(tty, {})).toBe(true);
    expect(colourEnabled(tty, { TERM: 'dumb' })).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: '' })).toBe(true);
    expect(colourEnabled(pipe, {})).toBe(false);
    expect(colourEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(colourEnabled(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourEnabled(pipe, { FORCE_COLOR: '1', NO_COLOR: 'x' })).toBe(false);
    expect(paintFor(pipe, {}).red('x')).toBe('x');
    expect(paintFor(pipe, { FORCE_COLOR: '1' }).red('x')).toBe('\u001b[31mx\u001b[39m');
  });

  it('columns align on visible width, colour codes excluded', () => {
    const red = paintFor({ write: () => true }, { FORCE_COLOR: '1' }).red;
    const lines = columns([
      [red('a'), 'b', 'c'],
      ['long', 'bb', 'c '],
    ]);
    expect(lines[0]).toBe(`${red('a')}     b   c`);
    expect(lines[1]).toBe('long  bb  c');
    expect(count(1234567)).toBe('1,234,567');
    expect(count(12)).toBe('12');
  });

  it('progress: only on a terminal, after the delay, throttled, erased when done', () => {
    let now = 0;
    const written: string[] = [];
    const tty = { isTTY: true, write: (s: string) => written.push(s) };
    const p = new Progress(tty, 'audit', () => now, 1000, 250);
    p.update(10);
    now = 999;
    p.update(20);
    expect(written).toEqual([]);
    now = 1000;
    p.update(30_000);
    now = 1100;
    p.update(40_000);
    now = 1250;
    p.update(50_000);
    p.done();
    expect(written).toEqual([
      '\raudit: 30,000 keys read…\u001b[K',
      '\raudit: 50,000 keys read…\u001b[K',
      '\r\u001b[K',
    ]);

    const piped: string[] = [];
    const q = new Progress({ write: (s: string) => piped.push(s) }, 'audit', () => now, 0, 0);
    q.update(1);
    q.done();
    expect(piped).toEqual([]);
  });
});

describe('arguments and messages', () => {
  it('--now takes ISO 8601 or Unix seconds only', () => {
    expect(parseNow('2024-05-01T10:00:00Z', 'check').toISOString()).toBe(
      '2024-05-01T10:00:00.000Z',
    );
    expect(parseNow('2024-05-01T10:00:00+08:00', 'check').toISOString()).toBe(
      '2024-05-01T02:00:00.000Z',
    );
    expect(parseNow('1714557600', 'check').toISOString()).toBe('2024-05-01T10:00:00.000Z');
    expect(parseNow('1714557600.5', 'check').getTime()).toBe(1714557600500);
    for (const bad of ['May 1 2024', '2024-13-45', 'soon', '', '-5'])
      expect(() => parseNow(bad, 'check'), bad).toThrow(
        /--now needs an ISO 8601 date-time or Unix seconds/,
      );
  });

  it('system errors read without the repeated path', () => {
    const error = Object.assign(new Error("ENOENT: no such file or directory, open 'x.json'"), {
      code: 'ENOENT',
    });
    expect(describeSystemError(error)).toBe('no such file or directory (ENOENT)');
    const read = Object.assign(new Error('EISDIR: illegal operation on a directory, read'), {
      code: 'EISDIR',
    });
    expect(describeSystemError(read)).toBe('illegal operation on a directory (EISDIR)');
    expect(describeSystemError(new Error('plain'))).toBe('plain');
  });
});

// Keep the fixture helper's directory creation honest for in-process tests too.
it('fixtureDir writes the files it is given', () => {
  const dir = fixtureDir({ 'a.txt': 'x' });
  writeFileSync(join(dir, 'b.txt'), 'y');
  expect(dir).toMatch(/oss-source-guard-cli-test-/);
});
