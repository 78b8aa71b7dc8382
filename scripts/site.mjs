#!/usr/bin/env node
/**
 * `npm run site`: the static site in `site/`. The landing page (the README), every guide of
 * `docs/` as a page, the typedoc API reference under `api/`, the playground under `playground/`,
 * and a page for each repository file a guide links to (`files/`). Every link is relative, so the
 * folder works on any static host; a link to a missing file or anchor fails the build.
 *
 * `node scripts/site.mjs [OUT]` (default `site/`). The tests import {@link buildSite} and
 * {@link buildPlayground} and build into a temporary folder.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { createRenderer, escapeHtml } from './site-markdown.mjs';
import { pageHtml, relativeHref, SITE_CSS } from './site-theme.mjs';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The guides in reading order, by group. A `docs/*.md` not listed here still gets a page, at the
 * end of "More"; a listed one that does not exist (yet) is left out.
 */
export const GUIDE_ORDER = [
  ['Guides', ['getting-started', 'policies', 'urls', 'signatures', 'adapters', 'cli', 'ci']],
  ['Reference', ['behaviour', 'security', 'benchmarks', 'benchmark-notes']],
  ['Project', ['architecture', 'testing']],
];

/** Repository paths that are pages of the site, by their repository path. */
function pageMap(root) {
  const pages = new Map([['README.md', { path: 'index.html', source: 'README.md' }]]);
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => f.slice(0, -3));
  const listed = new Set(GUIDE_ORDER.flatMap(([, names]) => names));
  const nav = [];
  for (const [group, names] of GUIDE_ORDER) {
    nav.push({ group, names: names.filter((n) => docs.includes(n)) });
  }
  const more = docs.filter((n) => !listed.has(n)).sort();
  if (more.length > 0) nav.push({ group: 'More', names: more });
  for (const { names } of nav) {
    for (const n of names) pages.set(`docs/${n}.md`, { path: `${n}.html`, source: `docs/${n}.md` });
  }
  return { pages, nav };
}

/**
 * The text of a Markdown file's first heading (inline code and emphasis marks dropped).
 *
 * @example
 * firstHeading('# Adapters and the `serve` gateway\n') // 'Adapters and the serve gateway'
 */
export function firstHeading(text) {
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^(```|~~~)/.test(line)) fenced = !fenced;
    const m = !fenced && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    // Code marks and emphasis go; underscores inside names (`snake_case`) stay.
    if (m) return m[1].replace(/`/g, '').replace(/(\*\*?)(.+?)\1/g, '$2');
  }
  return undefined;
}

/** The state part of a playground link: the same form the playground reads (see its page). */
export function playgroundHash(policyText, requests) {
  const parts = [`policy=${Buffer.from(policyText, 'utf8').toString('base64url')}`];
  for (const r of requests) {
    parts.push(`url=${encodeURIComponent(r.url)}`);
    if (r.method !== undefined && r.method !== 'GET')
      parts.push(`method=${encodeURIComponent(r.method)}`);
    for (const h of r.headers ?? []) parts.push(`h=${encodeURIComponent(h)}`);
  }
  return `#${parts.join('&')}`;
}

/**
 * The (policy, requests) groups of a `decision` block of docs/behaviour.md: `policy: JSON`
 * lines, `METHOD URL` lines, and header lines under a request. Only what a playground link
 * needs; the test suite's own parser checks the expected outcomes.
 */
export function decisionGroups(code) {
  const groups = [];
  let current;
  let request;
  for (const line of code.split('\n')) {
    const policy = /^policy:\s*(.+)$/.exec(line);
    if (policy) {
      current = { policy: policy[1].trim(), requests: [] };
      groups.push(current);
      request = undefined;
      continue;
    }
    const req = /^([A-Za-z]+)\s+(\S+:\/\/\S+)\s*$/.exec(line);
    if (req && current !== undefined) {
      request = { method: req[1], url: req[2], headers: [] };
      current.requests.push(request);
      continue;
    }
    if (line.trim() === '' || line.startsWith('#') || /^\s*(→|->)/.test(line)) {
      if (line.trim() === '') request = undefined;
      continue;
    }
    const header = /^([A-Za-z0-9-]+):\s?(.*)$/.exec(line);
    if (header && request !== undefined) request.headers.push(`${header[1]}: ${header[2]}`);
  }
  return groups.filter((g) => g.requests.length > 0);
}

/**
 * Renders the README and the guides into `out`; returns the pages written and the links that
 * lead nowhere.
 */
