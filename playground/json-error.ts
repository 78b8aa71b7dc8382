/**
 * Where JSON text stops being JSON. Browsers' `JSON.parse` messages differ and often give no
 * position, yet while a person types, a syntax error is the most common problem; so the editor
 * finds the offset itself.
 */

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The first syntax error of `text`: its offset and a sentence; undefined for valid JSON.
 *
 * @example
 * jsonSyntaxError('{"a": 1,}') // { offset: 8, message: 'A comma before } is not allowed in JSON.' }
 */
export function jsonSyntaxError(text: string): { offset: number; message: string } | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (message: string): never => {
    throw new JsonSyntaxError(i, message);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`Expected a value (${word}?).`);
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail('This string is not closed: a " is missing.');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('A string cannot hold a line break or control character; write \\n.');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
            fail('\\u needs four hex digits.');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail('Not an escape JSON has: use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX.');
      } else i++;
    }
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  /** Reads a number at `i`; false when there is none. */
  const number = (): boolean => {
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) return false;
    i = NUMBER.lastIndex;
    return true;
  };
  const value = (depth: number): void => {
    if (depth > 500) fail('Nested too deeply.');
    ws();
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
        if (text[i] !== '"')
          fail(
            text[i] === '}'
              ? 'A comma before } is not allowed in JSON.'
              : 'Expected a member name in double quotes.',
          );
        string();
        ws();
        if (text[i] !== ':') fail('Expected ":" after the member name.');
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail('Expected "," or "}".');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] === ']') fail('A comma before ] is not allowed in JSON.');
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail('Expected "," or "]".');
      }
    }
    if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (!number())
      fail(
        c === undefined
          ? 'The text ends where a value should be.'
          : 'Expected a value: an object, array, string, number, true, false or null.',
      );
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail('Unexpected text after the JSON value.');
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { offset: error.offset, message: error.message };
    throw error;
  }
}
