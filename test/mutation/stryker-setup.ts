/**
 * Setup for the mutation runs only (`vitest.stryker.config.ts`): skips the tests that measure
 * cost as a ratio of run times (SPEC S8 R2 "linear time", the bypass suite's "cost is linear").
 * They are `npm test`'s job. Under Stryker every statement also counts its hits, so on inputs of
 * 10,000 headers or a 1 MiB query they take minutes instead of seconds, and every mutant on the
 * request path would run them; the mutants they could kill (a loop made quadratic) are not ones
 * Stryker makes. The name filter cannot go in the config: the runner sets its own per mutant.
 */
import { beforeEach } from 'vitest';

/** Suites and tests whose assertion is a ratio of measured times. */
const TIMED = /\blinear time\b|\bcost is linear\b/;

beforeEach((context) => {
  const names: string[] = [];
  type Named = { readonly name: string; readonly suite?: Named };
  for (let task: Named | undefined = context.task; task !== undefined; task = task.suite)
    names.push(task.name);
  if (TIMED.test(names.join(' > '))) context.skip();
});
