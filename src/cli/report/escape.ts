/** Text made safe for HTML and SVG content and for attribute values in double or single quotes. */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escape `& < > " '`, so any text (an object key can hold `<script>`) is shown as text.
 *
 * @example
 * escapeHtml('<a href="x">&</a>'); // '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}
