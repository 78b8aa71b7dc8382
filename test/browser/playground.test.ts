/**
 * The playground in headless Chromium, built from the sources into a temporary folder: its
 * decisions equal `evaluate`'s in Node for the behaviour reference's examples, edits re-decide,
 * an invalid policy shows its problems where they are, a share link reproduces the page, and no
 * page asks another host for anything or logs an error. Plus the hash and request-list formats,
 * in Node.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeHash,
  encodeHash,
  formatRequests,
  fromBase64Url,
  headerPairs,
  type PlaygroundState,
  parseRequests,
  type RequestSpec,
  toBase64Url,
} from '../../playground/state.js';
import { buildPlayground, playgroundHash } from '../../scripts/site.mjs';
import { EXAMPLE_POLICY } from '../../src/cli/example-policy.js';
import { definePolicy, errorResponse, evaluate, validatePolicy } from '../../src/index.js';
import { behaviourDecisions, type DecisionExample } from '../support/behaviour-examples.js';
import {
  browserAvailable,
  launchBrowser,
  openPage,
  type StaticServer,
  screenshot,
  serveStatic,
  viewports,
  type WatchedPage,
} from './support.js';

const HOST = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';

/** What a result element says, and what the same request gets from `evaluate` in Node. */
interface Shown {
  readonly decision: string | null;
  readonly status: string | null;
  readonly reason: string | null;
}

function expected(policy: unknown, r: RequestSpec): Shown {
  const d = evaluate(
    {
      url: r.url,
      method: r.method,
      headers: headerPairs(r.headers),
    },
    definePolicy(policy as Parameters<typeof definePolicy>[0]),
  );
  return {
    decision: d.allow ? 'allow' : 'deny',
    status: String(d.allow ? 200 : d.status),
    reason: d.reason,
  };
}

const specOf = (e: DecisionExample): RequestSpec => ({
  url: e.url,
  method: e.method ?? 'GET',
  headers: Object.entries(e.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
});

describe('playground state formats (Node)', () => {
  const request = fc.record({
    url: fc
      .tuple(fc.constantFrom(`${HOST}/`, 'http://b.oss-cn-beijing.aliyuncs.com/', '/'), fc.string())
      .map(([base, rest]) => base + rest.replace(/\s/g, '')),
    method: fc.constantFrom('GET', 'HEAD', 'PUT', 'POST', 'DELETE'),
    headers: fc.array(
      fc
        .tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/), fc.string())
        .map(([n, v]) => `${n}: ${v.replace(/\s/g, ' ').trim() || 'x'}`),
      { maxLength: 3 },
    ),
  });

  it('the hash round-trips any policy text and request list', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.array(request, { maxLength: 5 }),
        (policyText, requests) => {
          const state: PlaygroundState = { policyText, requests };
          const decoded = decodeHash(encodeHash(state));
          // A link without url= has no requests (the page then lists none).
          const expectedRequests = requests.length === 0 ? undefined : requests;
          expect(decoded).toEqual({ policyText, requests: expectedRequests, problems: [] });
        },
      ),
    );
  });

  it('the request list round-trips through its text form', () => {
    fc.assert(
      fc.property(fc.array(request, { maxLength: 6 }), (requests) => {
        expect(parseRequests(formatRequests(requests))).toEqual({ requests, problems: [] });
      }),
    );
  });

  it('the site links to the playground in the form the playground reads', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(request, { maxLength: 4 }), (policyText, requests) => {
        expect(playgroundHash(policyText, requests)).toBe(encodeHash({ policyText, requests }));
      }),
    );
  });

  it.each([
    ['padding is optional', 'e30=', '{}'],
    ['UTF-8 text', toBase64Url('{"rules":[{"prefix":"图片/"}]}'), '{"rules":[{"prefix":"图片/"}]}'],
    ['not base64url', 'e30+', undefined],
    ['not UTF-8', toBase64Url('x').replace('eA', '_w'), undefined],
  ])('base64url: %s', (_, encoded, text) => {
    expect(fromBase64Url(encoded)).toBe(text);
  });

  it.each([
    ['method= before any url=', '#method=PUT', ['method= before any url=']],
    ['a bad escape', '#policy=e30&url=%E0%A4%A', ['url= has an invalid percent escape']],
    ['a bad policy', '#policy=***', ['policy= is not base64url of UTF-8 text']],
  ])('hash problems: %s', (_, hash, problems) => {
    expect(decodeHash(hash).problems).toEqual(problems);
  });

  it.each([
    ['a method and a header', 'PUT /a.jpg\nHost: b.oss-cn-hangzhou.aliyuncs.com', [], 1],
    ['comments and blank lines', '# x\n\nhttps://h/a\n\n# y\nhttps://h/b', [], 2],
    ['a header after a blank line', 'https://h/a\n\nRange: bytes=0-1', [3], 1],
    ['neither', 'https://h/a\nnot a url', [2], 1],
  ])('request list: %s', (_, text, problemLines, count) => {
    const { requests, problems } = parseRequests(text);
    expect(problems.map((p) => p.line)).toEqual(problemLines);
    expect(requests).toHaveLength(count);
  });
});

