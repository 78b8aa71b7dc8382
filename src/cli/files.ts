/**
 * Reading whole inputs: text files or standard input (`-`), JSON with a line and column on
 * error, and policies (validated, with every problem listed on failure).
 */
import { fstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type Policy, validatePolicy } from '../index.js';
import type { Diagnostic } from './diagnostics.js';
import { describeSystemError, InputError } from './errors.js';
import { jsonSyntaxError } from './json-syntax.js';
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
    const offset = jsonSyntaxError(body)?.offset;
    if (offset === undefined) throw new InputError(`${label}: invalid JSON: ${reason}`);
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
