/**
 * Where a JSON path is in a JSON text, as a line and column, so that every problem `validate`
 * (and every command that loads a policy) reports can say `policy.json:12:7`, which editors and
 * CI annotations jump to.
 */
import { lineColumn } from '../policy/xml.js';

/** A 1-based line and column (UTF-16 units; a byte-order mark is not counted). */
export interface Position {
  readonly line: number;
  readonly column: number;
}

interface Offsets {
  /** Where the value starts. */
  readonly value: number;
  /** Where its member name starts, for object members. */
  readonly name?: number;
}

const key = (path: readonly (string | number)[]) => JSON.stringify(path);

/**
 * The offset of every value of a JSON text, by path, and of every member name. The text must be
 * valid JSON (it is read after `JSON.parse` accepted it); a later duplicate name wins, as in
 * `JSON.parse`. Nesting deeper than the stack allows gives what was found up to there.
 */
export function jsonOffsets(text: string): Map<string, Offsets> {
  const out = new Map<string, Offsets>();
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else return;
    }
  };
  const string = (): string => {
    const start = i;
    i++;
    while (text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: (string | number)[], name?: number): void => {
    ws();
    out.set(key(path), name === undefined ? { value: i } : { value: i, name });
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const at = i;
        const member = string();
        ws();
        i++; // ':'
        value([...path, member], at);
        ws();
        if (text[i++] === '}') return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value([...path, n]);
        ws();
        if (text[i++] === ']') return;
      }
    }
    if (c === '"') {
      string();
      return;
    }
    while (i < text.length && !/[\s,\]}]/.test(text[i] as string)) i++;
  };
  try {
    value([]);
  } catch {
    // Deeper than the stack: positions found so far are still right.
  }
  return out;
}

/**
 * Where `path` is in `text`: its member name when `name` is true (for an unknown field), else
 * its value; the nearest enclosing value that exists when the path itself does not (a missing
 * field); the document's first character for the root.
 */
export function locate(
  text: string,
  offsets: ReadonlyMap<string, Offsets>,
  path: readonly (string | number)[],
  name = false,
): Position {
  for (let n = path.length; n >= 0; n--) {
    const found = offsets.get(key(path.slice(0, n)));
    if (found === undefined) continue;
    const offset = name && n === path.length && found.name !== undefined ? found.name : found.value;
    return lineColumn(text, offset);
  }
  return { line: 1, column: 1 };
}
