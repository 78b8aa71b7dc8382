/**
 * Output for people: colours (only on a terminal, never with `NO_COLOR`), safe quoting of keys,
 * numbers, aligned columns, and the progress line.
 */
import type { ProtectionMatch, ProtectionRule } from '../index.js';

interface Stream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * Whether to colour a stream: never when `NO_COLOR` is set and not empty (no-color.org); else
 * when `FORCE_COLOR` is set and not `0`/`false`; else only on a terminal that is not `dumb`.
 */
export function colourEnabled(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export interface Paint {
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

const sgr = (on: number, off: number) => (text: string) => `\x1b[${on}m${text}\x1b[${off}m`;
const plain = (text: string) => text;

/** Colour functions for a stream; plain text when colour is off. */
export function paintFor(stream: Stream, env: NodeJS.ProcessEnv = process.env): Paint {
  if (!colourEnabled(stream, env))
    return { red: plain, green: plain, yellow: plain, dim: plain, bold: plain };
  return {
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    dim: sgr(2, 22),
    bold: sgr(1, 22),
  };
}

/**
 * Text from a key or URL, safe to print on one line: as it is when it has only visible characters,
 * else in double quotes with control, format, separator and unassigned characters escaped (a key
 * may hold a newline, a terminal escape, or a right-to-left override).
 */
export function quote(text: string): string {
  if (text !== '' && !/[\p{C}\p{Z}"\\]/u.test(text)) return text;
  const escaped = text.replace(/[\p{C}\p{Z}"\\]/gu, (c) => {
    if (c === ' ') return c;
    if (c === '"' || c === '\\') return `\\${c}`;
    return `\\u{${(c.codePointAt(0) as number).toString(16)}}`;
  });
  return `"${escaped}"`;
}

/** `1234567` → `1,234,567`, whatever the locale. */
export const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** `12.3%` of a total (0% of nothing). */
export const percent = (n: number, total: number): string =>
  `${total === 0 ? '0.0' : ((100 * n) / total).toFixed(1)}%`;

/** A rule for people: `prefix "image/" + suffix ".tif", case-insensitive`. */
export function describeRule(rule: ProtectionRule): string {
  const parts: string[] = [];
  if (rule.prefix !== undefined) parts.push(`prefix ${JSON.stringify(rule.prefix)}`);
  if (rule.suffix !== undefined) parts.push(`suffix ${JSON.stringify(rule.suffix)}`);
  return parts.join(' + ') + (rule.caseInsensitive ? ', case-insensitive' : '');
}

/** Why a key is protected, for people: `rule 0 (prefix "image/")`, `extension jpg`, `*`. */
export function describeMatch(match: ProtectionMatch | undefined): string {
  if (match === undefined) return 'not protected';
  if (match.kind === 'rule') return `rule ${match.index} (${describeRule(match.rule)})`;
  if (match.kind === 'extension') return `extension ${match.extension}`;
  return 'extensions * (every image)';
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes start with ESC
const ANSI = /\x1b\[[0-9;]*m/g;
/** Visible width: code points, colour codes excluded. */
const width = (text: string) => [...text.replace(ANSI, '')].length;

/**
 * Rows of cells as aligned columns, two spaces apart; the last column is not padded. Cells may
 * hold colour codes: widths count only what is visible.
 */
export function columns(
  rows: readonly (readonly string[])[],
  colour?: (row: number, column: number, text: string) => string,
): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, width(cell));
    });
  return rows.map((row, r) =>
    row
      .map((cell, i) => {
        const pad = i === row.length - 1 ? 0 : (widths[i] as number) - width(cell);
        const padded = cell + ' '.repeat(pad);
        return colour ? colour(r, i, padded) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
}

/**
 * A progress line on a terminal for long inputs: shown only when the stream is a TTY and the
 * work has run for `delayMs` (short runs never flash it), redrawn at most every `everyMs`, and
 * erased by {@link Progress.done}.
 */
export class Progress {
  private next: number;
  private shown = false;
  private readonly enabled: boolean;

  constructor(
    private readonly stream: Stream,
    private readonly label: string,
    private readonly now: () => number = Date.now,
    delayMs = 1000,
    private readonly everyMs = 250,
  ) {
    this.enabled = stream.isTTY === true;
    this.next = now() + delayMs;
  }

  update(keys: number): void {
    if (!this.enabled) return;
    const t = this.now();
    if (t < this.next) return;
    this.next = t + this.everyMs;
    this.shown = true;
    this.stream.write(`\r${this.label}: ${count(keys)} keys read…\x1b[K`);
  }

  done(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
