/**
 * Where JSON text stops being JSON, and why, for the CLI's error messages and the playground's
 * editor. `JSON.parse` gives a position for some syntax errors only (V8's "Unexpected token '}',
 * … is not valid JSON" has none, and browsers word theirs differently), so the grammar is walked
 * here, once, after `JSON.parse` has failed. No `node:` import: the playground bundles this file.
 * @module
 */

/** The first syntax error of a JSON text. @internal */
export interface JsonSyntaxError {
  /**
   * UTF-16 offset of the first code unit that cannot continue a JSON text, as V8 reports it
   * where it reports one: the unit after a `\` that starts no escape, the first bad hex digit of
   * `\u`, the unit after a `-`, `.` or exponent that needs a digit, the length of the text when
   * it ends too early.
   */
  readonly offset: number;
  /** A sentence for a person editing the text. */
  readonly message: string;
}

const WS = ' \t\n\r';
const ESCAPES = '"\\/bfnrt';

/**
 * The first syntax error of `text`, or `undefined` when `JSON.parse` would accept it. Walks the
 * grammar with an explicit stack, so any nesting depth is fine.
 *
 * @example
 * jsonSyntaxError('{"a": 1,}') // { offset: 8, message: 'A comma before } is not allowed in JSON.' }
 * jsonSyntaxError('[1, -x]')   // { offset: 5, message: 'A number needs a digit after -.' }
 * @internal
 */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const n = text.length;
  let i = 0;
  const ws = () => {
    while (i < n && WS.includes(text[i] as string)) i++;
  };
  const isDigit = (at: number) => {
    const c = text.charCodeAt(at);
    return c >= 0x30 && c <= 0x39;
  };
  const fail = (message: string): JsonSyntaxError => ({ offset: i, message });

  /** A string at `i` (its opening quote); moves past it. */
  const string = (): JsonSyntaxError | undefined => {
    i++;
    for (;;) {
      if (i >= n) return fail('This string is not closed: a " is missing.');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c < 0x20)
        return fail('A string cannot hold a line break or control character; write \\n.');
      i++;
      if (c !== 0x5c) continue;
      const e = text[i];
      if (e === 'u') {
        i++;
        for (let k = 0; k < 4; k++, i++)
          if (!/[0-9a-fA-F]/.test(text[i] ?? '')) return fail('\\u needs four hex digits.');
      } else if (e !== undefined && ESCAPES.includes(e)) i++;
      else return fail('Not an escape JSON has: use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX.');
    }
  };

  /** A number at `i`; moves past it. */
  const number = (): JsonSyntaxError | undefined => {
    if (text[i] === '-') {
      i++;
      if (!isDigit(i)) return fail('A number needs a digit after -.');
    }
    if (text[i] === '0') i++;
    else while (isDigit(i)) i++;
    if (text[i] === '.') {
      i++;
      if (!isDigit(i)) return fail('A number needs a digit after the decimal point.');
      while (isDigit(i)) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!isDigit(i)) return fail('A number needs a digit in its exponent.');
      while (isDigit(i)) i++;
    }
    return undefined;
  };

  /** A member name and its `:` at `i` (after white space), inside an object. */
  const memberName = (afterComma: boolean): JsonSyntaxError | undefined => {
    if (text[i] !== '"')
      return fail(
        afterComma && text[i] === '}'
          ? 'A comma before } is not allowed in JSON.'
          : 'Expected a member name in double quotes.',
      );
    const bad = string();
    if (bad !== undefined) return bad;
    ws();
    if (text[i] !== ':') return fail('Expected ":" after the member name.');
    i++;
    return undefined;
  };

  // Open objects and arrays, innermost last: `{` or `[`.
  const open: string[] = [];
  let afterComma = false;
  for (;;) {
    // A value starts here.
    ws();
    const c = text[i];
    const commaBefore = afterComma;
    afterComma = false;
    let bad: JsonSyntaxError | undefined;
    if (c === '{' || c === '[') {
      i++;
      ws();
      if (text[i] === (c === '{' ? '}' : ']')) i++;
      else {
        open.push(c);
        if (c === '[') continue;
        bad = memberName(false);
        if (bad !== undefined) return bad;
        continue;
      }
    } else if (c === '"') bad = string();
    else if (c === 't' || c === 'f' || c === 'n') {
      const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
      for (const w of word) {
        if (text[i] !== w) return fail(`Expected a value (${word}?).`);
        i++;
      }
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) bad = number();
    else if (c === undefined) return fail('The text ends where a value should be.');
    else if (c === '\ufeff' && i === 0)
      return fail('The text starts with a byte-order mark (U+FEFF): JSON has none.');
    else if (c === ']' && commaBefore) return fail('A comma before ] is not allowed in JSON.');
    else return fail('Expected a value: an object, array, string, number, true, false or null.');
    if (bad !== undefined) return bad;

    // A value ended: close what it completes, up to the next value.
    for (;;) {
      ws();
      const top = open[open.length - 1];
      if (top === undefined)
        return i < n ? fail('Unexpected text after the JSON value.') : undefined;
      const close = top === '{' ? '}' : ']';
      if (text[i] === ',') {
        i++;
        ws();
        if (top === '{') {
          bad = memberName(true);
          if (bad !== undefined) return bad;
        } else afterComma = true;
        break;
      }
      if (text[i] === close) {
        i++;
        open.pop();
        continue;
      }
      return fail(`Expected "," or "${close}".`);
    }
  }
}