async function buildPages(root, out) {
  const render = await createRenderer();
  const { pages, nav: navNames } = pageMap(root);
  const nav = navNames.map(({ group, names }) => ({
    group,
    items: names.map((n) => {
      const text = readFileSync(join(root, `docs/${n}.md`), 'utf8');
      return { title: firstHeading(text) ?? n, path: `${n}.html` };
    }),
  }));
  nav.unshift({ group: 'Start', items: [{ title: 'Overview', path: 'index.html' }] });
  const sources = new Map(); // repository files linked from a page, that get a source page
  const anchorsWanted = []; // [page, target page, anchor, as written]
  const ids = new Map(); // site path → Set of ids
  const broken = [];
  const written = [];

  for (const [repoPath, { path }] of pages) {
    const text = readFileSync(join(root, repoPath), 'utf8');
    const rewrite = (href, kind) => {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return href;
      const hash = href.indexOf('#');
      const target = hash === -1 ? href : href.slice(0, hash);
      const anchor = hash === -1 ? '' : href.slice(hash + 1);
      if (target === '') {
        anchorsWanted.push([path, path, decodeURIComponent(anchor), href]);
        return href;
      }
      const repoTarget = posix
        .normalize(posix.join(posix.dirname(repoPath), decodeURIComponent(target)))
        .replace(/\/$/, '');
      let sitePath;
      if (pages.has(repoTarget)) sitePath = pages.get(repoTarget).path;
      else if (repoTarget === 'docs/api' || repoTarget.startsWith('docs/api/')) {
        const rest = repoTarget.slice('docs/api'.length + 1);
        sitePath = `api/${rest === '' ? 'index.html' : rest}`;
      } else if (!repoTarget.startsWith('..') && existsSync(join(root, repoTarget))) {
        sources.set(repoTarget, true);
        sitePath = kind === 'raw' ? `files/${repoTarget}` : sourcePagePath(root, repoTarget);
      } else {
        broken.push(`${repoPath}: link to ${href} (no such file)`);
        return href;
      }
      if (anchor !== '')
        anchorsWanted.push([path, sitePath, decodeURIComponent(anchor), `${repoPath}: ${href}`]);
      return relativeHref(path, sitePath) + (anchor === '' ? '' : `#${anchor}`);
    };
    let { html, headings } = render.render(text, rewrite);
    html = addPlaygroundLinks(html, text, path);
    const title = firstHeading(text) ?? repoPath;
    let body = html;
    if (repoPath === 'README.md')
      body = landing(html, path, new Set([...pages.values()].map((p) => p.path)));
    ids.set(path, new Set(headings.map((h) => h.id)));
    const description = repoPath === 'README.md' ? packageDescription(root) : undefined;
    write(out, path, pageHtml({ title, path, body, nav, headings, description }));
    written.push(path);
  }

  const done = new Set();
  for (const repoPath of sources.keys())
    written.push(...writeSource(root, out, repoPath, render, nav, done));

  for (const [from, to, anchor, as] of anchorsWanted) {
    const known = ids.get(to);
    // Anchors into the API reference are checked by the site test, which reads those pages.
    if (known !== undefined && !known.has(anchor))
      broken.push(`${from === to ? from : as}: no anchor #${anchor} in ${to}`);
  }
  write(out, 'assets/site.css', SITE_CSS);
  return { pages: written, broken };
}

