/**
 * `audit --html` and `diff --html` reports of a generated 100,000-key listing, opened in headless
 * Chromium over a loopback server: the picture is drawn, every `data-count` on the page equals
 * the `--json` report's value, labels fit their boxes, the phone layout does not scroll sideways,
 * and the page asks no other host for anything and logs no error. Screenshots (desktop and phone)
 * go to `artifacts/screenshots/`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../adapters/support.js';
import {
  browserAvailable,
  launchBrowser,
  openPage,
  type StaticServer,
  screenshot,
  serveStatic,
  viewports,
} from './support.js';

const KEYS = 100_000;

/**
 * A deterministic listing in key order (as OSS lists): top folders of very different sizes, one to
 * four folder levels, mixed extensions and cases, plus a few keys that are invalid, unreachable or
 * named to break markup.
 */
function listing(n: number): string {
  let seed = 12345;
  const next = (k: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % k;
  };
  const tops = [
    'image',
    'image',
    'image',
    'raw',
    'docs',
    'video',
    'users',
    'users',
    'static',
    'backup',
  ];
  const exts = ['jpg', 'JPG', 'png', 'jpeg', 'gif', 'tif', 'txt', 'mp4', 'webp'];
  const keys = ['/lead.jpg', 'image/./dot.jpg', '<b>odd</b>/"quoted".jpg', "a&b/it's.png"];
  while (keys.length < n) {
    const top = tops[next(tops.length)] as string;
    const depth = next(5);
    const parts = [top];
    if (depth >= 1) parts.push(String(2019 + next(6)));
    if (depth >= 2) parts.push(String(1 + next(12)).padStart(2, '0'));
    if (depth >= 3) parts.push(`u${next(400)}`);
    if (depth >= 4) parts.push(['thumbs', 'originals', 'tmp'][next(3)] as string);
    parts.push(`f${keys.length}.${exts[next(exts.length)]}`);
    keys.push(parts.join('/'));
  }
  return `${keys.sort().join('\n')}\n`;
}

/**
 * Before: image/ and raw TIFFs by prefix, JPEG by extension. After: raw/ wholly and static WebP
 * images by prefix, PNG rather than JPEG by extension.
 */
const OLD = {
  rules: [{ prefix: 'image/' }, { prefix: 'raw/', suffix: '.tif', caseInsensitive: true }],
  extensions: ['jpg', 'jpeg'],
};
const NEW = {
  rules: [{ prefix: 'image/' }, { prefix: 'raw/' }, { prefix: 'static/', suffix: '.webp' }],
  extensions: ['jpg', 'png'],
};

/** Runs the CLI in `cwd`, with file names as a person would type them there. */
function run(
  cli: string,
  cwd: string,
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function at(doc: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, p) => (v as Record<string, unknown>)?.[p], doc);
}

/** What the page shows, read in the browser. */
interface Seen {
  readonly counts: { name: string; value: string | null; text: string }[];
  readonly shapes: number;
  readonly areas: number;
  readonly titles: number;
  readonly box: { width: number; height: number };
  readonly overflowingLabels: string[];
  readonly labels: number;
  readonly scrollWidth: number;
  readonly injected: number;
}

