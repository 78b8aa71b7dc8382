/**
 * OSS's configuration formats (docs/behaviour.md#oss-configuration-formats): a bucket's `GET
 * /?processConfiguration` body (and its `GET /?style` list) to a policy, and a policy back to the
 * body `PUT /?processConfiguration` takes. Read with the strict reader of `xml.ts`; every problem
 * has the element it is about, its line and column, a stable code and a sentence.
 * @module
 */
import { LIMITS } from '../oss/limits.js';
import {
  DELIMITERS,
  type Delimiter,
  EXTENSION,
  STYLE_NAME,
  STYLE_NAME_RULE,
} from '../oss/names.js';
import { formatPath, type Policy, type PolicyInput, type PolicyIssueCode } from './model.js';
import { definePolicy, describeValue, isPolicy, validatePolicy } from './validate.js';
import {
  escapeXmlText,
  isXmlSpace,
  lineColumn,
  readXml,
  textOffset,
  trimXmlSpace,
  type XmlElement,
} from './xml.js';

/** Which of the two documents a problem is in. */
export type OssXmlDocument = 'processConfiguration' | 'styleList';

/**
 * Stable machine codes of {@link OssXmlIssue}. Codes that start with `xml-` (and `not-text`) mean
 * the text is not XML this reader accepts (malformed, a DTD or an unknown entity, too deep, too
 * large); the others mean well-formed XML that is not a configuration a policy can come from.
 */
export type OssXmlIssueCode =
  | 'xml-too-large'
  | 'xml-syntax'
  | 'xml-dtd'
  | 'xml-entity'
  | 'xml-too-deep'
  | 'xml-unsupported'
  | 'not-text'
  | 'wrong-root'
  | 'unknown-element'
  | 'duplicate-element'
  | 'missing-element'
  | 'unexpected-attribute'
  | 'unexpected-text'
  | 'expected-text'
  | 'invalid-value'
  | 'empty-entry'
  | PolicyIssueCode;

/** Stable machine codes of {@link OssXmlWarning}. */
export type OssXmlWarningCode = 'complied-host-img' | 'protection-disabled' | 'rules-not-in-api';

/** A reason the XML cannot become a policy, with where it is. */
export interface OssXmlIssue {
  readonly code: OssXmlIssueCode;
  /** The document it is in. */
  readonly document: OssXmlDocument;
  /**
   * Where, as element names and entry indexes (0-based):
   * `['BucketProcessConfiguration', 'StyleDelimiters', 1]` is the second entry of the comma list,
   * `['StyleList', 'Style', 2, 'Name']` the name of the third style; `[]` for the document.
   */
  readonly path: readonly (string | number)[];
  /** The same path for people: `BucketProcessConfiguration.StyleDelimiters[1]`. */
  readonly at: string;
  /** A sentence a person can act on. */
  readonly message: string;
  /** 1-based line in its document. */
  readonly line: number;
  /** 1-based column (UTF-16 code units; a byte-order mark is not counted). */
  readonly column: number;
}

/** Something about the imported configuration that the policy does not carry as OSS does. */
export interface OssXmlWarning {
  readonly code: OssXmlWarningCode;
  /** The document it is in. */
  readonly document: OssXmlDocument;
  /**
   * Where, as element names and entry indexes (0-based):
   * `['BucketProcessConfiguration', 'StyleDelimiters', 1]` is the second entry of the comma list,
   * `['StyleList', 'Style', 2, 'Name']` the name of the third style; `[]` for the document.
   */
  readonly path: readonly (string | number)[];
  /** The same path for people: `BucketProcessConfiguration.StyleDelimiters[1]`. */
  readonly at: string;
  /** A sentence a person can act on. */
  readonly message: string;
  /** 1-based line in its document. */
  readonly line: number;
  /** 1-based column (UTF-16 code units; a byte-order mark is not counted). */
  readonly column: number;
}

/** The result of {@link policyFromOssXml}. */
export type OssXmlImportResult =
  | {
      readonly ok: true;
      readonly policy: Policy;
      readonly warnings: readonly OssXmlWarning[];
    }
  | {
      readonly ok: false;
      readonly issues: readonly OssXmlIssue[];
      readonly warnings: readonly OssXmlWarning[];
    };

