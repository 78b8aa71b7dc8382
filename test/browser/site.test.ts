/**
 * The built site in headless Chromium, served as any static host serves a folder: every page
 * loads, every link inside the site reaches a file and every anchor an element, no page asks
 * another host for anything or logs an error, the guides are all there in their order with their
 * own titles, and the playground links of the behaviour reference open the requests they name.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHash, headerPairs } from '../../playground/state.js';
import {
  buildSite,
  decisionGroups,
  firstHeading,
  folderSize,
  GUIDE_ORDER,
  type SiteBuild,
} from '../../scripts/site.mjs';
import { githubSlug } from '../../scripts/site-markdown.mjs';
import { definePolicy, evaluate } from '../../src/index.js';
import {
  artefactsDir,
  browserAvailable,
  launchBrowser,
  openPage,
  type StaticServer,
  serveStatic,
  viewports,
  type WatchedPage,
} from './support.js';

const ROOT = join(import.meta.dirname, '..', '..');

function htmlFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? htmlFiles(join(dir, e.name), base)
      : e.name.endsWith('.html')
        ? [`/${relative(base, join(dir, e.name)).split('\\').join('/')}`]
        : [],
  );
}

describe('site generator (Node)', () => {
  // Slugs GitHub gives these headings (the README's links to them work on GitHub).
  it.each([
    ['Node.js `node:http`', 'nodejs-nodehttp'],
    [
      '`oss-source-guard serve`: a gateway in one command',
      'oss-source-guard-serve-a-gateway-in-one-command',
    ],
    ['Hono (on Node.js with `@hono/node-server`)', 'hono-on-nodejs-with-hononode-server'],
    ['Options (the same in all three)', 'options-the-same-in-all-three'],
    ["Import your bucket's configuration", 'import-your-buckets-configuration'],
    ['S3 R2: case folding — ſ and İ', 's3-r2-case-folding--ſ-and-i̇'],
    ['snake_case and 2 spaces  here', 'snake_case-and-2-spaces--here'],
  ])('GitHub slug of %j', (text, slug) => {
    expect(githubSlug(text)).toBe(slug);
  });

  it('rewrites links to pages, anchors and files, and reports the ones that lead nowhere', async () => {
    const root = mkdtempSync(join(tmpdir(), 'oss-site-fixture-'));
    const out = join(root, 'out');
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ description: 'A fixture.' }),
      'README.md':
        '# Fixture\n\nIntro.\n\n## Usage\n\n[guide](docs/a.md#two) [api](docs/api) [missing](docs/none.md) [file](src/x.ts) [gone](#nowhere)\n',
      'docs/a.md':
        '# Guide A\n\n## One\n\n## Two\n\n## Two\n\n[back](../README.md#usage) [second two](#two-1) [bad](a.md#three) [dir](../src)\n',
      'docs/zeta.md': '# Zeta `z`\n',
      'src/x.ts':
        '/** One. See [guide A](docs/a.md#two), the [readme](README.md). */\nexport const x = 1;\n',
      'typedoc.json': JSON.stringify({
        entryPoints: ['src/x.ts'],
        name: 'fixture',
        treatWarningsAsErrors: true,
        disableSources: true,
      }),
      'tsconfig.json': JSON.stringify({
        compilerOptions: { strict: true, module: 'NodeNext', target: 'ES2022', types: [] },
      }),
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    try {
      const built = await buildSite(out, { root, playground: false });
      expect([...built.broken].sort()).toEqual(
        [
          'README.md: link to docs/none.md (no such file)',
          'index.html: no anchor #nowhere in index.html',
          'a.html: no anchor #three in a.html',
        ].sort(),
      );
      expect(built.pages).toEqual([
        'index.html',
        'a.html',
        'zeta.html',
        'files/src/x.ts.html',
        'files/src/index.html',
      ]);
      const readme = readFileSync(join(out, 'index.html'), 'utf8');
      expect(readme).toContain('href="a.html#two"');
      expect(readme).toContain('href="api/index.html"');
      expect(readme).toContain('href="files/src/x.ts.html"');
      const a = readFileSync(join(out, 'a.html'), 'utf8');
      expect(a).toContain('href="index.html#usage"');
      expect(a).toContain('<h2 id="two-1">');
      expect(a).toContain('href="files/src/index.html"');
      // Guides not in the reading order come last, by name, titled by their first heading.
      expect(a).toContain(
        '<li class="group">More</li><li><a href="a.html" aria-current="page">Guide A</a></li><li><a href="zeta.html">Zeta z</a></li>',
      );
      expect(readFileSync(join(out, 'files/src/x.ts'), 'utf8')).toBe(files['src/x.ts']);
      // A JSDoc link to a guide, written from the root, leads to its page, not to a raw copy.
      expect(built.apiPages).toBeGreaterThan(0);
      const api = readFileSync(join(out, 'api/variables/x.html'), 'utf8');
      expect(api).toContain('href="../../a.html#two">guide A</a>');
      expect(api).toContain('href="../../index.html">readme</a>');
      // And the API pages lead back to the site.
      expect(api).toContain('href="../../index.html">Guides</a>');
      expect(api).toContain('href="../../playground/index.html">Playground</a>');
      expect(existsSync(join(out, 'api/media/a.md'))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it.each([
    [
      'a policy, two requests, a header',
      'policy: {"rules":[]}\n\n# t\nGET https://h/a\n→ allow 200 not-protected\n\n# u\nPUT https://h/b\nx-oss-copy-source: /b/a\n→ deny 403 original\n',
      [
        {
          policy: '{"rules":[]}',
          requests: [
            { method: 'GET', url: 'https://h/a', headers: [] },
            { method: 'PUT', url: 'https://h/b', headers: ['x-oss-copy-source: /b/a'] },
          ],
        },
      ],
    ],
    [
      'a second policy starts a second group',
      'policy: {"a":1}\nGET https://h/a\n→ allow 200 x\npolicy: {"b":2}\nHEAD https://h/b\n→ deny 403 y\n',
      [
        { policy: '{"a":1}', requests: [{ method: 'GET', url: 'https://h/a', headers: [] }] },
        { policy: '{"b":2}', requests: [{ method: 'HEAD', url: 'https://h/b', headers: [] }] },
      ],
    ],
  ])('decision blocks → playground links: %s', (_, code, groups) => {
    expect(decisionGroups(code)).toEqual(groups);
  });
});

