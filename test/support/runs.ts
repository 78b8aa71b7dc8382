/**
 * fast-check run counts. `runs(n)` is `n`, or `FC_NUM_RUNS` when that is set and smaller: the
 * mutation-testing config (`vitest.stryker.config.ts`) sets it so that each of the thousands of
 * mutant runs stays short. `npm test` leaves it unset and runs every property in full.
 */
export function runs(n: number): number {
  const cap = Number(process.env.FC_NUM_RUNS);
  return cap > 0 ? Math.min(n, cap) : n;
}
