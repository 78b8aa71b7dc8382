/**
 * The site's look: one stylesheet (system fonts only: the site loads nothing from elsewhere) and
 * the page frame every guide shares. Colours follow the reader's light or dark scheme.
 */
import { escapeHtml } from './site-markdown.mjs';

export const SITE_CSS = `:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa;
  --accent: #0b5cad; --accent-fg: #ffffff; --focus: #d4720c; --code-bg: #f6f8fa;
  --ok: #1a7f37; --bad: #cf222e;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  line-height: 1.55;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --soft: #151b23;
    --accent: #4493f8; --accent-fg: #0d1117; --code-bg: #151b23; --ok: #3fb950; --bad: #f85149;
  }
  .shiki span { color: var(--d) !important; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); }
a { color: var(--accent); text-underline-offset: 0.15em; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
.skip { position: absolute; left: -9999px; top: 0; }
.skip:focus { left: 0.5rem; top: 0.5rem; background: var(--bg); padding: 0.5rem; z-index: 10; }
header.top {
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem;
  padding: 0.6rem 1.25rem; border-bottom: 1px solid var(--line); background: var(--soft);
}
header.top .brand { font-weight: 700; font-size: 1.1rem; color: var(--fg); text-decoration: none; }
header.top nav { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
header.top nav a { text-decoration: none; font-weight: 500; }
header.top nav a[aria-current="page"] { text-decoration: underline; }
.layout {
  display: grid; grid-template-columns: 15rem minmax(0, 1fr) 13rem; gap: 2rem;
  max-width: 80rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem;
}
nav.side summary { font-weight: 600; cursor: pointer; margin-bottom: 0.5rem; }
nav.side ul, aside.toc ul { list-style: none; margin: 0; padding: 0; }
nav.side li a, aside.toc li a {
  display: block; padding: 0.2rem 0.5rem; border-radius: 6px; text-decoration: none; color: var(--fg);
}
nav.side li a:hover, aside.toc li a:hover { background: var(--soft); }
nav.side li a[aria-current="page"] { background: var(--accent); color: var(--accent-fg); }
nav.side .group { margin: 0.9rem 0 0.2rem 0.5rem; font-size: 0.8rem; text-transform: uppercase;
  letter-spacing: 0.05em; color: var(--muted); }
aside.toc { font-size: 0.9rem; }
aside.toc h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); margin: 0 0 0.5rem; }
aside.toc nav { position: sticky; top: 1rem; }
main { min-width: 0; }
main h1 { font-size: 2rem; line-height: 1.2; margin-top: 0; }
main h2 { border-bottom: 1px solid var(--line); padding-bottom: 0.3rem; margin-top: 2.2rem; }
main h1, main h2, main h3, main h4 { scroll-margin-top: 1rem; }
main .anchor { visibility: hidden; text-decoration: none; color: var(--muted); font-weight: 400; }
main :is(h1, h2, h3, h4, h5, h6):hover .anchor, main .anchor:focus { visibility: visible; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.88em; }
:not(pre) > code { background: var(--code-bg); padding: 0.1em 0.35em; border-radius: 5px; overflow-wrap: anywhere; }
pre.code {
  background: var(--code-bg); border: 1px solid var(--line); border-radius: 8px;
  padding: 0.8rem 1rem; overflow-x: auto; line-height: 1.45; position: relative;
}
pre.code[data-lang] { padding-top: 1.4rem; }
pre.code[data-lang]::before {
  content: attr(data-lang); position: absolute; top: 0.2rem; right: 0.6rem;
  font-size: 0.7rem; color: var(--muted); font-family: system-ui, sans-serif;
}
.shiki span { color: var(--l); }
.decision .comment { color: var(--muted); font-style: italic; }
.decision .key { color: var(--muted); }
.decision .method { font-weight: 700; }
.decision .allow { color: var(--ok); font-weight: 600; }
.decision .deny { color: var(--bad); font-weight: 600; }
.decision .header { color: var(--accent); }
table { border-collapse: collapse; display: block; overflow-x: auto; margin: 1rem 0; }
th, td { border: 1px solid var(--line); padding: 0.35rem 0.7rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
blockquote { margin: 1rem 0; padding: 0.2rem 1rem; border-left: 4px solid var(--line); color: var(--muted); }
img { max-width: 100%; }
.try { margin: -0.5rem 0 1rem; font-size: 0.9rem; }
.hero { padding: 1.5rem 0 0.5rem; }
.hero .lead { font-size: 1.1rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: 0.8rem; margin: 1.5rem 0 2rem; }
.cards a { display: block; border: 1px solid var(--line); border-radius: 10px; padding: 1rem; text-decoration: none; color: var(--fg); background: var(--soft); }
.cards a:hover { border-color: var(--accent); }
.cards strong { display: block; color: var(--accent); font-size: 1.05rem; margin-bottom: 0.25rem; }
footer { border-top: 1px solid var(--line); padding: 1rem 1.25rem; color: var(--muted); font-size: 0.9rem; text-align: center; }
@media (max-width: 1100px) {
  .layout { grid-template-columns: 13rem minmax(0, 1fr); }
  aside.toc { display: none; }
}
@media (max-width: 800px) {
  .layout { grid-template-columns: minmax(0, 1fr); gap: 1rem; padding-top: 1rem; }
  nav.side { border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 0.75rem; }
  nav.side summary { margin: 0; }
  main h1 { font-size: 1.6rem; }
}
@media (max-width: 500px) {
  .cards { grid-template-columns: minmax(0, 1fr); }
  .hero .lead { font-size: 1rem; }
}
`;

