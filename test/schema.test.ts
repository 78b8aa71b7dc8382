import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validatePolicy } from '../src/index.js';
import { policyInputArb } from './support/arbitraries.js';

const schema = JSON.parse(
  readFileSync(new URL('../src/policy/policy.schema.json', import.meta.url), 'utf8'),
);
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const schemaValid = ajv.compile(schema);

/**
 * Constraints JSON Schema cannot express. The schema is deliberately looser here, and
 * validatePolicy alone enforces them; each is pinned by its own test below.
 * - too-long: UTF-8 byte length (JSON Schema `maxLength` counts code points);
 * - not-unicode: lone surrogates in prefix/suffix;
 * - duplicate-extension: duplicates after dropping "." and case (`uniqueItems` is exact).
 */
const NOT_EXPRESSIBLE = new Set(['too-long', 'not-unicode', 'duplicate-extension']);

const value = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), fc.constant(null));
const affix = fc.oneof(
  fc.constantFrom(
    '',
    '/',
    '\\a',
    'image/',
    'a',
    'Ünï',
    '图/',
    '\ud800',
    'a'.repeat(1023),
    'a'.repeat(1024),
    '图'.repeat(400),
  ),
  fc.string({ maxLength: 6 }),
  value,
);
const rule = fc.oneof(
  fc.record(
    { prefix: affix, suffix: affix, caseInsensitive: fc.oneof(fc.boolean(), value), Prefix: value },
    { requiredKeys: [] },
  ),
  value,
);
const ext = fc.oneof(
  fc.constantFrom(
    'jpg',
    'JPG',
    '.jpg',
    '.PNG',
    'png',
    '*',
    '',
    '.',
    'tar.gz',
    'x'.repeat(16),
    'x'.repeat(17),
    'é',
  ),
  value,
);
const delimiter = fc.oneof(fc.constantFrom('!', '-', '/', '_', '~', '!!', ''), value);
const style = fc.oneof(
  fc.constantFrom('small', 'a.b_c-D', '', 'a/b', 's'.repeat(63), 's'.repeat(64)),
  value,
);
const nearlyPolicy = fc.record(
  {
    $schema: fc.oneof(fc.constant('./policy.schema.json'), value),
    rules: fc.oneof(fc.array(rule, { maxLength: 12 }), value),
    caseInsensitive: fc.oneof(fc.boolean(), value),
    extensions: fc.oneof(fc.array(ext, { maxLength: 4 }), value),
    delimiters: fc.oneof(fc.array(delimiter, { maxLength: 5 }), value),
    styles: fc.oneof(
      fc.array(style, { maxLength: 4 }),
      fc.array(fc.constant('s'), { minLength: 49, maxLength: 52 }),
      value,
    ),
    extra: value,
  },
  { requiredKeys: [] },
);

describe('policy.schema.json agrees with validatePolicy', () => {
  it('schema-valid ⇔ ok, apart from the constraints JSON Schema cannot express', () => {
    let valid = 0;
    let invalid = 0;
    fc.assert(
      fc.property(
        fc.oneof(nearlyPolicy, policyInputArb, fc.jsonValue({ maxDepth: 3 })),
        (input) => {
          const result = validatePolicy(input);
          const bySchema = schemaValid(input);
          if (result.ok) {
            valid++;
            expect(bySchema, JSON.stringify(schemaValid.errors)).toBe(true);
          } else {
            invalid++;
            const onlyInexpressible = result.issues.every((i) => NOT_EXPRESSIBLE.has(i.code));
            expect(bySchema, JSON.stringify(result.issues)).toBe(onlyInexpressible);
          }
        },
      ),
      { numRuns: 5000 },
    );
    // The generator must reach both sides, or the property proves nothing.
    expect(valid).toBeGreaterThan(100);
    expect(invalid).toBeGreaterThan(100);
  });

  it.each([
    [
      'UTF-8 bytes over 1023 within 1023 code points',
      { rules: [{ prefix: '图'.repeat(400) }] },
      'too-long',
    ],
    ['lone surrogate', { rules: [{ suffix: 'a\udc00' }] }, 'not-unicode'],
    [
      'duplicate extension after normalisation',
      { extensions: ['.jpg', 'JPG'] },
      'duplicate-extension',
    ],
  ])('checked by validatePolicy only: %s', (_, input, code) => {
    expect(schemaValid(input)).toBe(true);
    const result = validatePolicy(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => i.code)).toEqual([code]);
  });

  it('the bundled example validates against the schema', () => {
    const example = JSON.parse(
      readFileSync(new URL('../docs/example-policy.json', import.meta.url), 'utf8'),
    );
    expect(schemaValid(example), JSON.stringify(schemaValid.errors)).toBe(true);
  });
});
