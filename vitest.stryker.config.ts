import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Shortest test file first (vitest's default runs the longest first). Stryker stops a mutant's
 * run at the first failing test, so trying the quick case tables before the long fixed-count
 * properties finds most kills sooner. Files that failed last time still go first.
 */
class ShortestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const key = (f: TestSpecification) =>
      `${f.project.name}:${relative(this.ctx.config.root, f.moduleId)}`;
    const rank = (f: TestSpecification): [number, number] => {
      const result = cache.getFileTestResults(key(f));
      if (result !== undefined) return [result.failed ? 0 : 1, result.duration];
      return [1, cache.getFileStats(key(f))?.size ?? 0];
    };
    return [...files].sort((a, b) => {
      const [fa, da] = rank(a);
      const [fb, db] = rank(b);
      return fa - fb || da - db;
    });
  }
}

/**
 * The vitest config Stryker uses (`npm run mutate`, see `stryker.config.mjs` and
 * docs/testing.md). It runs the tests that import `src/` directly, because mutants live in `src/`:
 * the tests that run `dist/` or a child process (the CLI suites, the package and runtime checks)
 * cannot see a mutant and would only slow every run down, and the architecture test reads source
 * text, which Stryker's instrumentation rewrites. No global setup: nothing here needs `dist/`.
 *
 * `FC_NUM_RUNS` caps the fast-check run count of the property tests that read it through
 * `test/support/runs.ts`; properties whose assertions count their own cases keep their full count.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [
      // These run dist/ or a child process, which no mutant reaches. A new suite of that kind
      // belongs here too (it would only slow every mutant down).
      'test/cli.test.ts',
      'test/cli-check.test.ts',
      'test/cli-import.test.ts',
      'test/cli-listing.test.ts',
      'test/cli-units.test.ts', // imports test/support/cli.ts, which copies dist/cli.js
      'test/package.test.ts',
      'test/pack.test.ts',
      'test/report-html.test.ts', // bundles src/cli with esbuild and runs it
      'test/string-shapes.test.ts',
      'test/verify-runtime.test.ts',
      'test/adapters/**', // servers and other runtimes; the adapters are not mutated
      'test/browser/**', // the built bundles in headless Chromium
      // Read source text, which Stryker's instrumentation rewrites (the doc tests also check
      // what src/ says). test/cli-inprocess.test.ts stays: it runs the CLI from src/.
      'test/architecture.test.ts',
      'test/doctest.test.ts',
      // Scratch files.
      'test/zz-*.test.ts',
      '**/node_modules/**',
    ],
    env: { FC_NUM_RUNS: process.env.FC_NUM_RUNS ?? '200' },
    // Skips the tests that assert a ratio of run times (see the file for why).
    setupFiles: ['test/mutation/stryker-setup.ts'],
    sequence: { sequencer: ShortestFirst },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