/** `to` (a site path) as a link from the page at `from` (a site path). */
export function relativeHref(from, to) {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/') || to;
}

/**
 * The frame of one page. `nav`: `{ group, items: [{ title, path }] }[]`; `path`: this page's
 * site path; `headings`: the page's own headings, for "On this page".
 */
export function pageHtml({ title, path, body, nav, headings = [], description }) {
  const href = (to) => escapeHtml(relativeHref(path, to));
  const current = (to) => (to === path ? ' aria-current="page"' : '');
  const top = [
    ['Guides', 'getting-started.html'],
    ['Behaviour', 'behaviour.html'],
    ['API', 'api/index.html'],
    ['Playground', 'playground/index.html'],
  ].filter(([, to]) => to.startsWith('api/') || to.startsWith('playground/') || navHas(nav, to));
  const side = nav
    .map(
      ({ group, items }) =>
        `<li class="group">${escapeHtml(group)}</li>${items
          .map(
            (i) =>
              `<li><a href="${href(i.path)}"${current(i.path)}>${escapeHtml(i.title)}</a></li>`,
          )
          .join('')}`,
    )
    .join('');
  const toc = headings.filter((h) => h.level === 2);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · oss-source-guard</title>
${description === undefined ? '' : `<meta name="description" content="${escapeHtml(description)}">\n`}<link rel="icon" href="data:,">
<link rel="stylesheet" href="${href('assets/site.css')}">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<a class="brand" href="${href('index.html')}">oss-source-guard</a>
<nav aria-label="Site">${top.map(([t, to]) => `<a href="${href(to)}"${current(to)}>${t}</a>`).join('')}</nav>
</header>
<div class="layout">
<nav class="side" aria-label="Pages"><details open><summary>Pages</summary><ul>${side}</ul></details></nav>
<main id="main" tabindex="-1">
${body}
</main>
${
  toc.length < 2
    ? ''
    : `<aside class="toc"><nav aria-label="On this page"><h2>On this page</h2><ul>${toc
        .map((h) => `<li><a href="#${escapeHtml(h.id)}">${escapeHtml(h.text)}</a></li>`)
        .join('')}</ul></nav></aside>`
}
</div>
<footer>oss-source-guard · MIT licence · built from the repository's README and docs/</footer>
<script>
// On a phone the page list starts folded, so the text comes first.
if (matchMedia('(max-width: 800px)').matches) document.querySelector('nav.side details').open = false;
</script>
</body>
</html>
`;
}

const navHas = (nav, to) => nav.some((g) => g.items.some((i) => i.path === to));