describe.skipIf(!browserAvailable)('the site in Chromium', () => {
  let dir: string;
  let site: SiteBuild;
  let server: StaticServer;
  let browser: Browser;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oss-site-'));
    site = await buildSite(dir);
    server = await serveStatic(dir);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    for (const w of opened) await w.close();
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function watched(
    viewport: { width: number; height: number } = viewports.desktop,
  ): Promise<WatchedPage> {
    const w = await openPage(browser, server.origin, viewport);
    opened.push(w);
    return w;
  }

  it('builds with no link to a missing file or anchor', () => {
    expect(site.broken).toEqual([]);
    const { bytes, files } = folderSize(dir);
    console.info(
      `site: ${site.pages.length} pages + ${site.apiPages} API pages, ${files} files, ${bytes} bytes; playground bundle ${site.playground.bytes} B, ${site.playground.gzip} B gzip`,
    );
  });

  it('has a page for every guide, in the nav order, titled by its first heading', async () => {
    const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
    const order = GUIDE_ORDER.flatMap(([, names]) => names);
    const known = order.filter((n) => docs.includes(`${n}.md`));
    const extra = docs
      .map((f) => f.slice(0, -3))
      .filter((n) => !order.includes(n))
      .sort();
    const w = await watched();
    await w.page.goto(`${server.origin}/index.html`);
    const nav = await w.page.$$eval('nav.side li a', (links) =>
      links.map((a) => [a.getAttribute('href'), a.textContent]),
    );
    expect(nav).toEqual([
      ['index.html', 'Overview'],
      ...[...known, ...extra].map((n) => [
        `${n}.html`,
        firstHeading(readFileSync(join(ROOT, 'docs', `${n}.md`), 'utf8')),
      ]),
    ]);
    expect(server.missing).toEqual([]);
  });

  it('every page loads, every internal link and anchor resolves, nothing foreign', async () => {
    const w = await watched();
    const origin = server.origin;
    const queue = ['/index.html'];
    const visited = new Set<string>();
    const ids = new Map<string, Set<string>>();
    const anchors: { from: string; path: string; id: string }[] = [];
    const playgroundLinks = new Set<string>();
    const otherFiles = new Set<string>();

    // The browser loads every page but typedoc's: of those, the index and the first page of
    // each folder (they share one template and its scripts); the rest are read as HTML, so
    // their links and anchors are still checked, in a fraction of the time.
    const sampled = new Set<string>();
    let loadedInBrowser = 0;
    const inBrowser = (path: string): boolean => {
      if (!path.startsWith('/api/') || path === '/api/index.html') return true;
      const folder = path.slice(0, path.lastIndexOf('/'));
      if (sampled.has(folder)) return false;
      sampled.add(folder);
      return true;
    };
    const unescapeHtml = (s: string) =>
      s
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>');
    const read = async (path: string): Promise<{ links: string[]; ids: string[] }> => {
      if (inBrowser(path)) {
        loadedInBrowser++;
        const response = await w.page.goto(origin + path);
        expect(response?.status(), path).toBe(200);
        return w.page.evaluate(() => ({
          links: [...document.querySelectorAll('a[href]')].map(
            (a) => (a as HTMLAnchorElement).href,
          ),
          ids: [...document.querySelectorAll('[id], a[name]')].map(
            (e) => e.id || (e.getAttribute('name') ?? ''),
          ),
        }));
      }
      const response = await fetch(origin + path);
      expect(response.status, path).toBe(200);
      const html = await response.text();
      return {
        links: [...html.matchAll(/<a\s[^>]*?href="([^"]*)"/g)].map(
          (m) => new URL(unescapeHtml(m[1] as string), origin + path).href,
        ),
        ids: [...html.matchAll(/\s(?:id|name)="([^"]*)"/g)].map((m) =>
          unescapeHtml(m[1] as string),
        ),
      };
    };
    const visit = async (path: string) => {
      visited.add(path);
      const found = await read(path);
      ids.set(path, new Set(found.ids));
      for (const link of found.links) {
        const url = new URL(link);
        if (url.origin !== origin) continue;
        const target = url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname;
        if (target === '/playground/index.html' && url.hash.startsWith('#policy=')) {
          playgroundLinks.add(url.hash);
        } else if (url.hash.length > 1) {
          anchors.push({ from: path, path: target, id: decodeURIComponent(url.hash.slice(1)) });
        }
        if (!target.endsWith('.html')) otherFiles.add(target);
        else if (!visited.has(target) && !queue.includes(target)) queue.push(target);
      }
    };
    while (queue.length > 0) await visit(queue.shift() as string);

    // Pages no link reaches still have to load (typedoc's hierarchy page, say).
    const all = htmlFiles(dir);
    for (const path of all) if (!visited.has(path)) await visit(path);
    expect([...visited].sort()).toEqual(all.sort());
    for (const guide of site.pages) expect(visited, guide).toContain(`/${guide}`);

    for (const path of otherFiles) {
      const response = await fetch(origin + path);
      expect(response.status, path).toBe(200);
    }
    const unresolved = anchors.filter((a) => !ids.get(a.path)?.has(a.id));
    expect(unresolved).toEqual([]);
    expect(server.missing).toEqual([]);
    expect(w.foreignRequests).toEqual([]);
    expect(w.errors).toEqual([]);
    console.info(
      `crawled ${visited.size} pages (${loadedInBrowser} in the browser), ${otherFiles.size} other files, ${anchors.length} anchors, ${playgroundLinks.size} playground links`,
    );

    // The reference's "try it" links open the playground with the requests they name.
    expect(playgroundLinks.size).toBeGreaterThan(0);
    let n = 0;
    for (const hash of playgroundLinks) {
      await w.page.goto(`${origin}/playground/index.html?link=${n++}${hash}`);
      await w.page.waitForSelector('html[data-ready="true"]');
      const state = decodeHash(hash);
      const policy = definePolicy(JSON.parse(state.policyText ?? ''));
      const shown = await w.page.$$eval('#results .result', (nodes) =>
        nodes.map((r) => [r.getAttribute('data-decision'), r.getAttribute('data-status')]),
      );
      expect(shown, hash).toEqual(
        (state.requests ?? []).map((r) => {
          const d = evaluate(
            { url: r.url, method: r.method, headers: headerPairs(r.headers) },
            policy,
          );
          return [d.allow ? 'allow' : 'deny', String(d.allow ? 200 : d.status)];
        }),
      );
    }
    expect(w.errors).toEqual([]);
    expect(w.foreignRequests).toEqual([]);
  });

  it('landing page and a guide: screenshots, nothing wider than a phone', async () => {
    for (const [name, viewport] of Object.entries(viewports)) {
      const w = await watched(viewport);
      for (const path of ['index.html', 'behaviour.html']) {
        await w.page.goto(`${server.origin}/${path}`);
        const width = await w.page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, `${path} at ${name}`).toBeLessThanOrEqual(viewport.width);
      }
      await w.page.goto(`${server.origin}/index.html`);
      // The first screen, as a visitor meets it: the rest of the page is the README.
      mkdirSync(artefactsDir, { recursive: true });
      await w.page.screenshot({ path: join(artefactsDir, `site-landing-${name}.png`) });
      expect(w.foreignRequests).toEqual([]);
      expect(w.errors).toEqual([]);
    }
  });
});
