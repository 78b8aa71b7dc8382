/**
 * Object-key extensions (docs/behaviour.md#extensions) and content types
 * (docs/behaviour.md#all-images).
 * @module
 */

/**
 * The extension of an object key as docs/behaviour.md#extensions defines it: the text after the
 * last `.`, provided that
 * `.` comes after the last `/` and the text is not empty. Returned as written (not lower-cased).
 *
 * @example
 * keyExtension('a/b.JPG') // 'JPG'
 * keyExtension('a.b/c')   // undefined
 * keyExtension('a.')      // undefined
 * keyExtension('.jpg')    // 'jpg'
 */
export function keyExtension(key: string): string | undefined {
  for (let i = key.length - 1; i >= 0; i--) {
    const c = String.prototype.charCodeAt.call(key, i);
    if (c === 0x2e) return i === key.length - 1 ? undefined : key.slice(i + 1);
    if (c === 0x2f) return undefined;
  }
  return undefined;
}

const IMAGE_TYPE = /^image$/i;

/**
 * Whether a `Content-Type` names an image, as `extensions: ["*"]` needs
 * (docs/behaviour.md#all-images): the type before
 * `/` is `image`, case-insensitively, parameters and surrounding white space ignored. An absent
 * or empty content type is unknown, and unknown counts as an image (fail closed).
 *
 * @example
 * isImageContentType('image/PNG; q=1') // true
 * isImageContentType('text/html')      // false
 * isImageContentType(undefined)        // true: unknown, so protected
 */
export function isImageContentType(contentType: string | undefined): boolean {
  // Unknown (absent, or not even a string from JavaScript callers) counts as an image.
  if (typeof contentType !== 'string') return true;
  const semi = contentType.indexOf(';');
  const media = (semi === -1 ? contentType : contentType.slice(0, semi)).trim();
  if (media === '') return true;
  const slash = media.indexOf('/');
  // Without the u flag, /i never folds a non-ASCII letter to ASCII: an ASCII-only comparison.
  return IMAGE_TYPE.test(slash === -1 ? media : media.slice(0, slash));
}