/** Each `decision` block gets a link that opens its requests in the playground. */
function addPlaygroundLinks(html, markdown, pagePath) {
  const blocks = [...markdown.matchAll(/^```decision[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  let i = 0;
  return html.replace(/<pre class="code decision" data-lang="decision">[\s\S]*?<\/pre>/g, (pre) => {
    const groups = decisionGroups(blocks[i++] ?? '');
    if (groups.length === 0) return pre;
    const links = groups
      .map((g, n) => {
        const label =
          groups.length === 1
            ? 'Try these requests in the playground'
            : `Try group ${n + 1} in the playground`;
        const href =
          relativeHref(pagePath, 'playground/index.html') + playgroundHash(g.policy, g.requests);
        return `<a href="${escapeHtml(href)}">${label}</a>`;
      })
      .join(' · ');
    return `${pre}\n<p class="try">${links}</p>`;
  });
}

function packageDescription(root) {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).description;
}

/** The ways in, on the landing page: site path, title, one line. */
const CARDS = [
  ['getting-started.html', 'Get started', 'Install, write a policy, decide your first request.'],
  [
    'playground/index.html',
    'Playground',
    'Paste a policy and URLs; see each decision and why, in your browser.',
  ],
  [
    'behaviour.html',
    'Behaviour reference',
    'Every decision the library makes, with examples the tests run.',
  ],
  ['api/index.html', 'API reference', 'Every exported function and type.'],
];

/**
 * The landing page: the README's introduction, the ways in, then the rest of the README.
 * `pages`: the site paths of the guides, so a card never points at a guide that is missing.
 */
function landing(readmeHtml, path, pages) {
  const href = (to) => escapeHtml(relativeHref(path, to));
  const body = readmeHtml.replace(/^<h1[^>]*>[\s\S]*?<\/h1>\n?/, '');
  const split = body.search(/<h2[\s>]/);
  const intro = split === -1 ? body : body.slice(0, split);
  const rest = split === -1 ? '' : body.slice(split);
  return `<section class="hero">
<h1>oss-source-guard</h1>
<div class="lead">${intro}</div>
<div class="cards">
${CARDS.filter(([to]) => to.includes('/') || pages.has(to))
  .map(([to, title, text]) => `<a href="${href(to)}"><strong>${title}</strong>${text}</a>`)
  .join('\n')}
</div>
</section>
${rest}`;
}

const sourcePagePath = (root, repoPath) =>
  statSync(join(root, repoPath)).isDirectory()
    ? `files/${repoPath}/index.html`
    : `files/${repoPath}.html`;

const SOURCE_LANG = {
  '.ts': 'ts',
  '.js': 'js',
  '.mjs': 'js',
  '.json': 'json',
  '.md': 'md',
  '.yml': 'yaml',
  '.yaml': 'yaml',
  '.sh': 'sh',
  '.xml': 'xml',
};

/** A page showing a repository file (highlighted, with its raw copy) or a folder's files. */
function writeSource(root, out, repoPath, render, nav, done) {
  // A file linked directly and listed in its linked folder gets one page.
  if (done.has(repoPath)) return [];
  done.add(repoPath);
  const abs = join(root, repoPath);
  const written = [];
  if (statSync(abs).isDirectory()) {
    const path = `files/${repoPath}/index.html`;
    const entries = readdirSync(abs)
      .filter((f) => statSync(join(abs, f)).isFile())
      .sort();
    const list = entries
      .map(
        (f) =>
          `<li><a href="${escapeHtml(relativeHref(path, `files/${repoPath}/${f}.html`))}"><code>${escapeHtml(f)}</code></a></li>`,
      )
      .join('\n');
    const body = `<h1><code>${escapeHtml(repoPath)}/</code></h1>\n<p>The files of the repository's <code>${escapeHtml(repoPath)}/</code> folder.</p>\n<ul>\n${list}\n</ul>`;
    write(out, path, pageHtml({ title: `${repoPath}/`, path, body, nav }));
    written.push(path);
    for (const f of entries)
      written.push(...writeSource(root, out, `${repoPath}/${f}`, render, nav, done));
    return written;
  }
  const path = `files/${repoPath}.html`;
  const text = readFileSync(abs, 'utf8');
  write(out, `files/${repoPath}`, text);
  const raw = relativeHref(path, `files/${repoPath}`);
  const body = `<h1><code>${escapeHtml(repoPath)}</code></h1>
<p>A file of the repository. <a href="${escapeHtml(raw)}" download>Download it as it is</a>.</p>
${render.code(text, SOURCE_LANG[extname(repoPath)] ?? '')}`;
  write(out, path, pageHtml({ title: repoPath, path, body, nav }));
  written.push(path);
  return written;
}

function write(out, path, content) {
  const file = join(out, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/**
 * The typedoc API reference in `out/api`, from `typedoc.json` (what `npm run docs` uses), with
 * links back to the site, and links to the guides (copied by typedoc as `media/*.md`) pointed
 * at the rendered pages.
 */
async function buildApi(root, out, pages) {
  const td = await import('typedoc');
  const dir = join(out, 'api');
  // The sources only: the repository's tsconfig also holds the tests and benchmarks, which
  // would make typedoc's program several times larger and slower.
  const tmp = mkdtempSync(join(tmpdir(), 'oss-site-tsconfig-'));
  const tsconfig = join(tmp, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({ extends: join(root, 'tsconfig.json'), include: [join(root, 'src')] }),
  );
  try {
    const app = await td.Application.bootstrapWithPlugins({
      options: join(root, 'typedoc.json'),
      out: dir,
      // The README is the landing page of the site; here it would be a second copy.
      readme: 'none',
      tsconfig,
      // JSDoc links name guides from the root (`docs/behaviour.md#styles`): resolve them there.
      basePath: root,
      // `tsc` checks the types (npm run lint); a test file mid-edit must not stop the site.
      skipErrorChecking: true,
      navigationLinks: { Guides: '@site/index.html', Playground: '@site/playground/index.html' },
    });
    const project = await app.convert();
    if (project === undefined || app.logger.hasErrors())
      throw new Error('typedoc failed (see above)');
    await app.generateDocs(project, dir);
    if (app.logger.hasErrors()) throw new Error('typedoc failed (see above)');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // typedoc copies a Markdown file a comment links to into media/ under its base name.
  const pageOf = new Map(
    [...pages].map(([repoPath, p]) => [posix.basename(repoPath, '.md'), p.path]),
  );
  let count = 0;
  for (const file of listFiles(dir)) {
    if (!file.endsWith('.html')) continue;
    count++;
    const sitePath = relative(out, file).split('\\').join('/');
    const up = relativeHref(sitePath, 'x').slice(0, -1); // '../../' for api/functions/x.html
    const html = readFileSync(file, 'utf8')
      .replaceAll('href="@site/', `href="${up}`)
      .replace(
        /href="((?:\.\.\/)*)(?:media\/|docs\/)?([\w.-]+)\.md(#[^"]*)?"/g,
        (m, _up, name, anchor) => {
          const page = pageOf.get(name);
          return page === undefined ? m : `href="${up}${page}${anchor ?? ''}"`;
        },
      );
    writeFileSync(file, html);
  }
  // The pages of the site replace typedoc's raw copies of them.
  const media = join(dir, 'media');
  if (existsSync(media)) {
    for (const f of readdirSync(media)) {
      if (f.endsWith('.md') && pageOf.has(f.slice(0, -3))) rmSync(join(media, f));
    }
  }
  return count;
}

function* listFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* listFiles(p);
    else yield p;
  }
}