/** Stable machine codes of {@link OssXmlExportWarning}. */
export type OssXmlExportWarningCode =
  | 'rules-not-carried'
  | 'case-insensitive-not-carried'
  | 'styles-not-carried';

/** Part of a policy that `PutBucketProcessConfiguration` cannot carry. */
export interface OssXmlExportWarning {
  /** The policy field (`['rules']`). */
  readonly path: readonly (string | number)[];
  /** The same path for people. */
  readonly at: string;
  readonly code: OssXmlExportWarningCode;
  readonly message: string;
}

/** The result of {@link policyToOssXml}. */
export interface OssXmlExport {
  /** The body of `PUT /?processConfiguration` (UTF-8 XML, ending with a newline). */
  readonly xml: string;
  /**
   * The style catalogue as a `GET /?style` body (names only), which {@link policyFromOssXml}
   * reads back; undefined when the policy has no catalogue. OSS creates styles one by one, with
   * their content (`PUT /?style&styleName=…`), so this is a record, not a request body.
   */
  readonly styleListXml: string | undefined;
  readonly warnings: readonly OssXmlExportWarning[];
}

const PROCESS_ROOT = 'BucketProcessConfiguration';
const STYLE_ROOT = 'StyleList';
/** Children of `BucketProcessConfiguration` that hold text. */
const PROCESS_FIELDS = [
  'CompliedHost',
  'SourceFileProtect',
  'SourceFileProtectSuffix',
  'StyleDelimiters',
  'OssDomainSupportAtProcess',
  'Version',
] as const;
/** Children real responses carry that say nothing about protection: read, then ignored. */
const IGNORED_CONTAINERS = ['BucketChannelConfig'];
const STYLE_FIELDS = ['Name', 'Content', 'CreateTime', 'LastModifyTime', 'Category'];

type Path = readonly (string | number)[];

const rank = (d: OssXmlDocument) => (d === 'processConfiguration' ? 0 : 1);
const inDocumentOrder = (a: OssXmlIssue | OssXmlWarning, b: OssXmlIssue | OssXmlWarning) =>
  rank(a.document) - rank(b.document) || a.line - b.line || a.column - b.column;

/** Problems and warnings of one import, each placed in its document. */
class Report {
  readonly issues: OssXmlIssue[] = [];
  readonly warnings: OssXmlWarning[] = [];

  constructor(private readonly sources: Readonly<Record<OssXmlDocument, string>>) {}

  /** The issues in document order: the processConfiguration first, then by line and column. */
  sorted(): OssXmlIssue[] {
    return [...this.issues].sort(inDocumentOrder);
  }

  /** The warnings in the same order. */
  sortedWarnings(): OssXmlWarning[] {
    return [...this.warnings].sort(inDocumentOrder);
  }

  private locate(document: OssXmlDocument, path: Path, offset: number) {
    const { line, column } = lineColumn(this.sources[document], offset);
    return { document, path: Object.freeze([...path]), at: formatPath(path), line, column };
  }

  issue(
    document: OssXmlDocument,
    path: Path,
    offset: number,
    code: OssXmlIssueCode,
    message: string,
  ) {
    this.issues.push(Object.freeze({ ...this.locate(document, path, offset), code, message }));
  }

  warn(
    document: OssXmlDocument,
    path: Path,
    offset: number,
    code: OssXmlWarningCode,
    message: string,
  ) {
    this.warnings.push(Object.freeze({ ...this.locate(document, path, offset), code, message }));
  }
}

/** One entry of a comma list, trimmed, and where it starts in the source. */
interface Entry {
  readonly value: string;
  readonly offset: number;
  readonly index: number;
}

/** A leaf element: what it holds, its document and path, for the readers below. */
interface Field {
  readonly document: OssXmlDocument;
  readonly el: XmlElement;
  readonly path: Path;
  readonly source: string;
}

const valueOffset = (f: Field): number =>
  f.el.firstTextOffset === -1 ? f.el.contentStart : f.el.firstTextOffset;

