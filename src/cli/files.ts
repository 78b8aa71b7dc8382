/**
 * Reading whole inputs: text files or standard input (`-`), JSON with a line and column on
 * error, and policies (validated, with every problem listed on failure).
 */
import { fstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type Policy, validatePolicy } from '../index.js';
import type { Diagnostic } from './diagnostics.js';
import { describeSystemError, InputError } from './errors.js';
import { jsonOffsets, locate } from './positions.js';

/** How an input is named in messages: the file name, or `<stdin>` for `-`. */
export const inputLabel = (file: string): string => (file === '-' ? '<stdin>' : file);

/**
 * Node reads a directory given as standard input (`< some/dir`) as empty input, without an
 * error; a silent empty result would be wrong, so it is refused here.
 */
export function assertReadableStdin(): void {
  let isDirectory = false;
  try {
    isDirectory = fstatSync(0).isDirectory();
  } catch (error) {
    throw new InputError(`cannot read <stdin>: ${describeSystemError(error)}`);
  }
  if (isDirectory) throw new InputError('cannot read <stdin>: it is a directory (EISDIR)');
}

/** The whole text of a file, or of standard input for `-`. */
export async function readText(file: string): Promise<string> {
  try {
    if (file !== '-') return await readFile(file, 'utf8');
    assertReadableStdin();
    let text = '';
    process.stdin.setEncoding('utf8');
    for await (const chunk of process.stdin) text += chunk;
    return text;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${inputLabel(file)}: ${describeSystemError(error)}`);
  }
}

/**
 * Where JSON text first goes wrong (UTF-16 offset), or -1. V8 gives a position for some syntax
 * errors only ("Unexpected token '}', … is not valid JSON" has none), so the grammar is walked
 * here, once, after `JSON.parse` has failed.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const expect = (c: string) => {
    if (text[i] !== c) fail();
    i++;
  };
  const digits = (required: boolean) => {
    const start = i;
    while (text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    if (required && i === start) fail();
  };
  const HEX = /[0-9a-fA-F]/;
  // Positions follow V8's: the character after `\`, the first bad hex digit, the character after
  // `-`, `.` or `e`.
  const string = () => {
    expect('"');
    for (let c = text.charCodeAt(i); c !== 0x22; c = text.charCodeAt(i)) {
      if (Number.isNaN(c) || c < 0x20) fail();
      i++;
      if (c !== 0x5c) continue;
      const e = text[i];
      if (e === 'u') {
        i++;
        for (let n = 0; n < 4; n++, i++) if (!HEX.test(text[i] ?? '')) fail();
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
      else fail();
    }
    i++;
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits(true);
    if (text[i] === '.') {
      i++;
      digits(true);
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits(true);
    }
  };
  const literal = (word: string) => {
    for (const c of word) expect(c);
  };
  const list = (close: string, item: () => void) => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      ws();
      if (text[i] !== ',') break;
      i++;
    }
    expect(close);
  };
  const member = () => {
    ws();
    string();
    ws();
    expect(':');
    value();
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') list('}', member);
    else if (c === '[') list(']', value);
    else if (c === '"') string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return -1;
  } catch (at) {
    // Only a nesting deeper than the stack gets here with something else than an offset.
    return typeof at === 'number' ? at : -1;
  }
}

/** Parse JSON; on failure, an {@link InputError} naming the file, line and column. */
export function parseJson(text: string, label: string): unknown {
  // Editors on Windows may save a byte-order mark, which JSON.parse refuses.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    // V8's message, without the position (given as line and column) or a copy of the text.
    const reason = (error as Error).message
      .replace(/^(Unexpected token '[\s\S]{1,2}'), [\s\S]*$/, '$1')
      .replace(/ at position \d+[\s\S]*$/, '')
      .replace(/ in JSON$/, '')
      .replace(/\p{Cc}/gu, (c) => `\\u{${(c.codePointAt(0) as number).toString(16)}}`);
    const offset = jsonErrorOffset(body);
    if (offset === -1) throw new InputError(`${label}: invalid JSON: ${reason}`);
    const before = body.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    throw new InputError(
      `${label}: invalid JSON at line ${line}, column ${column}: ${reason}`,
      [],
      {
        line,
        column,
      },
    );
  }
}

/**
 * A policy's problems or the lint's warnings as diagnostics of its file: each with the line and
 * column of what its path names (the member name, for an unknown field).
 */
export function policyDiagnostics(
  text: string,
  label: string,
  items: readonly {
    readonly path: readonly (string | number)[];
    readonly at: string;
    readonly code: string;
    readonly message: string;
  }[],
  severity: Diagnostic['severity'],
): Diagnostic[] {
  if (items.length === 0) return [];
  const offsets = jsonOffsets(text);
  return items.map((item) => ({
    severity,
    file: label,
    ...locate(text, offsets, item.path, item.code === 'unknown-field'),
    at: item.at,
    code: item.code,
    message: item.message,
  }));
}

/**
 * A policy file read, parsed and validated; every problem is listed when it is invalid, with its
 * line and column (`  policy.json:3:17: rules[0].prefix: … [leading-slash]`). `text`: the file's
 * text when the caller has read it already.
 */
export async function loadPolicy(file: string, text?: string): Promise<Policy> {
  const label = inputLabel(file);
  text ??= await readText(file);
  const result = validatePolicy(parseJson(text, label));
  if (result.ok) return result.policy;
  const n = result.issues.length;
  throw new InputError(
    `${label} is not a valid policy (${n} problem${n === 1 ? '' : 's'}):`,
    policyDiagnostics(text, label, result.issues, 'error').map(
      (d) => `  ${d.file}:${d.line}:${d.column}: ${d.at}: ${d.message} [${d.code}]`,
    ),
  );
}