describe.skipIf(!browserAvailable)('playground in Chromium', () => {
  let dir: string;
  let server: StaticServer;
  let browser: Browser;
  const opened: WatchedPage[] = [];
  let loads = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oss-playground-'));
    await buildPlayground(dir);
    server = await serveStatic(dir);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const w of opened) await w.close();
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let shared: WatchedPage | undefined;

  /**
   * Loads the playground with `hash`, in one page the tests share unless `viewport` asks for a
   * fresh one. The query differs on every load, so each is a real page load, not a
   * same-document hash change.
   */
  async function open(
    hash = '',
    viewport?: { width: number; height: number },
  ): Promise<WatchedPage> {
    let w = viewport === undefined ? shared : undefined;
    if (w === undefined) {
      w = await openPage(browser, server.origin, viewport ?? viewports.desktop);
      opened.push(w);
      if (viewport === undefined) shared = w;
    }
    await w.page.goto(`${server.origin}/playground/index.html?load=${++loads}${hash}`);
    await w.page.waitForSelector('html[data-ready="true"]');
    return w;
  }

  const shown = (w: WatchedPage): Promise<Shown[]> =>
    w.page.$$eval('#results .result', (nodes) =>
      nodes.map((n) => ({
        decision: n.getAttribute('data-decision'),
        status: n.getAttribute('data-status'),
        reason: n.getAttribute('data-reason'),
      })),
    );

  /** (e): every page opened so far asked no other host for anything and logged no error. */
  function expectClean(): void {
    for (const w of opened) {
      expect(w.foreignRequests).toEqual([]);
      expect(w.errors).toEqual([]);
    }
    expect(server.missing).toEqual([]);
  }

  it('(a) decides every example of the behaviour reference as evaluate does', async () => {
    const examples = behaviourDecisions();
    expect(examples.length).toBeGreaterThanOrEqual(30);
    // One page load per policy, with every URL of that policy.
    const byPolicy = new Map<string, DecisionExample[]>();
    for (const e of examples) {
      const key = JSON.stringify(e.policy);
      byPolicy.set(key, [...(byPolicy.get(key) ?? []), e]);
    }
    let compared = 0;
    for (const [policyText, group] of byPolicy) {
      const requests = group.map(specOf);
      const w = await open(encodeHash({ policyText, requests }));
      const page = await shown(w);
      const node = requests.map((r) => expected(JSON.parse(policyText), r));
      expect(page, `policy ${policyText}`).toEqual(node);
      // And the reference says the same, so the page, Node and the docs agree.
      expect(page.map((s) => [s.decision, Number(s.status)])).toEqual(
        group.map((e) => [e.decision, e.status]),
      );
      compared += page.length;
    }
    expect(compared).toBe(examples.length);
    expectClean();
  });

  it('shows the example policy and its requests when the hash is empty', async () => {
    const w = await open();
    const policyText = await w.page.inputValue('#policy');
    expect(JSON.parse(policyText)).toEqual(EXAMPLE_POLICY);
    const { requests } = parseRequests(await w.page.inputValue('#requests'));
    expect(requests.length).toBeGreaterThanOrEqual(5);
    const page = await shown(w);
    expect(page).toEqual(requests.map((r) => expected(EXAMPLE_POLICY, r)));
    // Both verdicts and more than one status are on show.
    expect(new Set(page.map((s) => s.status)).size).toBeGreaterThanOrEqual(3);
    // The page wrote its state into the hash.
    expect(decodeHash(new URL(w.page.url()).hash)).toMatchObject({ policyText, requests });
    // Each denial shows OSS's response as errorResponse makes it (the request ID is the page's).
    const bodies = await w.page.$$eval('#results .result', (nodes) =>
      nodes.map((n) => n.querySelector('pre.xml')?.textContent ?? null),
    );
    requests.forEach((r, i) => {
      const d = evaluate(
        { url: r.url, method: r.method, headers: headerPairs(r.headers) },
        definePolicy(EXAMPLE_POLICY),
      );
      if (d.allow) {
        expect(bodies[i]).toBeNull();
        return;
      }
      const shownBody = bodies[i] as string;
      const requestId = /x-oss-request-id: (\w+)/.exec(shownBody)?.[1] ?? '';
      const response = errorResponse(d, { requestId });
      const head = Object.entries(response.headers).map(([k, v]) => `${k}: ${v}`);
      expect(shownBody.split('\n\n')[0]?.split('\n').slice(1)).toEqual(head);
      expect(shownBody.slice(shownBody.indexOf('\n\n') + 2)).toBe(response.body);
      expect(shownBody.startsWith(`HTTP/1.1 ${d.status} `)).toBe(true);
    });
    expectClean();
  });

  it('(b) re-decides as the policy and the requests are edited', async () => {
    const w = await open();
    const before = await shown(w);
    const { requests } = parseRequests(await w.page.inputValue('#requests'));
    // Typed key by key, as a person would: only .txt files are protected now.
    const policy = { extensions: ['txt'] };
    const textarea = w.page.getByLabel('Policy (JSON)');
    await textarea.focus();
    await w.page.keyboard.press('ControlOrMeta+a');
    await w.page.keyboard.type(JSON.stringify(policy));
    const after = await shown(w);
    expect(after).toEqual(requests.map((r) => expected(policy, r)));
    expect(after).not.toEqual(before);
    expect(decodeHash(new URL(w.page.url()).hash).policyText).toBe(JSON.stringify(policy));

    // A request added to the list gets its own decision.
    const extra = `${HOST}/notes/todo.TXT?x-oss-process=style/small`;
    await w.page.getByLabel('Requests').fill(`${await w.page.inputValue('#requests')}\n${extra}`);
    const withExtra = await shown(w);
    expect(withExtra).toHaveLength(requests.length + 1);
    expect(withExtra.at(-1)).toEqual(expected(policy, { url: extra, method: 'GET', headers: [] }));
    expectClean();
  });

  /** A policy text with a problem on a known line, and what the page must list. */
  const INVALID: readonly {
    readonly name: string;
    readonly text: string;
    readonly listed: readonly { kind: string; at: string; code: string; where: string }[];
  }[] = [
    {
      name: 'three validation issues, each at its line and column',
      text: '{\n  "rules": [{ "prefix": "/image/" }],\n  "extensions": ["j pg"],\n  "colour": true\n}\n',
      listed: [
        { kind: 'error', at: 'colour', code: 'unknown-field', where: '4:3' },
        { kind: 'error', at: 'rules[0].prefix', code: 'leading-slash', where: '2:25' },
        { kind: 'error', at: 'extensions[0]', code: 'invalid-extension', where: '3:18' },
      ],
    },
    {
      name: 'not JSON',
      text: '{\n  "rules": [\n}',
      listed: [{ kind: 'error', at: '(JSON)', code: 'json-syntax', where: '3:1' }],
    },
    {
      name: 'not an object',
      text: '[]',
      listed: [{ kind: 'error', at: '(root)', code: 'not-an-object', where: '1:1' }],
    },
  ];

  it.each(INVALID)(
    '(c) an invalid policy shows its issues at their paths: $name',
    async ({ text, listed }) => {
      const w = await open(
        encodeHash({
          policyText: text,
          requests: [{ url: `${HOST}/a.jpg`, method: 'GET', headers: [] }],
        }),
      );
      const items = await w.page.$$eval('#diagnostics li', (nodes) =>
        nodes.map((n) => ({
          kind: n.className,
          at: n.getAttribute('data-at'),
          code: n.getAttribute('data-code'),
          where: n.querySelector('button')?.textContent,
        })),
      );
      // The page lists what validatePolicy says, in its order (JSON errors come before it).
      const parsed = (() => {
        try {
          return { ok: true as const, value: JSON.parse(text) as unknown };
        } catch {
          return { ok: false as const };
        }
      })();
      if (parsed.ok) {
        const result = validatePolicy(parsed.value);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect([...items].sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''))).toEqual(
            result.issues
              .map((i) => ({ kind: 'error', at: i.at, code: i.code, where: expect.any(String) }))
              .sort((a, b) => a.at.localeCompare(b.at)),
          );
        }
      }
      expect(items.sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''))).toEqual(
        [...listed].sort((a, b) => a.at.localeCompare(b.at)),
      );
      expect(await w.page.textContent('#policy-status')).toMatch(
        /^(Invalid policy|Not valid JSON)/,
      );
      expect(await w.page.getAttribute('#policy', 'aria-invalid')).toBe('true');
      // No decision is claimed while the policy is invalid.
      expect(await shown(w)).toEqual([{ decision: null, status: null, reason: null }]);

      // The line number takes the caret there, from the keyboard.
      const first = listed[0] as (typeof listed)[number];
      await w.page.locator(`#diagnostics li[data-at="${first.at}"] button`).focus();
      await w.page.keyboard.press('Enter');
      const caret = await w.page.evaluate(() => {
        const area = document.activeElement as HTMLTextAreaElement;
        const before = area.value.slice(0, area.selectionStart).split('\n');
        return { id: area.id, where: `${before.length}:${(before.at(-1)?.length ?? 0) + 1}` };
      });
      expect(caret).toEqual({ id: 'policy', where: first.where });
      expectClean();
    },
  );

  it('lists lint warnings at their paths and still decides', async () => {
    const policy = { rules: [{ prefix: 'image' }], delimiters: ['/'], styles: ['small'] };
    const text = JSON.stringify(policy, null, 2);
    const url = `${HOST}/image/a.jpg`;
    const w = await open(
      encodeHash({ policyText: text, requests: [{ url, method: 'GET', headers: [] }] }),
    );
    const warnings = await w.page.$$eval('#diagnostics li.warning', (nodes) =>
      nodes.map((n) => [n.getAttribute('data-at'), n.getAttribute('data-code')]),
    );
    expect(warnings).toEqual([
      ['rules[0].prefix', 'prefix-not-folder'],
      ['delimiters[0]', 'slash-delimiter'],
    ]);
    expect(await w.page.textContent('#policy-status')).toBe('Valid policy, 2 warnings');
    expect(await shown(w)).toEqual([expected(policy, { url, method: 'GET', headers: [] })]);
    expectClean();
  });

  it('(d) the share link round-trips, and the policy downloads as typed', async () => {
    const policyText =
      '{\n  "rules": [{ "prefix": "raw/", "suffix": ".tif" }],\n  "extensions": ["png"]\n}';
    const requests: RequestSpec[] = [
      { url: `${HOST}/raw/scan.tif`, method: 'GET', headers: [] },
      {
        url: `${HOST}/copy.tif`,
        method: 'PUT',
        headers: ['x-oss-copy-source: /examplebucket/raw/scan.tif'],
      },
      {
        url: '/a.PNG',
        method: 'HEAD',
        headers: ['Host: examplebucket.oss-cn-hangzhou.aliyuncs.com'],
      },
    ];
    const w = await open();
    await w.page.getByLabel('Policy (JSON)').fill(policyText);
    await w.page.getByLabel('Requests').fill(formatRequests(requests));
    const results = await shown(w);
    expect(results).toEqual(requests.map((r) => expected(JSON.parse(policyText), r)));

    await w.page.getByRole('button', { name: 'Copy share link' }).click();
    const field = w.page.getByLabel('Share link');
    await expect.poll(() => field.isVisible()).toBe(true);
    const link = await field.inputValue();
    expect(link).toBe(w.page.url());
    expect(await w.page.textContent('#share-status')).toMatch(
      /copied|Copy the link from the field/,
    );

    const other = await openPage(browser, server.origin, viewports.phone);
    opened.push(other);
    await other.page.goto(link);
    await other.page.waitForSelector('html[data-ready="true"]');
    expect(await other.page.inputValue('#policy')).toBe(policyText);
    expect(parseRequests(await other.page.inputValue('#requests')).requests).toEqual(requests);
    expect(await shown(other)).toEqual(results);

    const [download] = await Promise.all([
      w.page.waitForEvent('download'),
      w.page.getByRole('button', { name: 'Download policy' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('policy.json');
    const saved = await download.path();
    expect(readFileSync(saved, 'utf8')).toBe(policyText);
    expectClean();
  });

  it('a link opened on the page re-renders (hashchange)', async () => {
    const w = await open();
    const policy = { rules: [{ prefix: 'a/' }] };
    const requests: RequestSpec[] = [{ url: `${HOST}/a/b.gif`, method: 'GET', headers: [] }];
    await w.page.evaluate(
      (h) => {
        location.hash = h;
      },
      encodeHash({ policyText: JSON.stringify(policy), requests }),
    );
    await expect.poll(() => shown(w)).toEqual([expected(policy, requests[0] as RequestSpec)]);
    expectClean();
  });

  it('is usable from the keyboard: labelled fields, focus order, visible focus', async () => {
    const w = await open();
    await w.page.focus('#policy');
    const order: string[] = [];
    const outlines: string[] = [];
    for (let i = 0; i < 4; i++) {
      await w.page.keyboard.press('Tab');
      order.push(await w.page.evaluate(() => document.activeElement?.id ?? ''));
      outlines.push(
        await w.page.evaluate(
          () => getComputedStyle(document.activeElement as Element).outlineStyle,
        ),
      );
    }
    expect(order).toEqual(['requests', 'copy-link', 'download', 'reset']);
    expect(outlines.every((o) => o === 'solid')).toBe(true);
    // The first Tab on a fresh page reaches the skip link; it moves focus to the results and
    // keeps the state (the hash holds it).
    await open();
    const url = w.page.url();
    await w.page.keyboard.press('Tab');
    expect(await w.page.evaluate(() => document.activeElement?.id)).toBe('skip');
    await w.page.keyboard.press('Enter');
    expect(await w.page.evaluate(() => document.activeElement?.id)).toBe('results-heading');
    expect(w.page.url()).toBe(url);
    // Every form field has a label a screen reader announces.
    const unlabelled = await w.page.$$eval('textarea, input', (nodes) =>
      nodes.filter((n) => (n as HTMLInputElement).labels?.length === 0).map((n) => n.id),
    );
    expect(unlabelled).toEqual([]);
    expectClean();
  });

  it('(f) desktop and phone screenshots; nothing wider than a 390 px phone', async () => {
    for (const [name, viewport] of Object.entries(viewports)) {
      const w = await open('', viewport);
      // Show what a result holds: the readings, the rule tests, the error body.
      await w.page.evaluate(() => {
        for (const d of document.querySelectorAll('#results .result:first-child details'))
          (d as HTMLDetailsElement).open = true;
      });
      const width = await w.page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(viewport.width);
      await screenshot(w.page, `playground-${name}`);
    }
    expectClean();
  });
});