/** Entries of a comma list (`jpg, .png`); empty entries are reported, the rest returned. */
function entries(r: Report, f: Field, list: string): Entry[] {
  const text = f.el.text;
  if (trimXmlSpace(text) === '') return [];
  const out: Entry[] = [];
  let start = 0;
  let index = 0;
  for (;;) {
    const comma = text.indexOf(',', start);
    const end = comma === -1 ? text.length : comma;
    let s = start;
    while (s < end && isXmlSpace(text.charCodeAt(s))) s++;
    const value = trimXmlSpace(text.slice(start, end));
    const offset = textOffset(f.source, f.el, s);
    if (value === '')
      r.issue(
        f.document,
        [...f.path, index],
        offset,
        'empty-entry',
        `${list} has an empty entry (two commas in a row, or a comma at an end); remove it.`,
      );
    else out.push({ value, offset, index });
    index++;
    if (comma === -1) return out;
    start = comma + 1;
  }
}

/** `Enabled`/`Disabled` (any letter case, as SDKs send either) → boolean. */
function switchValue(r: Report, f: Field): boolean | undefined {
  const v = trimXmlSpace(f.el.text).toLowerCase();
  if (v === 'enabled') return true;
  if (v === 'disabled') return false;
  r.issue(
    f.document,
    f.path,
    valueOffset(f),
    'invalid-value',
    `<${f.el.name}> must be Enabled or Disabled, not ${JSON.stringify(trimXmlSpace(f.el.text))}.`,
  );
  return undefined;
}

/**
 * The children of an element, each allowed name at most once; unknown and repeated elements,
 * attributes other than `xmlns` and stray text are reported. `repeatable` names may repeat.
 */
function children(
  r: Report,
  document: OssXmlDocument,
  el: XmlElement,
  path: Path,
  allowed: readonly string[],
  repeatable: readonly string[] = [],
): Map<string, XmlElement[]> {
  checkAttributes(r, document, el, path);
  if (el.firstTextOffset !== -1)
    r.issue(
      document,
      path,
      el.firstTextOffset,
      'unexpected-text',
      `<${el.name}> holds elements, not text; remove the text.`,
    );
  const found = new Map<string, XmlElement[]>();
  for (const child of el.children) {
    if (!allowed.includes(child.name)) {
      r.issue(
        document,
        [...path, child.name],
        child.offset,
        'unknown-element',
        `<${child.name}> is not part of <${el.name}>; expected ${allowed.map((a) => `<${a}>`).join(', ')}.`,
      );
      continue;
    }
    const list = found.get(child.name) ?? [];
    if (list.length > 0 && !repeatable.includes(child.name)) {
      r.issue(
        document,
        [...path, child.name],
        child.offset,
        'duplicate-element',
        `<${child.name}> appears more than once in <${el.name}>; keep one.`,
      );
      continue;
    }
    list.push(child);
    found.set(child.name, list);
  }
  return found;
}

function checkAttributes(r: Report, document: OssXmlDocument, el: XmlElement, path: Path) {
  for (const a of el.attributes) {
    if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
    r.issue(
      document,
      path,
      a.offset,
      'unexpected-attribute',
      `<${el.name}> takes no attribute ${a.name}; OSS's documents carry none.`,
    );
  }
}

/** A field that must hold text only. */
function leaf(r: Report, f: Field): boolean {
  checkAttributes(r, f.document, f.el, f.path);
  const first = f.el.children[0];
  if (first === undefined) return true;
  r.issue(
    f.document,
    [...f.path, first.name],
    first.offset,
    'expected-text',
    `<${f.el.name}> holds text, not elements such as <${first.name}>.`,
  );
  return false;
}

function syntaxIssue(r: Report, document: OssXmlDocument, source: string) {
  const read = readXml(source);
  if (read.ok) return read.root;
  r.issue(document, read.error.open, read.error.offset, read.error.code, read.error.message);
  return undefined;
}

function checkRoot(
  r: Report,
  document: OssXmlDocument,
  root: XmlElement,
  expected: string,
  what: string,
): boolean {
  if (root.name === expected) return true;
  const swapped =
    (document === 'processConfiguration' && root.name === STYLE_ROOT) ||
    (document === 'styleList' && root.name === PROCESS_ROOT);
  r.issue(
    document,
    [root.name],
    root.offset,
    'wrong-root',
    `Expected <${expected}> (${what}), found <${root.name}>${swapped ? ': the two documents are swapped' : ''}.`,
  );
  return false;
}

