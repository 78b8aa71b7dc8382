/**
 * Hints `check` and `explain` add to a decision, computed from the decision, the URL as read
 * (`parseRequestUrl`) and the policy, never from inside `evaluate`: a style the catalogue does
 * not have, a delimiter the policy does not enable, a custom domain whose bucket is unknown.
 */
import {
  DELIMITERS,
  type Decision,
  type Policy,
  parseRequestUrl,
  type UrlOptions,
} from '../index.js';
import { quote } from './output.js';

const STYLE_NAME = /^[A-Za-z0-9_.-]{1,63}$/;

/** The catalogue for a sentence: at most ten names, quoted. */
function catalogue(styles: readonly string[]): string {
  if (styles.length === 0) return 'it is empty';
  const shown = styles.slice(0, 10).map((s) => JSON.stringify(s));
  return `it has ${shown.join(', ')}${styles.length > 10 ? `, and ${styles.length - 10} more` : ''}`;
}

const enabledList = (policy: Policy) =>
  policy.delimiters.length === 0
    ? 'none is enabled'
    : `enabled: ${policy.delimiters.map((d) => `"${d}"`).join(', ')}`;

/** The style a raw path ends with after `delimiter` at `i`, decoded, when it is a style name. */
function styleAfter(path: string, i: number): string | undefined {
  let text: string;
  try {
    text = decodeURIComponent(path.slice(i + 1));
  } catch {
    return undefined;
  }
  return STYLE_NAME.test(text) ? text : undefined;
}

/**
 * Hints for a URL's decision, in addition to the decision's own `hint`. Each is a sentence that
 * names what to change.
 */
export function requestHints(
  url: string,
  decision: Decision,
  policy: Policy,
  options: UrlOptions,
): string[] {
  const hints: string[] = [];
  const parsed = parseRequestUrl(url, policy, options);
  if (!parsed.ok) return hints;

  if (parsed.endpoint === 'custom-domain' && parsed.bucket === undefined)
    hints.push(
      `${quote(parsed.host ?? '')} is not an OSS endpoint and no bucket is mapped to it, so the bucket is unknown (signatures cannot be verified without it); pass --bucket-map ${parsed.host}=BUCKET or --bucket BUCKET.`,
    );

  if (decision.allow) return hints;
  const styles = policy.styles;
  if (
    decision.reason === 'no-such-style' &&
    parsed.process.kind === 'style' &&
    styles !== undefined
  ) {
    hints.push(
      `The style ${JSON.stringify(parsed.process.style)} is not in the policy's style catalogue (${catalogue(styles)}); if the bucket has this style, add it to "styles".`,
    );
    return hints;
  }
  if (decision.reason !== 'original') return hints;

  // Where a delimiter and a style would be: the last segment of the raw path, and its "/".
  const path = parsed.path;
  const key = decision.key ?? '';
  for (let i = path.length - 2; i >= Math.max(path.lastIndexOf('/'), 1); i--) {
    const c = path[i] as string;
    if (!(DELIMITERS as readonly string[]).includes(c)) continue;
    const style = styleAfter(path, i);
    if (style === undefined) continue;
    if ((policy.delimiters as readonly string[]).includes(c)) {
      // "folder/file.jpg" under "/" is a file, not a style: no hint for names with a dot there.
      if (styles !== undefined && !styles.includes(style) && (c !== '/' || !style.includes('.'))) {
        hints.push(
          `${JSON.stringify(style)} after the delimiter "${c}" is not in the policy's style catalogue (${catalogue(styles)}), so the whole path was read as the key ${quote(key)}; if the bucket has this style, add it to "styles".`,
        );
        return hints;
      }
      continue;
    }
    // A delimiter that is not enabled: certain with a catalogue (the name is in it); without
    // one only for names without a dot and never for "/", so that "my_photo.jpg" or
    // "photos/2024" is not taken for a style.
    const likely =
      styles !== undefined ? styles.includes(style) : c !== '/' && !style.includes('.');
    if (likely) {
      hints.push(
        `"${c}" is not an enabled delimiter (${enabledList(policy)}), so ${quote(key)} was read as the key; if the bucket enables "${c}" (StyleDelimiters), add it to "delimiters", or use ?x-oss-process=style/${style}.`,
      );
      return hints;
    }
  }
  return hints;
}