/**
 * The playground in `out/playground`: its page and stylesheet, and the library bundled for the
 * browser from `src/` (one minified ES module, nothing loaded from elsewhere).
 *
 * @example
 * const { bytes, gzip } = await buildPlayground('/tmp/site');
 */
export async function buildPlayground(out, { root = ROOT } = {}) {
  const dir = join(out, 'playground');
  mkdirSync(dir, { recursive: true });
  const result = await build({
    entryPoints: [join(root, 'playground/main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    outfile: join(dir, 'playground.js'),
    metafile: true,
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'playground.css']) {
    writeFileSync(join(dir, f), readFileSync(join(root, 'playground', f)));
  }
  const js = readFileSync(join(dir, 'playground.js'));
  return {
    bytes: js.length,
    gzip: gzipSync(js, { level: 9 }).length,
    inputs: Object.keys(result.metafile.inputs).length,
  };
}

/**
 * Builds the whole site into `out` (emptied first).
 *
 * @param {string} out the folder to write
 * @param {{ root?: string, api?: boolean, playground?: boolean }} [options] `api: false` skips
 *   typedoc (about 5 s), `playground: false` the playground; @default { root: ROOT, api: true, playground: true }
 * @returns the pages written, the links that lead nowhere, and the playground's bundle size
 * @example
 * const { pages, broken } = await buildSite('/tmp/site');
 * if (broken.length > 0) throw new Error(broken.join('\n'));
 */
export async function buildSite(
  out,
  { root = ROOT, api = true, playground: withPlayground = true } = {},
) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const t0 = performance.now();
  const { pages, broken } = await buildPages(root, out);
  const t1 = performance.now();
  const playground = withPlayground
    ? await buildPlayground(out, { root })
    : { bytes: 0, gzip: 0, inputs: 0 };
  const t2 = performance.now();
  const apiPages = api ? await buildApi(root, out, pageMap(root).pages) : 0;
  const t3 = performance.now();
  const ms = {
    pages: Math.round(t1 - t0),
    playground: Math.round(t2 - t1),
    api: Math.round(t3 - t2),
  };
  const all = withPlayground ? [...pages, 'playground/index.html'] : pages;
  return { pages: all, apiPages, broken, playground, ms };
}

/** Total bytes and file count of a folder. */
export function folderSize(dir) {
  let bytes = 0;
  let files = 0;
  for (const f of listFiles(dir)) {
    bytes += statSync(f).size;
    files++;
  }
  return { bytes, files };
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href
) {
  const out = resolve(process.argv[2] ?? join(ROOT, 'site'));
  const started = performance.now();
  const result = await buildSite(out);
  const { bytes, files } = folderSize(out);
  const ms = Math.round(performance.now() - started);
  console.log(
    `site: ${result.pages.length} pages + ${result.apiPages} API pages, ${files} files, ${(bytes / 1024).toFixed(0)} KiB in ${relative(process.cwd(), out) || '.'} (${ms} ms); playground bundle ${result.playground.bytes} B (${result.playground.gzip} B gzip)`,
  );
  if (result.broken.length > 0) {
    console.error(`site: ${result.broken.length} broken link(s):\n  ${result.broken.join('\n  ')}`);
    process.exitCode = 1;
  }
}