interface ProcessConfig {
  protect: boolean | undefined;
  extensions: Entry[];
  delimiters: Entry[];
  atProcessing: boolean;
  suffixField: Field | undefined;
  delimiterField: Field | undefined;
  rootOffset: number;
}

function readProcess(r: Report, source: string): ProcessConfig | undefined {
  const document = 'processConfiguration';
  const root = syntaxIssue(r, document, source);
  if (root === undefined) return undefined;
  if (!checkRoot(r, document, root, PROCESS_ROOT, 'the body of GET /?processConfiguration'))
    return undefined;
  const path = [PROCESS_ROOT];
  const found = children(r, document, root, path, [...PROCESS_FIELDS, ...IGNORED_CONTAINERS]);
  const field = (name: string): Field | undefined => {
    const el = found.get(name)?.[0];
    if (el === undefined) return undefined;
    const f = { document, el, path: [...path, name], source } as const;
    return leaf(r, f) ? f : undefined;
  };
  const config: ProcessConfig = {
    protect: undefined,
    extensions: [],
    delimiters: [],
    atProcessing: false,
    suffixField: undefined,
    delimiterField: undefined,
    rootOffset: root.offset,
  };

  const protect = field('SourceFileProtect');
  if (protect !== undefined) config.protect = switchValue(r, protect);
  else if (!found.has('SourceFileProtect'))
    r.issue(
      document,
      path,
      root.offset,
      'missing-element',
      '<SourceFileProtect> (Enabled or Disabled) is missing; every processConfiguration has it.',
    );

  const host = field('CompliedHost');
  if (host !== undefined) {
    const v = trimXmlSpace(host.el.text).toLowerCase();
    if (v === 'img')
      r.warn(
        document,
        host.path,
        valueOffset(host),
        'complied-host-img',
        'CompliedHost is Img: OSS reads delimiter-style URLs (key!style) only on the IMG host of the bucket, while the policy reads them on every host (Both); export writes Both.',
      );
    else if (v !== 'both')
      r.issue(
        document,
        host.path,
        valueOffset(host),
        'invalid-value',
        `<CompliedHost> must be Both or Img, not ${JSON.stringify(trimXmlSpace(host.el.text))}.`,
      );
  }

  const at = field('OssDomainSupportAtProcess');
  if (at !== undefined) config.atProcessing = switchValue(r, at) ?? false;

  const suffix = field('SourceFileProtectSuffix');
  if (config.protect === false) {
    const text = suffix === undefined ? '' : trimXmlSpace(suffix.el.text);
    r.warn(
      document,
      protect?.path ?? path,
      protect === undefined ? root.offset : valueOffset(protect),
      'protection-disabled',
      `SourceFileProtect is Disabled, so OSS protects no original and the policy lists no extension${text === '' ? '' : `; the SourceFileProtectSuffix ${JSON.stringify(text)} is ignored, as OSS clears it when protection is off`}.`,
    );
  } else if (suffix !== undefined) {
    config.suffixField = suffix;
    config.extensions = entries(r, suffix, '<SourceFileProtectSuffix>');
  }

  const delimiters = field('StyleDelimiters');
  if (delimiters !== undefined) {
    config.delimiterField = delimiters;
    config.delimiters = entries(r, delimiters, '<StyleDelimiters>');
  }

  if (config.protect === true)
    r.warn(
      document,
      path,
      root.offset,
      'rules-not-in-api',
      `The processConfiguration API carries no prefix/suffix rules (the console's rules): if the bucket has any, add them to the policy's "rules" by hand.`,
    );
  return config;
}

interface StyleName {
  readonly value: string;
  readonly field: Field;
}

