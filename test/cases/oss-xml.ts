/**
 * SPEC S10 as data: OSS's configuration XML → a policy, or every issue. Each row names the clause
 * it pins. In the XML, `▶` marks where each expected issue is (in order) and `◆` where each
 * expected warning is; the markers are removed before the text is read, so the table states
 * lines and columns without counting them by hand.
 */
import type { PolicyInput } from '../../src/index.js';

export interface Expected {
  code: string;
  /** `at`, the element path for people. */
  at: string;
}

export type OssXmlCase = {
  clause: string;
  process: string;
  styles?: string;
} & ({ policy: PolicyInput; warnings: Expected[] } | { issues: Expected[]; warnings?: Expected[] });

const ROOT = 'BucketProcessConfiguration';
/** A processConfiguration body with the given children, one per line, indented as OSS does. */
export const processXml = (...children: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${ROOT}>\n${children.map((c) => `  ${c}\n`).join('')}</${ROOT}>\n`;
const on = '<SourceFileProtect>Enabled</SourceFileProtect>';
const suffix = (s: string) => `<SourceFileProtectSuffix>${s}</SourceFileProtectSuffix>`;
const delimiters = (s: string) => `<StyleDelimiters>${s}</StyleDelimiters>`;
/** `◆` before the root: the rules-not-in-api warning is about the whole configuration. */
const enabledXml = (...children: string[]) =>
  processXml(on, ...children).replace(`<${ROOT}>`, `◆<${ROOT}>`);
const RULES_WARNING = { code: 'rules-not-in-api', at: ROOT };
export const styleList = (...names: string[]) =>
  `<StyleList>${names.map((n) => `<Style><Name>${n}</Name><Content>image/resize,w_200</Content></Style>`).join('')}</StyleList>`;

const base = { rules: [], caseInsensitive: false, atProcessing: false } as const;

export const ossXmlCases: OssXmlCase[] = [
  // --- valid shapes
  {
    clause: "S10 the spec's example: Both, Enabled, jpg,png, -,/",
    process: processXml(
      '<CompliedHost>Both</CompliedHost>',
      on,
      suffix('jpg,png'),
      delimiters('-,/'),
    ).replace(`<${ROOT}>`, `◆<${ROOT}>`),
    policy: { ...base, extensions: ['jpg', 'png'], delimiters: ['-', '/'] },
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 a real GET response: Version and BucketChannelConfig are read and ignored',
    process: enabledXml(
      '<Version>2</Version>',
      suffix('jpg'),
      delimiters(''),
      '<BucketChannelConfig><RuleList><DefaultRule><Name>default</Name><RuleRegex>Lio=</RuleRegex><LastModifiedTime>Wed, 02 Oct 2023 14:30:18 GMT</LastModifiedTime></DefaultRule></RuleList></BucketChannelConfig>',
      '<CompliedHost>Both</CompliedHost>',
    ),
    policy: { ...base, extensions: ['jpg'], delimiters: [] },
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 R2 OssDomainSupportAtProcess Enabled → atProcessing true',
    process: enabledXml(
      suffix('jpg'),
      '<OssDomainSupportAtProcess>Enabled</OssDomainSupportAtProcess>',
    ),
    policy: { ...base, extensions: ['jpg'], atProcessing: true },
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 R2 OssDomainSupportAtProcess Disabled → atProcessing false',
    process: enabledXml('<OssDomainSupportAtProcess>Disabled</OssDomainSupportAtProcess>'),
    policy: { ...base, extensions: [] },
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 R2 OssDomainSupportAtProcess absent → false, OSS default',
    process: enabledXml(suffix('png')),
    policy: { ...base, extensions: ['png'] },
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 SourceFileProtectSuffix "*" protects every image',
    process: enabledXml(suffix('*')),
    policy: { ...base, extensions: ['*'] },
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 entries may carry a leading dot, in any case',
    process: enabledXml(suffix('.jpg,.PNG,Gif')),
    policy: { ...base, extensions: ['jpg', 'png', 'gif'] },
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 white space around entries is dropped',
    process: enabledXml(suffix(' jpg , png\t'), delimiters(' - , _ ')),
    policy: { ...base, extensions: ['jpg', 'png'], delimiters: ['-', '_'] },
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 SourceFileProtect Disabled with a suffix present: no extensions (OSS clears it)',
    process: processXml(
      '<SourceFileProtect>◆Disabled</SourceFileProtect>',
      suffix('jpg,png'),
      delimiters('-'),
    ),
    policy: { ...base, extensions: [], delimiters: ['-'] },
    warnings: [{ code: 'protection-disabled', at: `${ROOT}.SourceFileProtect` }],
  },
  {
    clause: 'S10 SourceFileProtect Disabled without a suffix',
    process: processXml('<SourceFileProtect>◆Disabled</SourceFileProtect>'),
    policy: { ...base, extensions: [] },
    warnings: [{ code: 'protection-disabled', at: `${ROOT}.SourceFileProtect` }],
  },
  {
    clause: 'S10 Disabled: a suffix OSS would clear is not checked',
    process: processXml('<SourceFileProtect>◆Disabled</SourceFileProtect>', suffix('j.pg,,')),
    policy: { ...base, extensions: [] },
    warnings: [{ code: 'protection-disabled', at: `${ROOT}.SourceFileProtect` }],
  },
  {
    clause: 'S10 Enabled and Disabled in any letter case (SDK examples write "disabled")',
    process: processXml('<SourceFileProtect>◆disabled</SourceFileProtect>'),
    policy: { ...base, extensions: [] },
    warnings: [{ code: 'protection-disabled', at: `${ROOT}.SourceFileProtect` }],
  },
  {
    clause: 'S10 an empty suffix and empty delimiters (OSS defaults), self-closing or not',
    process: enabledXml('<SourceFileProtectSuffix/>', delimiters('')),
    policy: { ...base, extensions: [], delimiters: [] },
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 StyleDelimiters: all four, stored in ASCII order as OSS returns them',
    process: enabledXml(delimiters('_,!,/,-')),
    policy: { ...base, delimiters: ['!', '-', '/', '_'] },
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 CompliedHost Img: a warning, the policy models Both',
    process: enabledXml('<CompliedHost>◆Img</CompliedHost>', delimiters('!')),
    policy: { ...base, delimiters: ['!'] },
    warnings: [RULES_WARNING, { code: 'complied-host-img', at: `${ROOT}.CompliedHost` }],
  },
  {
    clause: 'S10 CompliedHost in any letter case (OSS accepts "img")',
    process: enabledXml('<CompliedHost>◆img</CompliedHost>'),
    policy: { ...base },
    warnings: [RULES_WARNING, { code: 'complied-host-img', at: `${ROOT}.CompliedHost` }],
  },
  {
    clause: 'S10 XML: byte-order mark, CRLF line ends, comments everywhere',
    process: `\ufeff<?xml version="1.0" encoding="utf-8" standalone="yes"?>\r\n<!-- from ossutil -->\r\n◆<${ROOT}>\r\n  <!-- c -->${on}\r\n  ${suffix('jpg<!-- x -->,png')}\r\n</${ROOT}>\r\n<!-- end -->\r\n`,
    policy: { ...base, extensions: ['jpg', 'png'] },
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 XML: character references and predefined entities are decoded',
    process: enabledXml(suffix('&#x6A;pg&#44;p&#110;g'), delimiters('&#45;,&#x21;')),
    policy: { ...base, extensions: ['jpg', 'png'], delimiters: ['!', '-'] },
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 XML: a CDATA section is text',
    process: enabledXml(suffix('<![CDATA[jpg,png]]>')),
    policy: { ...base, extensions: ['jpg', 'png'] },
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 XML: an xmlns attribute is accepted',
    process: enabledXml(suffix('jpg')).replace(
      `<${ROOT}>`,
      `<${ROOT} xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">`,
    ),
    policy: { ...base, extensions: ['jpg'] },
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 GET /?style names become the catalogue; Content and the dates are ignored',
    process: enabledXml(suffix('jpg'), delimiters('!')),
    styles:
      '<StyleList>\n  <Style>\n    <Name>small</Name>\n    <Content>image/resize,p_50</Content>\n    <CreateTime>Wed, 20 May 2020 12:07:15 GMT</CreateTime>\n    <LastModifyTime>Wed, 21 May 2020 12:07:15 GMT</LastModifyTime>\n    <Category>image</Category>\n  </Style>\n  <Style><Name>thumb.v2</Name></Style>\n</StyleList>',
    policy: { ...base, extensions: ['jpg'], delimiters: ['!'], styles: ['small', 'thumb.v2'] },
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 an empty style list is an empty catalogue',
    process: enabledXml(suffix('jpg')),
    styles: '<StyleList/>',
    policy: { ...base, extensions: ['jpg'], styles: [] },
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 fifty styles are allowed',
    process: enabledXml(),
    styles: styleList(...Array.from({ length: 50 }, (_, i) => `s${i}`)),
    policy: { ...base, styles: Array.from({ length: 50 }, (_, i) => `s${i}`) },
    warnings: [RULES_WARNING],
  },

  // --- malformed XML
  {
    clause: 'S10 not XML at all',
    process: '▶hello',
    issues: [{ code: 'xml-syntax', at: '(root)' }],
  },
  { clause: 'S10 an empty text', process: '▶', issues: [{ code: 'xml-syntax', at: '(root)' }] },
  {
    clause: 'S10 the text ends inside an element',
    process: `<${ROOT}>\n  <SourceFileProtect>Enabled▶`,
    issues: [{ code: 'xml-syntax', at: `${ROOT}.SourceFileProtect` }],
  },
  {
    clause: 'S10 a mismatched end tag',
    process: `<${ROOT}>\n  <SourceFileProtect>Enabled▶</SourceFileProtectSuffix>\n</${ROOT}>`,
    issues: [{ code: 'xml-syntax', at: `${ROOT}.SourceFileProtect` }],
  },
  {
    clause: 'S10 two root elements',
    process: `<${ROOT}>${on}</${ROOT}>\n▶<${ROOT}/>`,
    issues: [{ code: 'xml-syntax', at: '(root)' }],
  },
  {
    clause: 'S10 text after the root element',
    process: `<${ROOT}>${on}</${ROOT}>\n▶x`,
    issues: [{ code: 'xml-syntax', at: '(root)' }],
  },
  {
    clause: 'S10 a bare & in text',
    process: enabledXml(suffix('jpg▶&png')),
    issues: [{ code: 'xml-syntax', at: `${ROOT}.SourceFileProtectSuffix` }],
  },
  {
    clause: 'S10 an unquoted attribute value',
    process: `<${ROOT} a=▶1>${on}</${ROOT}>`,
    issues: [{ code: 'xml-syntax', at: ROOT }],
  },
  {
    clause: 'S10 a control character',
    process: enabledXml(suffix('jpg▶\u0001')),
    issues: [{ code: 'xml-syntax', at: `${ROOT}.SourceFileProtectSuffix` }],
  },
  {
    clause: 'S10 a lone surrogate',
    process: enabledXml(suffix('jpg▶\ud800')),
    issues: [{ code: 'xml-syntax', at: `${ROOT}.SourceFileProtectSuffix` }],
  },
  {
    clause: 'S10 a reference to a character XML forbids',
    process: enabledXml(suffix('jpg▶&#0;')),
    issues: [{ code: 'xml-syntax', at: `${ROOT}.SourceFileProtectSuffix` }],
  },
  {
    clause: 'S10 "--" inside a comment',
    process: `<${ROOT}><!-- a ▶-- b -->${on}</${ROOT}>`,
    issues: [{ code: 'xml-syntax', at: ROOT }],
  },
  {
    clause: 'S10 the XML declaration anywhere but first',
    process: `\n▶<?xml version="1.0"?><${ROOT}/>`,
    issues: [{ code: 'xml-syntax', at: '(root)' }],
  },
  {
    clause: 'S10 an encoding other than UTF-8',
    process: `▶<?xml version="1.0" encoding="ISO-8859-1"?><${ROOT}/>`,
    issues: [{ code: 'xml-unsupported', at: '(root)' }],
  },
  {
    clause: 'S10 a processing instruction',
    process: `<${ROOT}>▶<?php echo 1 ?>${on}</${ROOT}>`,
    issues: [{ code: 'xml-unsupported', at: ROOT }],
  },

  // --- DTD and entities (no XXE, no entity expansion)
  {
    clause: 'S10 a DOCTYPE is refused',
    process: `<?xml version="1.0"?>\n▶<!DOCTYPE ${ROOT} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<${ROOT}>${on}${suffix('&xxe;')}</${ROOT}>`,
    issues: [{ code: 'xml-dtd', at: '(root)' }],
  },
  {
    clause: 'S10 "billion laughs" is refused before any expansion',
    process: `▶<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><${ROOT}>&lol2;</${ROOT}>`,
    issues: [{ code: 'xml-dtd', at: '(root)' }],
  },
  {
    clause: 'S10 an <!ENTITY> declaration inside the document',
    process: `<${ROOT}>▶<!ENTITY a "b">${on}</${ROOT}>`,
    issues: [{ code: 'xml-dtd', at: ROOT }],
  },
  {
    clause: 'S10 an undefined entity',
    process: enabledXml(suffix('▶&xxe;')),
    issues: [{ code: 'xml-entity', at: `${ROOT}.SourceFileProtectSuffix` }],
  },
  {
    clause: 'S10 an HTML entity is not one of the five',
    process: enabledXml(suffix('jpg▶&nbsp;')),
    issues: [{ code: 'xml-entity', at: `${ROOT}.SourceFileProtectSuffix` }],
  },
  {
    clause: 'S10 an entity in an attribute',
    process: `<${ROOT} xmlns="▶&ext;">${on}</${ROOT}>`,
    issues: [{ code: 'xml-entity', at: ROOT }],
  },

  // --- bounds
  {
    clause: 'S10 deep nesting is refused (inside an ignored element too)',
    process: enabledXml(
      `<BucketChannelConfig>${'<a>'.repeat(14)}▶<b>${'</a>'.repeat(14)}</BucketChannelConfig>`,
    ),
    issues: [{ code: 'xml-too-deep', at: `${ROOT}.BucketChannelConfig${'.a'.repeat(14)}.b` }],
  },
  {
    clause: 'S10 huge input is refused before it is read',
    process: `▶<${ROOT}>${' '.repeat(1_048_576)}</${ROOT}>`,
    issues: [{ code: 'xml-too-large', at: '(root)' }],
  },

  // --- another root, unknown and misplaced elements
  {
    clause: 'S10 another root element',
    process: '▶<CORSConfiguration><CORSRule/></CORSConfiguration>',
    issues: [{ code: 'wrong-root', at: 'CORSConfiguration' }],
  },
  {
    clause: 'S10 the two documents swapped',
    process: '▶<StyleList><Style><Name>small</Name></Style></StyleList>',
    styles: `▶<${ROOT}>${on}</${ROOT}>`,
    issues: [
      { code: 'wrong-root', at: 'StyleList' },
      { code: 'wrong-root', at: ROOT },
    ],
  },
  {
    clause: 'S10 an unknown element',
    process: enabledXml('▶<SourceFileProtectPrefix>a/</SourceFileProtectPrefix>'),
    issues: [{ code: 'unknown-element', at: `${ROOT}.SourceFileProtectPrefix` }],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 an element given twice',
    process: enabledXml(suffix('jpg'), `▶${suffix('png')}`),
    issues: [{ code: 'duplicate-element', at: `${ROOT}.SourceFileProtectSuffix` }],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 SourceFileProtect is required',
    process: processXml(suffix('jpg')).replace(`<${ROOT}>`, `▶<${ROOT}>`),
    issues: [{ code: 'missing-element', at: ROOT }],
  },
  {
    clause: 'S10 SourceFileProtect must be Enabled or Disabled',
    process: processXml('<SourceFileProtect>▶On</SourceFileProtect>'),
    issues: [{ code: 'invalid-value', at: `${ROOT}.SourceFileProtect` }],
  },
  {
    clause: 'S10 CompliedHost must be Both or Img',
    process: enabledXml('<CompliedHost>▶Oss</CompliedHost>'),
    issues: [{ code: 'invalid-value', at: `${ROOT}.CompliedHost` }],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 R2 OssDomainSupportAtProcess must be Enabled or Disabled',
    process: enabledXml('<OssDomainSupportAtProcess>▶yes</OssDomainSupportAtProcess>'),
    issues: [{ code: 'invalid-value', at: `${ROOT}.OssDomainSupportAtProcess` }],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 an attribute other than xmlns',
    process: enabledXml(`<SourceFileProtectSuffix ▶case="lower">jpg</SourceFileProtectSuffix>`),
    issues: [{ code: 'unexpected-attribute', at: `${ROOT}.SourceFileProtectSuffix` }],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 text directly in the root element',
    process: `◆<${ROOT}>${on}▶stray</${ROOT}>`,
    issues: [{ code: 'unexpected-text', at: ROOT }],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 an element where text belongs',
    process: enabledXml('<StyleDelimiters>▶<Delimiter>-</Delimiter></StyleDelimiters>'),
    issues: [{ code: 'expected-text', at: `${ROOT}.StyleDelimiters.Delimiter` }],
    warnings: [RULES_WARNING],
  },

  // --- the lists
  {
    clause: 'S10 unknown delimiters, each at its entry',
    process: enabledXml(delimiters('-,▶|,!,▶:')),
    issues: [
      { code: 'invalid-delimiter', at: `${ROOT}.StyleDelimiters[1]` },
      { code: 'invalid-delimiter', at: `${ROOT}.StyleDelimiters[3]` },
    ],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 a delimiter of two characters is not two delimiters',
    process: enabledXml(delimiters('▶-!')),
    issues: [{ code: 'invalid-delimiter', at: `${ROOT}.StyleDelimiters[0]` }],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 a delimiter listed twice',
    process: enabledXml(delimiters('-,!,▶-')),
    issues: [{ code: 'duplicate-delimiter', at: `${ROOT}.StyleDelimiters[2]` }],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 empty entries in a comma list',
    process: enabledXml(suffix('jpg,▶,png,▶'), delimiters('▶,-')),
    issues: [
      { code: 'empty-entry', at: `${ROOT}.SourceFileProtectSuffix[1]` },
      { code: 'empty-entry', at: `${ROOT}.SourceFileProtectSuffix[3]` },
      { code: 'empty-entry', at: `${ROOT}.StyleDelimiters[0]` },
    ],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 invalid extensions, at their entries (a reference counts as written)',
    process: enabledXml(suffix('jpg,▶j.pg,▶&#x2A;x,▶..png')),
    issues: [
      { code: 'invalid-extension', at: `${ROOT}.SourceFileProtectSuffix[1]` },
      { code: 'invalid-extension', at: `${ROOT}.SourceFileProtectSuffix[2]` },
      { code: 'invalid-extension', at: `${ROOT}.SourceFileProtectSuffix[3]` },
    ],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 "*" with other extensions',
    process: enabledXml(suffix('jpg,▶*')),
    issues: [{ code: 'wildcard-mixed', at: `${ROOT}.SourceFileProtectSuffix[1]` }],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 extensions repeated after dropping the dot and case',
    process: enabledXml(suffix('jpg,▶.JPG')),
    issues: [{ code: 'duplicate-extension', at: `${ROOT}.SourceFileProtectSuffix[1]` }],
    warnings: [RULES_WARNING],
  },

  // --- the style list
  {
    clause: 'S10 a style list with another root',
    process: enabledXml(),
    styles: '▶<ListStyleResult/>',
    issues: [{ code: 'wrong-root', at: 'ListStyleResult' }],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 a style without a name',
    process: enabledXml(),
    styles:
      '<StyleList><Style><Name>a</Name></Style>▶<Style><Content>x</Content></Style></StyleList>',
    issues: [{ code: 'missing-element', at: 'StyleList.Style[1]' }],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 an invalid and a repeated style name',
    process: enabledXml(),
    styles:
      '<StyleList><Style><Name>▶a b</Name></Style><Style><Name>c</Name></Style><Style><Name>▶c</Name></Style></StyleList>',
    issues: [
      { code: 'invalid-style-name', at: 'StyleList.Style[0].Name' },
      { code: 'duplicate-style', at: 'StyleList.Style[2].Name' },
    ],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 more than fifty styles',
    process: enabledXml(),
    styles: `▶${styleList(...Array.from({ length: 51 }, (_, i) => `s${i}`))}`,
    issues: [{ code: 'too-many-styles', at: 'StyleList' }],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 unknown elements in the style list and in a style',
    process: enabledXml(),
    styles: '<StyleList>▶<Marker/><Style><Name>a</Name>▶<Owner>x</Owner></Style></StyleList>',
    issues: [
      { code: 'unknown-element', at: 'StyleList.Marker' },
      { code: 'unknown-element', at: 'StyleList.Style[0].Owner' },
    ],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 problems in both documents: all of them, the configuration first',
    process: enabledXml(delimiters('▶|')),
    styles: '<StyleList><Style><Name>▶a/b</Name></Style></StyleList>',
    issues: [
      { code: 'invalid-delimiter', at: `${ROOT}.StyleDelimiters[0]` },
      { code: 'invalid-style-name', at: 'StyleList.Style[0].Name' },
    ],
    warnings: [RULES_WARNING],
  },
  {
    clause: 'S10 a style list that is not XML',
    process: enabledXml(),
    styles: '<StyleList><Style>▶',
    issues: [{ code: 'xml-syntax', at: 'StyleList.Style' }],
    warnings: [RULES_WARNING],
  },
];