describe.skipIf(!browserAvailable)('audit and diff reports in Chromium', () => {
  let dir: string;
  let browser: Browser;
  let server: StaticServer;
  const json: Record<string, unknown> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oss-source-guard-report-'));
    writeFileSync(join(dir, 'keys.txt'), listing(KEYS));
    writeFileSync(join(dir, 'old.json'), JSON.stringify(OLD));
    writeFileSync(join(dir, 'new.json'), JSON.stringify(NEW));
    const cli = await bundleCli();
    const audit = await run(cli, dir, [
      'audit',
      '--policy',
      'old.json',
      '--json',
      '--html',
      'audit.html',
      'keys.txt',
    ]);
    expect(audit.stderr).toBe('');
    expect(audit.code).toBe(0);
    json.audit = JSON.parse(audit.stdout);
    const diff = await run(cli, dir, [
      'diff',
      '--from',
      'old.json',
      '--to',
      'new.json',
      '--json',
      '--html',
      'diff.html',
      'keys.txt',
    ]);
    expect(diff.code).toBe(1);
    json.diff = JSON.parse(diff.stdout);
    server = await serveStatic(dir);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('the listing and reports are as the test means them', () => {
    const audit = json.audit as {
      total: number;
      protected: number;
      invalid: { count: number };
      unreachable: { count: number };
      rules: { matches: number }[];
      extensions: { matches: number }[];
    };
    expect(audit.total).toBe(KEYS);
    expect(audit.invalid.count).toBe(1);
    expect(audit.unreachable.count).toBeGreaterThan(0);
    for (const t of [...audit.rules, ...audit.extensions]) expect(t.matches).toBeGreaterThan(1000);
    const diff = json.diff as {
      newlyProtected: { count: number };
      newlyExposed: { count: number };
    };
    expect(diff.newlyProtected.count).toBeGreaterThan(1000);
    expect(diff.newlyExposed.count).toBeGreaterThan(1000);
    // Bounded: a few hundred kB for 100,000 keys.
    for (const page of ['audit.html', 'diff.html'])
      expect(statSync(join(dir, page)).size).toBeLessThan(400 * 1024);
  });

  const cases = (['audit', 'diff'] as const).flatMap((report) =>
    (['desktop', 'phone'] as const).map((viewport) => ({ report, viewport })),
  );

  it.each(cases)(
    '$report on a $viewport: drawn, counts equal the JSON, nothing foreign',
    async ({ report, viewport }) => {
      const size = viewports[viewport];
      const watched = await openPage(browser, server.origin, size);
      try {
        await watched.page.goto(`${server.origin}/${report}.html`, { waitUntil: 'load' });
        const seen: Seen = await watched.page.evaluate(() => {
          const svg = document.querySelector('svg.icicle') as SVGSVGElement;
          const box = svg.getBoundingClientRect();
          const overflowing: string[] = [];
          let labels = 0;
          for (const t of Array.from(svg.querySelectorAll('text'))) {
            if (getComputedStyle(t).display === 'none') continue;
            labels++;
            const area = (t.parentNode as SVGSVGElement).getBoundingClientRect();
            const width = t.getBBox().width;
            if (t.getBBox().x + width > area.width + 0.5)
              overflowing.push(`${t.textContent} (${width.toFixed(0)} > ${area.width.toFixed(0)})`);
          }
          return {
            counts: Array.from(document.querySelectorAll('[data-count]')).map((e) => ({
              name: e.getAttribute('data-count') as string,
              value: e.getAttribute('value'),
              text: e.textContent ?? '',
            })),
            shapes: svg.querySelectorAll('rect, path').length,
            areas: svg.querySelectorAll('svg').length,
            titles: svg.querySelectorAll('svg > title').length,
            box: { width: box.width, height: box.height },
            overflowingLabels: overflowing,
            labels,
            scrollWidth: document.documentElement.scrollWidth,
            injected: document.querySelectorAll('script, b, img, link, iframe').length,
          };
        });
        await screenshot(watched.page, `${report}-${viewport}`);

        expect(seen.shapes).toBeGreaterThan(200);
        expect(seen.areas).toBeGreaterThan(50);
        expect(seen.titles).toBe(seen.areas);
        expect(seen.box.width).toBeGreaterThan(size.width * 0.8);
        expect(seen.box.height).toBeGreaterThan(100);
        expect(seen.labels).toBeGreaterThanOrEqual(viewport === 'phone' ? 8 : 20);
        expect(seen.overflowingLabels).toEqual([]);
        expect(seen.scrollWidth).toBeLessThanOrEqual(size.width);
        expect(seen.injected).toBe(0);

        expect(seen.counts.length).toBeGreaterThanOrEqual(report === 'audit' ? 14 : 6);
        for (const c of seen.counts) {
          const expected = at(json[report], c.name);
          expect(typeof expected, c.name).toBe('number');
          expect(Number(c.value), c.name).toBe(expected);
          expect(Number(c.text.replaceAll(',', '')), c.name).toBe(expected);
        }
        expect(watched.foreignRequests).toEqual([]);
        expect(watched.errors).toEqual([]);
        expect(server.missing).toEqual([]);
      } finally {
        await watched.close();
      }
    },
    60_000,
  );
});