function readStyles(
  r: Report,
  source: string,
): { names: StyleName[]; rootOffset: number } | undefined {
  const document = 'styleList';
  const root = syntaxIssue(r, document, source);
  if (root === undefined) return undefined;
  if (!checkRoot(r, document, root, STYLE_ROOT, 'the body of GET /?style')) return undefined;
  const styles = children(r, document, root, [STYLE_ROOT], ['Style'], ['Style']).get('Style') ?? [];
  const names: StyleName[] = [];
  styles.forEach((style, i) => {
    const path = [STYLE_ROOT, 'Style', i];
    const found = children(r, document, style, path, STYLE_FIELDS);
    const name = found.get('Name')?.[0];
    if (name === undefined) {
      r.issue(
        document,
        path,
        style.offset,
        'missing-element',
        `<Style> number ${i + 1} has no <Name>.`,
      );
      return;
    }
    for (const other of STYLE_FIELDS.slice(1)) {
      const el = found.get(other)?.[0];
      if (el !== undefined) leaf(r, { document, el, path: [...path, other], source });
    }
    const field = { document, el: name, path: [...path, 'Name'], source } as const;
    if (leaf(r, field)) names.push({ value: trimXmlSpace(name.text), field });
  });
  return { names, rootOffset: root.offset };
}

/** The policy's checks on the lists (docs/behaviour.md#validation), phrased for the XML, each at its entry. */
function checkExtensions(r: Report, config: ProcessConfig): string[] {
  const f = config.suffixField;
  if (f === undefined) return [];
  const out: string[] = [];
  const seen = new Map<string, string>();
  const list = config.extensions;
  for (const e of list) {
    const path = [...f.path, e.index];
    if (e.value === '*') {
      if (list.length > 1)
        r.issue(
          f.document,
          path,
          e.offset,
          'wildcard-mixed',
          '"*" protects every image, so it must be alone in <SourceFileProtectSuffix>.',
        );
      else out.push('*');
      continue;
    }
    if (!EXTENSION.test(e.value)) {
      r.issue(
        f.document,
        path,
        e.offset,
        'invalid-extension',
        `${JSON.stringify(e.value)} is not an extension: use 1–16 letters or digits, optionally after one leading ".", or "*" alone.`,
      );
      continue;
    }
    const ext = (e.value[0] === '.' ? e.value.slice(1) : e.value).toLowerCase();
    const first = seen.get(ext);
    if (first !== undefined) {
      r.issue(
        f.document,
        path,
        e.offset,
        'duplicate-extension',
        `${JSON.stringify(e.value)} repeats ${JSON.stringify(first)} (extensions compare without "." and case).`,
      );
      continue;
    }
    seen.set(ext, e.value);
    out.push(e.value);
  }
  return out;
}

function checkDelimiters(r: Report, config: ProcessConfig): Delimiter[] {
  const f = config.delimiterField;
  if (f === undefined) return [];
  const out: Delimiter[] = [];
  for (const e of config.delimiters) {
    const path = [...f.path, e.index];
    if (!(DELIMITERS as readonly string[]).includes(e.value))
      r.issue(
        f.document,
        path,
        e.offset,
        'invalid-delimiter',
        `${JSON.stringify(e.value)} is not a style delimiter; OSS offers "-", "_", "/" and "!".`,
      );
    else if (out.includes(e.value as Delimiter))
      r.issue(
        f.document,
        path,
        e.offset,
        'duplicate-delimiter',
        `"${e.value}" is listed twice in <StyleDelimiters>; keep one.`,
      );
    else out.push(e.value as Delimiter);
  }
  return out;
}

function checkStyles(r: Report, names: readonly StyleName[], rootOffset: number): string[] {
  if (names.length > LIMITS.maxStyles)
    r.issue(
      'styleList',
      [STYLE_ROOT],
      rootOffset,
      'too-many-styles',
      `A catalogue holds at most ${LIMITS.maxStyles} styles; this list has ${names.length}.`,
    );
  const out: string[] = [];
  for (const { value, field } of names) {
    const offset = valueOffset(field);
    if (!STYLE_NAME.test(value))
      r.issue(
        'styleList',
        field.path,
        offset,
        'invalid-style-name',
        `${JSON.stringify(value)} is not a style name: ${STYLE_NAME_RULE}.`,
      );
    else if (out.includes(value))
      r.issue(
        'styleList',
        field.path,
        offset,
        'duplicate-style',
        `The style "${value}" is listed twice in the style list; keep one.`,
      );
    else out.push(value);
  }
  return out;
}

