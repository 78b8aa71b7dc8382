// Mutation testing of the CLI (`src/cli/`), reported apart from the core: the core's score is
// the one issue 14 sets a target for. Run it with `npx stryker run stryker.cli.config.mjs`
// (add `--incremental` to reuse its last run). The tests that reach it run the CLI in process
// (test/cli-inprocess.test.ts) or import its modules; see docs/testing.md.
import core from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...core,
  mutate: ['src/cli/**/*.ts'],
  incrementalFile: 'reports/stryker-incremental-cli.json',
  htmlReporter: { fileName: 'reports/mutation-cli/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation-cli/mutation.json' },
};
