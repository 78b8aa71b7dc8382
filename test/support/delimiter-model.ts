/**
 * S4's delimiter rule, plainly, for the delimiter suites (`test/mutation/delimiters.test.ts`,
 * `request-delimiters.test.ts`): scan a raw key from its second-to-last character to its second;
 * each literal enabled delimiter whose remainder decodes to a style name is a split (with a
 * catalogue, only a catalogue name, and only the last such delimiter).
 */
import type { Policy } from '../../src/index.js';

const STYLE = /^[A-Za-z0-9_.-]{1,63}$/;

function decode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** The delimiter splits of `rawKey` under `policy`, last first. */
export function delimiterModel(rawKey: string, policy: Policy) {
  const out: { at: number; delimiter: string; style: string }[] = [];
  for (let i = rawKey.length - 2; i >= 1; i--) {
    const d = rawKey[i] as string;
    if (!(policy.delimiters as readonly string[]).includes(d)) continue;
    const style = decode(rawKey.slice(i + 1));
    if (style === undefined || !STYLE.test(style)) continue;
    if (policy.styles !== undefined && !policy.styles.includes(style)) continue;
    out.push({ at: i, delimiter: d, style });
    if (policy.styles !== undefined) break;
  }
  return out;
}