function importXml(process: unknown, styleList: unknown): OssXmlImportResult {
  const texts = {
    processConfiguration: typeof process === 'string' ? process : '',
    styleList: typeof styleList === 'string' ? styleList : '',
  };
  const r = new Report(texts);
  const notText = (document: OssXmlDocument, value: unknown) =>
    r.issue(
      document,
      [],
      0,
      'not-text',
      `The ${document === 'styleList' ? 'style list' : 'processConfiguration'} must be XML text (a string), not ${describeValue(value)}.`,
    );
  let config: ProcessConfig | undefined;
  if (typeof process !== 'string') notText('processConfiguration', process);
  else config = readProcess(r, process);
  let styles: { names: StyleName[]; rootOffset: number } | undefined;
  if (styleList !== undefined) {
    if (typeof styleList !== 'string') notText('styleList', styleList);
    else styles = readStyles(r, styleList);
  }
  const extensions = config === undefined ? [] : checkExtensions(r, config);
  const delimiters = config === undefined ? [] : checkDelimiters(r, config);
  const catalogue =
    styles === undefined ? undefined : checkStyles(r, styles.names, styles.rootOffset);
  if (
    r.issues.length > 0 ||
    config === undefined ||
    (styleList !== undefined && styles === undefined)
  )
    return { ok: false, issues: r.sorted(), warnings: r.sortedWarnings() };
  const input: PolicyInput = {
    extensions,
    delimiters,
    ...(catalogue === undefined ? {} : { styles: catalogue }),
    atProcessing: config.atProcessing,
  };
  const result = validatePolicy(input);
  if (result.ok) return { ok: true, policy: result.policy, warnings: r.sortedWarnings() };
  // The checks above are the policy's own (docs/behaviour.md#validation); whatever validation still
  // finds is reported at the document.
  for (const i of result.issues)
    r.issue('processConfiguration', [PROCESS_ROOT], config.rootOffset, i.code, i.message);
  return { ok: false, issues: r.sorted(), warnings: r.sortedWarnings() };
}

/**
 * Import a bucket's OSS configuration as a policy (docs/behaviour.md#oss-configuration-formats):
 * the body of `GET /?processConfiguration` (`SourceFileProtect`, `SourceFileProtectSuffix` as a
 * comma list or `*`, with or without leading dots, `StyleDelimiters`, `OssDomainSupportAtProcess` →
 * `atProcessing`, `CompliedHost`), and optionally the body of `GET /?style`, whose names become the
 * style catalogue. `Version` and `BucketChannelConfig` are read and ignored. The XML is read
 * strictly: no DTD, no entity but the five predefined ones and numeric references, bounded size and
 * depth; anything else is an issue with its element path, line, column, code and a sentence. Never
 * throws.
 *
 * The API carries no prefix/suffix rules, so the policy has none (a warning says so when
 * protection is on); `SourceFileProtect` `Disabled` gives no extensions (OSS clears the list);
 * `CompliedHost` `Img` gives a warning, since the policy reads delimiters on every host.
 *
 * @param processConfigurationXml The body of `GET /?processConfiguration`.
 * @param styleListXml The body of `GET /?style`. Absent: the policy has no style catalogue.
 * @example
 * const result = policyFromOssXml(
 *   `<BucketProcessConfiguration>
 *      <CompliedHost>Both</CompliedHost>
 *      <SourceFileProtect>Enabled</SourceFileProtect>
 *      <SourceFileProtectSuffix>jpg,.PNG</SourceFileProtectSuffix>
 *      <StyleDelimiters>-,!</StyleDelimiters>
 *    </BucketProcessConfiguration>`,
 *   '<StyleList><Style><Name>small</Name><Content>image/resize,w_200</Content></Style></StyleList>',
 * );
 * if (result.ok) result.policy; // { extensions: ['jpg', 'png'], delimiters: ['!', '-'], styles: ['small'], … }
 * else for (const i of result.issues) console.error(`${i.line}:${i.column}: ${i.at}: ${i.message}`);
 */
export function policyFromOssXml(
  processConfigurationXml: string,
  styleListXml?: string,
): OssXmlImportResult {
  try {
    return importXml(processConfigurationXml, styleListXml);
  } catch (error) {
    // Only a bug gets here; it is still an answer, never an exception.
    const message = `The configuration could not be read: ${error instanceof Error ? error.message : String(error)}.`;
    return {
      ok: false,
      issues: [
        Object.freeze({
          document: 'processConfiguration' as const,
          path: Object.freeze([]),
          at: formatPath([]),
          code: 'unreadable' as const,
          message,
          line: 1,
          column: 1,
        }),
      ],
      warnings: [],
    };
  }
}

