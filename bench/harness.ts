/**
 * Timing for the benches that model a server (matcher, request): competitors measured side by
 * side in interleaved rounds, ratios taken within each round, medians reported.
 *
 * Why this shape: the machine the figures come from is a 2-core VM shared with other work, whose
 * load slows everything down in bursts of up to 4×. Within one round, competitors are measured
 * back to back (tens of milliseconds apart), so a burst mostly hits all of them or none; a ratio
 * taken inside a round cancels it, and the median over rounds drops the rounds it split. The order
 * of the competitors rotates from round to round, so none is always first after a switch.
 *
 * Samples are CPU time (`process.cpuUsage`, user + system, every thread of the process), not wall
 * time: with other processes on the machine, wall time counts the milliseconds the process sat
 * descheduled, which is most of them under load. CPU time still counts what load does to caches
 * and shared cores, and the garbage collector's threads (a cost of the competitor that allocates).
 */
import os from 'node:os';

/** One competitor: `pass()` runs it once over the timed inputs and returns a count it found. */
export interface Competitor {
  readonly name: string;
  readonly pass: () => number;
}

/** Competitors compared with each other (one scenario). */
export interface Group {
  readonly id: string;
  readonly competitors: readonly Competitor[];
  /** Inputs per pass, to report time per input. */
  readonly inputs: number;
}

/** ns per input, per round, by group id then competitor name. */
export type Samples = Map<string, Map<string, number[]>>;

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** CPU time of the process so far, in nanoseconds. */
function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

/** How many passes take about `ms` milliseconds of CPU time (at least one). */
function calibrate(pass: () => number, ms: number): number {
  let reps = 1;
  for (;;) {
    const t0 = cpuNs();
    for (let i = 0; i < reps; i++) pass();
    const dt = (cpuNs() - t0) / 1e6;
    if (dt >= ms / 4 || reps >= 1 << 20)
      return Math.max(1, Math.round((reps * ms) / Math.max(dt, 0.01)));
    reps *= 2;
  }
}

let sink = 0;

/**
 * Measure every competitor of every group once per round, for `rounds` rounds, each sample about
 * `sampleMs` long. Prints a line per round so a long run shows progress.
 */
export function measureRounds(groups: readonly Group[], rounds: number, sampleMs: number): Samples {
  const reps = new Map<string, number>();
  for (const g of groups)
    for (const c of g.competitors) reps.set(`${g.id}\u0000${c.name}`, calibrate(c.pass, sampleMs));
  const samples: Samples = new Map(groups.map((g) => [g.id, new Map()]));
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    for (const g of groups) {
      const n = g.competitors.length;
      for (let j = 0; j < n; j++) {
        const c = g.competitors[(j + round) % n] as Competitor;
        const r = reps.get(`${g.id}\u0000${c.name}`) as number;
        const t0 = cpuNs();
        for (let i = 0; i < r; i++) sink += c.pass();
        const ns = (cpuNs() - t0) / (r * g.inputs);
        const byName = samples.get(g.id) as Map<string, number[]>;
        byName.set(c.name, [...(byName.get(c.name) ?? []), ns]);
      }
    }
    console.log(
      `round ${round + 1}/${rounds} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
  if (sink === 0.5) console.log('');
  return samples;
}

/** Median over rounds of ns per input. */
export function medianNs(samples: Samples, group: string, name: string): number {
  return median(samples.get(group)?.get(name) ?? [Number.NaN]);
}

/** Median over rounds of the per-round ratio `a / b` (how many times slower `a` is than `b`). */
export function medianRatio(samples: Samples, group: string, a: string, b: string): number {
  const xs = samples.get(group)?.get(a) ?? [];
  const ys = samples.get(group)?.get(b) ?? [];
  return median(xs.map((x, i) => x / (ys[i] as number)));
}

/** Lowest and highest per-round ratio, to show how much the rounds agreed. */
export function ratioRange(
  samples: Samples,
  group: string,
  a: string,
  b: string,
): [number, number] {
  const xs = samples.get(group)?.get(a) ?? [];
  const ys = samples.get(group)?.get(b) ?? [];
  const r = xs.map((x, i) => x / (ys[i] as number));
  return [Math.min(...r), Math.max(...r)];
}

const probeData = new Int32Array(4096).map((_, i) => (i * 2654435761) | 0);
/**
 * A fixed workload that reads no strings: how fast the machine itself was while a process ran.
 * Measured in the same rounds as everything else, it lets bench/run.mjs compare figures taken in
 * two processes (cold and warm) at different moments of a shared machine's load.
 */
export const PROBE: Group = {
  id: 'machine',
  inputs: probeData.length,
  competitors: [
    {
      name: 'probe',
      pass: () => {
        let h = 0;
        for (let i = 0; i < probeData.length; i++) h = Math.imul(h ^ (probeData[i] as number), 31);
        return h & 1;
      },
    },
  ],
};

/** The machine, as every bench prints it first. */
export function machine(): string {
  const cpus = os.cpus();
  return (
    `node ${process.version} · ${cpus[0]?.model.trim() ?? 'unknown CPU'} · ${cpus.length} cores · ` +
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM · ${os.platform()} ${os.arch()} · ` +
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`
  );
}

/** The condition this process runs in: `BENCH_CONDITION`, set by bench/run.mjs. */
export function condition(): 'cold' | 'warm' {
  const c = process.env.BENCH_CONDITION ?? 'cold';
  if (c !== 'cold' && c !== 'warm')
    throw new Error(`BENCH_CONDITION must be cold or warm, not ${c}`);
  return c;
}

export const ratio = (n: number): string => `${n.toFixed(2)}×`;
export const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
