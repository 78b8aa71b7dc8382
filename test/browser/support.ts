/**
 * Headless Chromium for the browser tests: Debian's `chromium` driven by `playwright-core`
 * (no browser download), a static file server on loopback, and a page that records every
 * request to another origin, every console error and every uncaught exception.
 *
 * `.ci/run` installs the browser and sets `REQUIRE_BROWSER=1`, so a missing browser fails there;
 * on a developer machine without it the browser suites are skipped with a message.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Where Chromium is: `CHROMIUM_PATH`, else Debian's two package paths. */
export const chromiumPath: string | undefined = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-headless-shell',
].find((p): p is string => p !== undefined && p !== '' && existsSync(p));

/** Whether the browser suites run here; when they cannot and CI requires them, fail loudly. */
export const browserAvailable: boolean = (() => {
  if (chromiumPath !== undefined) return true;
  if (process.env.REQUIRE_BROWSER === '1') {
    throw new Error('REQUIRE_BROWSER=1 but no Chromium found (install Debian chromium)');
  }
  console.warn(
    'browser tests skipped: no Chromium (apt-get install chromium, or set CHROMIUM_PATH)',
  );
  return false;
})();

/** Screenshots go here (git-ignored): the test run's artefacts. */
export const artefactsDir = resolve('artifacts/screenshots');

/** A phone-sized viewport and a desktop one. */
export const viewports = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
} as const;

// The closed network refuses Chromium's own background connections; these flags stop them.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Launches headless Chromium. Close it in `afterAll`. */
export function launchBrowser(): Promise<Browser> {
  // Spread: with exactOptionalPropertyTypes an absent path must be absent, not undefined.
  const path = chromiumPath === undefined ? {} : { executablePath: chromiumPath };
  return chromium.launch({ ...path, args: FLAGS, headless: true });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** A static server as any static host is: files under `root`, `dir/` serves `dir/index.html`. */
export interface StaticServer {
  /** `http://127.0.0.1:PORT` without a trailing slash. */
  readonly origin: string;
  /** Paths that were asked for and not found (a broken link shows up here). */
  readonly missing: string[];
  close(): Promise<void>;
}

/** Serves `root` on a free loopback port. */
export async function serveStatic(root: string): Promise<StaticServer> {
  const base = resolve(root);
  const missing: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      missing.push(path);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    missing,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

/** A page and what it did that a test must see. */
export interface WatchedPage {
  readonly page: Page;
  /** Requests to any origin but `allowedOrigin` (blocked, and recorded here). */
  readonly foreignRequests: string[];
  /** Console messages of type `error`, and uncaught exceptions. */
  readonly errors: string[];
  close(): Promise<void>;
}

/**
 * Opens a fresh context (no shared storage) with the given viewport. Requests to other origins
 * are aborted and recorded; `file:` and `data:`/`blob:` URLs count as local only for a
 * `file:` page (`allowedOrigin: 'file://'`).
 */
export async function openPage(
  browser: Browser,
  allowedOrigin: string,
  viewport: { width: number; height: number } = viewports.desktop,
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, permissions: [] });
  const page = await context.newPage();
  const foreignRequests: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (
      url.startsWith(`${allowedOrigin}/`) ||
      url === allowedOrigin ||
      url.startsWith('data:') ||
      url.startsWith('blob:')
    ) {
      return route.continue();
    }
    foreignRequests.push(url);
    return route.abort();
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  return { page, foreignRequests, errors, close: () => context.close() };
}

/** Saves a full-page screenshot as `artifacts/screenshots/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artefactsDir, { recursive: true });
  const path = join(artefactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