const element = (name: string, value: string, indent = '  ') =>
  `${indent}<${name}>${escapeXmlText(value)}</${name}>\n`;
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/**
 * Export a policy as the body of `PUT /?processConfiguration`
 * (docs/behaviour.md#oss-configuration-formats): `CompliedHost` `Both` (the policy reads delimiters
 * on every host), `SourceFileProtect` `Enabled` when the policy protects anything (else
 * `Disabled`), the extensions as `SourceFileProtectSuffix` (`*` as is), the delimiters as
 * `StyleDelimiters`, `atProcessing` as `OssDomainSupportAtProcess`. What the API cannot carry
 * (rules, the policy's `caseInsensitive`, the style catalogue) gives a warning; the catalogue is
 * also returned as a style list, which {@link policyFromOssXml} reads back, so that export then
 * import is the identity on every policy without rules (with `caseInsensitive` false).
 *
 * @throws {PolicyError} only when `policy` is a look-alike object that is not a valid policy.
 * @example
 * const { xml, warnings } = policyToOssXml(
 *   definePolicy({ extensions: ['jpg', 'png'], delimiters: ['!'] }),
 * );
 * // xml: <?xml version="1.0" encoding="UTF-8"?>
 * //      <BucketProcessConfiguration>
 * //        <CompliedHost>Both</CompliedHost>
 * //        <SourceFileProtect>Enabled</SourceFileProtect>
 * //        <SourceFileProtectSuffix>jpg,png</SourceFileProtectSuffix>
 * //        <StyleDelimiters>!</StyleDelimiters>
 * //        <OssDomainSupportAtProcess>Disabled</OssDomainSupportAtProcess>
 * //      </BucketProcessConfiguration>
 * // warnings: []
 */
export function policyToOssXml(policy: Policy): OssXmlExport {
  const p = isPolicy(policy) ? policy : definePolicy(policy as PolicyInput);
  const warnings: OssXmlExportWarning[] = [];
  const warn = (path: string[], code: OssXmlExportWarningCode, message: string) =>
    warnings.push(
      Object.freeze({ path: Object.freeze(path), at: formatPath(path), code, message }),
    );
  const n = p.rules.length;
  if (n > 0)
    warn(
      ['rules'],
      'rules-not-carried',
      `PutBucketProcessConfiguration carries no prefix/suffix rules; set the policy's ${n} rule${n === 1 ? '' : 's'} in the OSS console.`,
    );
  if (p.caseInsensitive)
    warn(
      ['caseInsensitive'],
      'case-insensitive-not-carried',
      'PutBucketProcessConfiguration has no case-insensitive switch (extensions always compare in any case); set it with the rules in the OSS console.',
    );
  if (p.styles !== undefined)
    warn(
      ['styles'],
      'styles-not-carried',
      'PutBucketProcessConfiguration carries no styles: the catalogue is written apart as a style list (names only); create each style in OSS with its content (PutStyle).',
    );
  const protects = p.rules.length > 0 || p.extensions.length > 0;
  const xml =
    `${XML_DECLARATION}<${PROCESS_ROOT}>\n` +
    element('CompliedHost', 'Both') +
    element('SourceFileProtect', protects ? 'Enabled' : 'Disabled') +
    element('SourceFileProtectSuffix', p.extensions.join(',')) +
    element('StyleDelimiters', p.delimiters.join(',')) +
    element('OssDomainSupportAtProcess', p.atProcessing ? 'Enabled' : 'Disabled') +
    `</${PROCESS_ROOT}>\n`;
  const styleListXml =
    p.styles === undefined
      ? undefined
      : `${XML_DECLARATION}<${STYLE_ROOT}>\n${p.styles
          .map((name) => `  <Style>\n${element('Name', name, '    ')}  </Style>\n`)
          .join('')}</${STYLE_ROOT}>\n`;
  return { xml, styleListXml, warnings };
}
