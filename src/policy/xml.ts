/**
 * A small, strict XML reader for the two OSS documents the policy stage imports
 * (docs/behaviour.md#oss-configuration-formats): the
 * body of `GET /?processConfiguration` and of `GET /?style`. It reads elements, attributes,
 * character data, comments and CDATA sections, and nothing else: no DTD (`<!DOCTYPE`, `<!ENTITY`
 * are refused, so no external entity and no entity expansion), no entity beyond the five
 * predefined ones and numeric character references, no processing instruction but the XML
 * declaration. Input length and nesting depth are bounded, the reader is iterative (no recursion)
 * and linear in the input, and it never throws: the first problem is returned with its offset.
 * @module
 */

/** Bounds of {@link readXml}. @internal */
export const XML_LIMITS = Object.freeze({
  /** UTF-16 code units of input (1 MiB): OSS's documents are a few kilobytes at most. */
  maxLength: 1_048_576,
  /** Elements open at once: the deepest OSS shape (`BucketChannelConfig`) nests five. */
  maxDepth: 16,
});

/** Why a text is not XML this reader accepts. @internal */
export type XmlErrorCode =
  | 'xml-too-large'
  | 'xml-syntax'
  | 'xml-dtd'
  | 'xml-entity'
  | 'xml-too-deep'
  | 'xml-unsupported';

/** The first problem found, where it is, and the elements open there. @internal */
export interface XmlError {
  readonly code: XmlErrorCode;
  readonly message: string;
  /** UTF-16 offset in the text. */
  readonly offset: number;
  /** Names of the elements open at the problem, outermost first. */
  readonly open: readonly string[];
}

/** An attribute as written: its name, decoded value and offset. @internal */
export interface XmlAttribute {
  readonly name: string;
  readonly value: string;
  readonly offset: number;
}

/** One element. @internal */
export interface XmlElement {
  readonly name: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** Its character data (references decoded, CDATA included), in document order. */
  readonly text: string;
  /** Offset of the `<` of its start tag. */
  readonly offset: number;
  /** Offset just after its start tag, and of its end tag's `<` (equal for `<Name/>`). */
  readonly contentStart: number;
  readonly contentEnd: number;
  /** Offset of its first character data that is not white space, or -1. */
  readonly firstTextOffset: number;
}

/** The result of {@link readXml}. @internal */
export type XmlReadResult =
  | { readonly ok: true; readonly root: XmlElement }
  | { readonly ok: false; readonly error: XmlError };

interface Building {
  name: string;
  attributes: XmlAttribute[];
  children: Building[];
  text: string;
  offset: number;
  contentStart: number;
  contentEnd: number;
  firstTextOffset: number;
}

const PREDEFINED: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

