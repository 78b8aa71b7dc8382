/** Types of scripts/site-markdown.mjs, for the tests that import it. */

/** Escape text for HTML content and double-quoted attributes. */
export declare function escapeHtml(text: string): string;

/** GitHub's anchor for a heading's text. */
export declare function githubSlug(text: string): string;

/** A Markdown renderer with GitHub anchors, highlighting and a link rewriter. */
export declare function createRenderer(): Promise<{
  render(
    text: string,
    rewrite?: (href: string, kind?: 'raw') => string,
  ): { html: string; headings: { level: number; id: string; text: string }[] };
  code(code: string, info: string): string;
}>;
