/**
 * Markdown → HTML for the site: markdown-it with GitHub's heading anchors, build-time
 * highlighting (the highlighter typedoc uses, so guides and API pages look alike), and a hook
 * that rewrites every relative link to the page that renders its target.
 */
import {
  bundledLanguages,
  bundledThemes,
  codeToTokensWithThemes,
  createOnigurumaEngine,
  createShikiInternal,
  loadBuiltinWasm,
} from '@gerrit0/mini-shiki';
import MarkdownIt from 'markdown-it';

/** Info strings as written in the docs → the grammar that colours them. */
const LANGS = {
  ts: 'typescript',
  typescript: 'typescript',
  js: 'javascript',
  javascript: 'javascript',
  mjs: 'javascript',
  json: 'json',
  jsonc: 'jsonc',
  sh: 'shellscript',
  bash: 'shellscript',
  shell: 'shellscript',
  console: 'shellsession',
  yaml: 'yaml',
  yml: 'yaml',
  xml: 'xml',
  html: 'html',
  http: 'http',
  diff: 'diff',
};

let shiki;

/** Loads the grammars once per process (about 100 ms); later calls reuse them. */
async function highlighter() {
  if (shiki === undefined) {
    await loadBuiltinWasm();
    const langs = [...new Set(Object.values(LANGS))].map((l) => bundledLanguages[l]);
    shiki = await createShikiInternal({
      engine: createOnigurumaEngine(),
      langs,
      themes: [bundledThemes['github-light'], bundledThemes['github-dark']],
    });
  }
  return shiki;
}

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
/** Escape text for HTML content and double-quoted attributes. */
export const escapeHtml = (s) => String(s).replace(/[&<>"]/g, (c) => ESCAPES[c]);

/**
 * A code block as HTML: each token carries its light and dark colour as CSS variables, so the
 * page follows the reader's colour scheme without a second copy of the code.
 */
export function highlightCode(hl, code, info) {
  const lang = LANGS[info.trim().split(/\s+/)[0]?.toLowerCase() ?? ''];
  const label = info.trim().split(/\s+/)[0] ?? '';
  const attrs = label === '' ? '' : ` data-lang="${escapeHtml(label)}"`;
  if (label === 'decision')
    return `<pre class="code decision"${attrs}><code>${decisionHtml(code)}</code></pre>`;
  if (lang === undefined) return `<pre class="code"${attrs}><code>${escapeHtml(code)}</code></pre>`;
  const lines = codeToTokensWithThemes(hl, code.replace(/\n$/, ''), {
    lang,
    themes: { light: 'github-light', dark: 'github-dark' },
  });
  const html = lines
    .map((line) =>
      line
        .map((t) => {
          const l = t.variants.light?.color;
          const d = t.variants.dark?.color;
          if (l === undefined && d === undefined) return escapeHtml(t.content);
          return `<span style="--l:${l};--d:${d}">${escapeHtml(t.content)}</span>`;
        })
        .join(''),
    )
    .join('\n');
  return `<pre class="code shiki"${attrs}><code>${html}</code></pre>`;
}

/** The behaviour reference's request/verdict examples, coloured by line kind. */
function decisionHtml(code) {
  return code
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => {
      const e = escapeHtml(line);
      if (line.startsWith('#')) return `<span class="comment">${e}</span>`;
      const policy = /^(policy:)(.*)$/.exec(line);
      if (policy) return `<span class="key">${policy[1]}</span>${escapeHtml(policy[2])}`;
      const verdict = /^(\s*(?:→|->)\s*)(allow|deny)(.*)$/.exec(line);
      if (verdict) {
        return `${escapeHtml(verdict[1])}<span class="${verdict[2]}">${verdict[2]}${escapeHtml(verdict[3])}</span>`;
      }
      const request = /^([A-Z]+)(\s.*)$/.exec(line);
      if (request) return `<span class="method">${request[1]}</span>${escapeHtml(request[2])}`;
      const header = /^([A-Za-z0-9-]+:)(.*)$/.exec(line);
      if (header)
        return `<span class="header">${escapeHtml(header[1])}</span>${escapeHtml(header[2])}`;
      return e;
    })
    .join('\n');
}

/**
 * GitHub's heading anchor: lower-cased, punctuation and symbols dropped (letters, digits, marks,
 * `_` and `-` stay), each space a `-`. The docs link to these, so they must be GitHub's exactly.
 *
 * @example
 * githubSlug('Node.js node:http') // 'nodejs-nodehttp'
 */
export function githubSlug(text) {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The plain text of an inline token, as GitHub reads a heading (code spans keep their text). */
const inlineText = (token) =>
  (token.children ?? [])
    .filter((c) => c.type === 'text' || c.type === 'code_inline')
    .map((c) => c.content)
    .join('');

/**
 * A renderer. `env` of each render: `{ rewrite(href) → href, headings: [] }`; the headings
 * found (level, id, text) are pushed to `env.headings`.
 */
export async function createRenderer() {
  const hl = await highlighter();
  const md = new MarkdownIt({
    html: true,
    linkify: true,
    typographer: false,
    highlight: (code, info) => highlightCode(hl, code, info),
  });
  md.core.ruler.push('github_anchors', (state) => {
    const seen = new Map();
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.type !== 'heading_open') continue;
      const text = inlineText(tokens[i + 1]);
      const base = githubSlug(text);
      // GitHub numbers repeated slugs: `usage`, `usage-1`, `usage-2`.
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      const id = n === 0 ? base : `${base}-${n}`;
      t.attrSet('id', id);
      state.env.headings?.push({ level: Number(t.tag.slice(1)), id, text });
    }
  });
  const defaultHeadingClose = (tokens, idx, options, _env, self) =>
    self.renderToken(tokens, idx, options);
  md.renderer.rules.heading_close = (tokens, idx, options, env, self) => {
    const open = tokens[idx - 2];
    const id = open?.attrGet('id');
    const link =
      id === null || id === undefined
        ? ''
        : ` <a class="anchor" href="#${escapeHtml(id)}" aria-label="Link to this section">#</a>`;
    return link + defaultHeadingClose(tokens, idx, options, env, self);
  };
  const rewriteAttr = (attr) => (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const href = token.attrGet(attr);
    if (href !== null && env.rewrite !== undefined) token.attrSet(attr, env.rewrite(href));
    return self.renderToken(tokens, idx, options);
  };
  md.renderer.rules.link_open = rewriteAttr('href');
  const image = md.renderer.rules.image;
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const src = token.attrGet('src');
    if (src !== null && env.rewrite !== undefined) token.attrSet('src', env.rewrite(src, 'raw'));
    return image(tokens, idx, options, env, self);
  };
  return {
    /** Renders Markdown; returns the HTML and the headings. */
    render(text, rewrite) {
      const env = { rewrite, headings: [] };
      const html = md.render(text, env);
      return { html, headings: env.headings };
    },
    /** Highlights one code block outside Markdown (the source pages). */
    code: (code, info) => highlightCode(hl, code, info),
  };
}