/** XML white space: space, tab, line feed, carriage return. @internal */
export const isXmlSpace = (c: number): boolean =>
  c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** The text without leading and trailing XML white space (not JavaScript's wider set). @internal */
export function trimXmlSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isXmlSpace(text.charCodeAt(start))) start++;
  while (end > start && isXmlSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

const isNameStart = (c: number): boolean =>
  (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a || c >= 0xc0;
const isNameChar = (c: number): boolean =>
  isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0xb7;

/** A code point XML allows in a document (the `Char` production). */
const isXmlChar = (cp: number): boolean =>
  cp === 0x09 ||
  cp === 0x0a ||
  cp === 0x0d ||
  (cp >= 0x20 && cp <= 0xd7ff) ||
  (cp >= 0xe000 && cp <= 0xfffd) ||
  (cp >= 0x10000 && cp <= 0x10ffff);

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

class Failure {
  constructor(
    readonly code: XmlErrorCode,
    readonly message: string,
    readonly offset: number,
  ) {}
}

const DECLARATION =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\4)?[ \t\r\n]*\?>/;

/** The reader's state over one text. */
class Reader {
  i = 0;
  readonly open: Building[] = [];
  /** The element whose start tag is being read, for the path of a problem inside it. */
  pending: string | undefined;

  constructor(readonly s: string) {}

  fail(code: XmlErrorCode, message: string, offset = this.i): never {
    throw new Failure(code, message, offset);
  }

  startsWith(prefix: string): boolean {
    return this.s.startsWith(prefix, this.i);
  }

  skipSpace(): void {
    while (this.i < this.s.length && isXmlSpace(this.s.charCodeAt(this.i))) this.i++;
  }

  /** Checks that `s[from, to)` holds only characters XML allows. */
  checkChars(from: number, to: number): void {
    const s = this.s;
    for (let k = from; k < to; k++) {
      const c = s.charCodeAt(k);
      if ((c >= 0x20 && c <= 0xd7ff) || c === 0x0a || c === 0x09 || c === 0x0d) continue;
      if (c >= 0xe000 && c <= 0xfffd) continue;
      if (c >= 0xd800 && c <= 0xdbff && k + 1 < to) {
        const d = s.charCodeAt(k + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          k++;
          continue;
        }
      }
      this.fail(
        'xml-syntax',
        c >= 0xd800 && c <= 0xdfff
          ? 'A lone surrogate is not a character XML allows.'
          : `The character ${hex(c)} is not allowed in XML.`,
        k,
      );
    }
  }

  name(what: string): string {
    const s = this.s;
    const start = this.i;
    if (start >= s.length || !isNameStart(s.charCodeAt(start)))
      this.fail(
        'xml-syntax',
        `Expected ${what}${start >= s.length ? ', found the end of the text' : `, found ${JSON.stringify(s[start])}`}.`,
      );
    let k = start + 1;
    while (k < s.length && isNameChar(s.charCodeAt(k))) k++;
    this.i = k;
    const n = s.slice(start, k);
    this.checkChars(start, k);
    return n;
  }

  /** A reference at `&`: its text. */
  reference(): string {
    const s = this.s;
    const at = this.i;
    const semi = s.indexOf(';', at + 1);
    const body = semi === -1 || semi - at > 64 ? undefined : s.slice(at + 1, semi);
    if (body !== undefined && body[0] === '#') {
      const m = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(body);
      const cp =
        m === null ? Number.NaN : Number.parseInt(m[1] ?? (m[2] as string), m[1] ? 16 : 10);
      if (!isXmlChar(cp))
        this.fail(
          'xml-syntax',
          Number.isNaN(cp)
            ? `"&${body};" is not a character reference: write &#NNN; or &#xHHH;.`
            : `"&${body};" names ${hex(cp)}, which is not a character XML allows.`,
        );
      this.i = semi + 1;
      return String.fromCodePoint(cp);
    }
    if (body !== undefined && /^[A-Za-z_:][A-Za-z0-9_:.-]*$/.test(body)) {
      const v = PREDEFINED.get(body);
      if (v === undefined)
        this.fail(
          'xml-entity',
          `The entity "&${body};" is not defined here: only &lt; &gt; &amp; &quot; &apos; and numeric references (&#38;) are accepted, and no DTD may define more.`,
        );
      this.i = semi + 1;
      return v;
    }
    return this.fail('xml-syntax', 'A bare "&" must be written "&amp;".');
  }

  /** `<!-- … -->` at `<!--`. */
  comment(): void {
    const end = this.s.indexOf('-->', this.i + 4);
    if (end === -1) this.fail('xml-syntax', 'The comment is not closed with "-->".');
    const dashes = this.s.indexOf('--', this.i + 4);
    if (dashes < end) this.fail('xml-syntax', 'A comment must not contain "--".', dashes);
    this.checkChars(this.i + 4, end);
    this.i = end + 3;
  }

  /** `<!…` that is neither a comment nor CDATA: a DTD or one of its declarations. */
  declaration(): never {
    const word = /^<!([A-Za-z]*)/.exec(this.s.slice(this.i, this.i + 12))?.[1] ?? '';
    const upper = word.toUpperCase();
    if (upper === 'DOCTYPE')
      this.fail(
        'xml-dtd',
        'A document type declaration (<!DOCTYPE …>) is refused: OSS never sends one, and a DTD is how entity attacks (XXE, "billion laughs") get in.',
      );
    if (upper === 'ENTITY' || upper === 'ELEMENT' || upper === 'ATTLIST' || upper === 'NOTATION')
      this.fail(
        'xml-dtd',
        `A DTD declaration (<!${word} …>) is refused: these documents have no DTD, and entities are how XXE gets in.`,
      );
    return this.fail('xml-syntax', `"<!${word}" is not XML markup this reader accepts.`);
  }

  processingInstruction(): never {
    const target = /^<\?([^\s?]*)/.exec(this.s.slice(this.i, this.i + 40))?.[1] ?? '';
    if (target.toLowerCase() === 'xml')
      this.fail('xml-syntax', 'The XML declaration (<?xml …?>) may only open the document.');
    return this.fail(
      'xml-unsupported',
      `A processing instruction (<?${target} …?>) is not part of these documents.`,
    );
  }

  /** Text up to the next `<`, `&` or the end, appended to `el`. */
  text(el: Building): void {
    const s = this.s;
    const start = this.i;
    let k = start;
    while (k < s.length) {
      const c = s.charCodeAt(k);
      if (c === 0x3c || c === 0x26) break;
      k++;
    }
    this.checkChars(start, k);
    const run = s.slice(start, k);
    const bad = run.indexOf(']]>');
    if (bad !== -1)
      this.fail('xml-syntax', '"]]>" is not allowed in text; write "]]&gt;".', start + bad);
    if (el.firstTextOffset === -1) {
      for (let j = start; j < k; j++)
        if (!isXmlSpace(s.charCodeAt(j))) {
          el.firstTextOffset = j;
          break;
        }
    }
    el.text += run;
    this.i = k;
  }

  attributes(): XmlAttribute[] {
    const s = this.s;
    const out: XmlAttribute[] = [];
    for (;;) {
      const before = this.i;
      this.skipSpace();
      const c = s.charCodeAt(this.i);
      if (c === 0x3e || (c === 0x2f && s.charCodeAt(this.i + 1) === 0x3e)) return out;
      if (this.i >= s.length) this.fail('xml-syntax', 'The text ends inside a tag.');
      if (this.i === before)
        this.fail('xml-syntax', 'Expected white space, ">" or "/>" after the name.');
      const offset = this.i;
      const name = this.name('an attribute name');
      this.skipSpace();
      if (s[this.i] !== '=') this.fail('xml-syntax', `Expected "=" after the attribute ${name}.`);
      this.i++;
      this.skipSpace();
      const quote = s[this.i];
      if (quote !== '"' && quote !== "'")
        this.fail('xml-syntax', `The value of the attribute ${name} must be in quotes.`);
      this.i++;
      let value = '';
      for (;;) {
        const start = this.i;
        while (this.i < s.length && s[this.i] !== quote && s[this.i] !== '&' && s[this.i] !== '<')
          this.i++;
        this.checkChars(start, this.i);
        value += s.slice(start, this.i);
        if (this.i >= s.length) this.fail('xml-syntax', 'The text ends inside an attribute value.');
        if (s[this.i] === '<')
          this.fail('xml-syntax', `"<" is not allowed in the value of the attribute ${name}.`);
        if (s[this.i] === '&') value += this.reference();
        else break;
      }
      this.i++;
      if (out.some((a) => a.name === name))
        this.fail('xml-syntax', `The attribute ${name} is given twice.`, offset);
      out.push({ name, value, offset });
    }
  }

  /** A start tag at `<`: the element, opened (or closed at once for `<Name/>`). */
  startTag(): Building {
    const offset = this.i;
    this.i++;
    const name = this.name('an element name after "<"');
    this.pending = name;
    const attributes = this.attributes();
    if (this.open.length + 1 > XML_LIMITS.maxDepth)
      this.fail(
        'xml-too-deep',
        `Elements nest deeper than ${XML_LIMITS.maxDepth} levels; OSS's documents nest five at most.`,
        offset,
      );
    const empty = this.s[this.i] === '/';
    this.i += empty ? 2 : 1;
    this.pending = undefined;
    const el: Building = {
      name,
      attributes,
      children: [],
      text: '',
      offset,
      contentStart: this.i,
      contentEnd: this.i,
      firstTextOffset: -1,
    };
    const parent = this.open[this.open.length - 1];
    parent?.children.push(el);
    if (!empty) this.open.push(el);
    return el;
  }

  endTag(): void {
    const at = this.i;
    this.i += 2;
    const name = this.name('an element name after "</"');
    this.skipSpace();
    if (this.s[this.i] !== '>') this.fail('xml-syntax', `Expected ">" to end </${name}.`);
    const el = this.open[this.open.length - 1] as Building;
    if (el.name !== name)
      this.fail(
        'xml-syntax',
        `Expected </${el.name}> to close <${el.name}>, found </${name}>.`,
        at,
      );
    this.i++;
    el.contentEnd = at;
    this.open.pop();
  }

  /** Comments and white space outside the root element; `where` names the side. */
  misc(where: 'before' | 'after'): void {
    const s = this.s;
    for (;;) {
      this.skipSpace();
      if (this.i >= s.length) return;
      if (this.startsWith('<!--')) this.comment();
      else if (this.startsWith('<?')) this.processingInstruction();
      else if (this.startsWith('<!')) this.declaration();
      else if (where === 'before' && s[this.i] === '<') return;
      else if (where === 'after' && s[this.i] === '<')
        this.fail('xml-syntax', 'A document has one root element; another one follows it.');
      else
        this.fail(
          'xml-syntax',
          `Text is not allowed ${where} the root element${where === 'before' ? ' (is this XML?)' : ''}.`,
        );
    }
  }

  document(): Building {
    const s = this.s;
    if (s.charCodeAt(0) === 0xfeff) this.i = 1;
    // `<?xml` then white space, `?` or the end: a declaration (`<?xmlfoo` is a processing instruction).
    const after = s[this.i + 5];
    if (this.startsWith('<?xml') && (after === undefined || /[\s?]/.test(after))) {
      const m = DECLARATION.exec(s.slice(this.i, this.i + 200));
      if (m === null) this.fail('xml-syntax', 'The XML declaration is malformed.');
      const encoding = m[3];
      if (encoding !== undefined && !/^utf-?8$/i.test(encoding))
        this.fail(
          'xml-unsupported',
          `The document declares the encoding ${encoding}; OSS sends UTF-8, the only one read here.`,
        );
      this.i += m[0].length;
    }
    this.misc('before');
    if (this.i >= s.length) this.fail('xml-syntax', 'The text holds no element (is it empty?).');
    const root = this.startTag();
    while (this.open.length > 0) {
      const el = this.open[this.open.length - 1] as Building;
      if (this.i >= s.length) {
        const names = this.open.map((e) => `<${e.name}>`).join(' ');
        this.fail(
          'xml-syntax',
          `The text ends before ${names} ${this.open.length === 1 ? 'is' : 'are'} closed.`,
        );
      }
      const c = s.charCodeAt(this.i);
      if (c === 0x26) {
        if (el.firstTextOffset === -1) el.firstTextOffset = this.i;
        el.text += this.reference();
      } else if (c !== 0x3c) this.text(el);
      else if (this.startsWith('</')) this.endTag();
      else if (this.startsWith('<!--')) this.comment();
      else if (this.startsWith('<![CDATA[')) {
        const start = this.i + 9;
        const end = s.indexOf(']]>', start);
        if (end === -1) this.fail('xml-syntax', 'The CDATA section is not closed with "]]>".');
        this.checkChars(start, end);
        if (el.firstTextOffset === -1) {
          for (let j = start; j < end; j++)
            if (!isXmlSpace(s.charCodeAt(j))) {
              el.firstTextOffset = j;
              break;
            }
        }
        el.text += s.slice(start, end);
        this.i = end + 3;
      } else if (this.startsWith('<!')) this.declaration();
      else if (this.startsWith('<?')) this.processingInstruction();
      else this.startTag();
    }
    this.misc('after');
    return root;
  }
}

/**
 * Read an XML document of the shapes OSS sends (docs/behaviour.md#oss-configuration-formats). Never
 * throws.
 *
 * @example
 * readXml('<StyleList><Style><Name>small</Name></Style></StyleList>')
 * // { ok: true, root: { name: 'StyleList', children: [{ name: 'Style', … }], … } }
 * readXml('<!DOCTYPE x [<!ENTITY a "b">]><x/>')
 * // { ok: false, error: { code: 'xml-dtd', offset: 0, … } }
 * @internal
 */
export function readXml(text: string): XmlReadResult {
  if (text.length > XML_LIMITS.maxLength)
    return {
      ok: false,
      error: {
        code: 'xml-too-large',
        message: `The text is ${text.length} characters long; the limit is ${XML_LIMITS.maxLength} (OSS's documents are a few kilobytes).`,
        offset: 0,
        open: [],
      },
    };
  const reader = new Reader(text);
  try {
    return { ok: true, root: reader.document() };
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    return {
      ok: false,
      error: {
        code: error.code,
        message: error.message,
        offset: Math.min(error.offset, text.length),
        open: [
          ...reader.open.map((e) => e.name),
          ...(reader.pending === undefined ? [] : [reader.pending]),
        ],
      },
    };
  }
}

/**
 * The offset in `source` of the `index`-th UTF-16 unit of a leaf element's decoded text (its
 * end, for `index === text.length`): references, CDATA and comments are walked as the reader
 * read them. @internal
 */
export function textOffset(source: string, el: XmlElement, index: number): number {
  let i = el.contentStart;
  let n = 0;
  while (i < el.contentEnd) {
    if (source.startsWith('<!--', i)) {
      i = source.indexOf('-->', i + 4) + 3;
      continue;
    }
    if (source.startsWith('<![CDATA[', i)) {
      const end = source.indexOf(']]>', i + 9);
      if (index - n < end - (i + 9)) return i + 9 + (index - n);
      n += end - (i + 9);
      i = end + 3;
      continue;
    }
    if (n >= index) return i;
    if (source.charCodeAt(i) === 0x26) {
      const semi = source.indexOf(';', i);
      const body = source.slice(i + 1, semi);
      const length =
        body[0] === '#'
          ? String.fromCodePoint(
              Number.parseInt(
                body[1] === 'x' ? body.slice(2) : body.slice(1),
                body[1] === 'x' ? 16 : 10,
              ),
            ).length
          : 1;
      if (index - n < length) return i;
      n += length;
      i = semi + 1;
      continue;
    }
    n++;
    i++;
  }
  return i;
}

/** 1-based line and column (UTF-16 units) of an offset; a leading byte-order mark is not counted. @internal */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let k = text.indexOf('\n'); k !== -1 && k < end; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  const bom = line === 1 && text.charCodeAt(0) === 0xfeff && end > 0 ? 1 : 0;
  return { line, column: end - lineStart + 1 - bom };
}

const ESCAPES: Readonly<Record<string, string>> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text safe inside an XML element or a quoted attribute. @internal */
export function escapeXmlText(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ESCAPES[c] as string);
}
