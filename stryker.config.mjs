// Mutation testing of the core (`npm run mutate`); see docs/testing.md.
// Run one module group at a time on a shared machine, for example:
//   npm run mutate -- --mutate 'src/oss/**/*.ts'
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: true },
  plugins: ['@stryker-mutator/vitest-runner'],
  coverageAnalysis: 'perTest',
  mutate: ['src/**/*.ts', '!src/cli/**', '!src/adapters/**'],
  // The sandbox gets the sources and tests, not build output or other tools' files.
  ignorePatterns: ['dist', 'coverage', 'docs/api', 'examples', 'reports', '.vitest-report.json'],
  concurrency: 1,
  timeoutMS: 10_000,
  // The initial run (every related test, with per-test coverage) takes minutes on a busy machine.
  dryRunTimeoutMinutes: 30,
  timeoutFactor: 2,
  thresholds: { high: 90, low: 85, break: null },
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
