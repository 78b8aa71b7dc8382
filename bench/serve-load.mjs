#!/usr/bin/env node
/**
 * Load test of `oss-source-guard serve` over loopback, bounded in time and connections.
 *
 *   node bench/serve-load.mjs [--duration S] [--connections N] [--size BYTES] [--latency MS]
 *                             [--warmup S] [--cli PATH] [--check]
 *
 * 1. A local origin (bench/origin.mjs, its own process) serves one object of --size bytes,
 *    answering after --latency ms (0: at once; 20 models a store across a network).
 * 2. autocannon measures the origin directly: a style URL, --connections connections, --duration s.
 * 3. `serve --upstream <origin>` (its own process, the access log written to a file) is measured
 *    the same way, with its resident memory sampled every 250 ms.
 * It prints both figures, their ratio, errors, and the gateway's RSS before and after the run,
 * then one JSON line with everything. --check exits 1 unless the gateway holds at least 70% of
 * the origin's throughput with no error and no non-2xx answer, its RSS peaks less than 64 MB
 * above where it started and no higher in the second half of the run than in the first (within
 * 32 MB, the allocator's bursts), and the access log has one line per request.
 *
 * Defaults: 10 s, 50 connections, 32 KiB (a typical thumbnail), latency 0, a 5 s warm-up of the
 * gateway (2 s of the origin), dist/cli.js (`npm run build`).
 * Only 127.0.0.1 is ever contacted; every process started here is stopped at the end.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const here = import.meta.dirname;
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    size: { type: 'string', default: String(32 * 1024) },
    latency: { type: 'string', default: '0' },
    warmup: { type: 'string', default: '5' },
    cli: { type: 'string', default: join(here, '..', 'dist', 'cli.js') },
    check: { type: 'boolean', default: false },
  },
});
const duration = Math.min(Number(values.duration), 60);
const connections = Math.min(Number(values.connections), 200);
const size = Number(values.size);
const latency = Math.min(Number(values.latency), 1000);
const warmup = Math.min(Number(values.warmup), 30);
const MB = 1024 * 1024;
const mbOf = (bytes) => Math.round((bytes / MB) * 10) / 10;

const work = mkdtempSync(join(tmpdir(), 'oss-source-guard-load-'));
const children = [];

/** Start a child process and wait for the port it prints. */
function start(args, stdout = 'pipe') {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['pipe', stdout, 'pipe'] });
    children.push(child);
    let text = '';
    const timer = setTimeout(
      () => reject(new Error(`did not start: ${args.join(' ')}\n${text}`)),
      20_000,
    );
    const look = (d) => {
      text += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    };
    child.stdout?.setEncoding('utf8').on('data', look);
    child.stderr.setEncoding('utf8').on('data', look);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${args.join(' ')}\n${text}`));
    });
  });
}

const rss = (pid) =>
  Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;

/** CPU time (user + system) a process has used, in microseconds (/proc/PID/stat, USER_HZ 100). */
function cpu(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}
const selfCpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** CPU µs per request of each process over a run. */
async function measured(url, seconds, pids) {
  const before = pids.map(cpu);
  const self = selfCpu();
  const result = await load(url, seconds);
  const n = result.requests.total || 1;
  const perRequest = pids.map((pid, i) => Math.round((cpu(pid) - before[i]) / n));
  return { result, perRequest, client: Math.round((selfCpu() - self) / n) };
}

function load(url, seconds) {
  return autocannon({ url, connections, duration: seconds, pipelining: 1 });
}

function summary(r) {
  return {
    requestsPerSecond: Math.round(r.requests.average),
    requests: r.requests.total,
    megabytesPerSecond: Math.round((r.throughput.average / MB) * 10) / 10,
    latencyP50ms: r.latency.p50,
    latencyP99ms: r.latency.p99,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
  };
}

try {
  mkdirSync(join(work, 'files', 'image'), { recursive: true });
  writeFileSync(join(work, 'files', 'image', 'photo.jpg'), Buffer.alloc(size, 0x5a));
  const path = '/image/photo.jpg?x-oss-process=style/small';

  const origin = await start([join(here, 'origin.mjs'), join(work, 'files'), '0', String(latency)]);
  const originUrl = `http://127.0.0.1:${origin.port}`;
  await load(originUrl + path, Math.min(warmup, 2)); // warm-up
  const directRun = await measured(originUrl + path, duration, [origin.child.pid]);
  const direct = directRun.result;

  const log = join(work, 'access.log');
  const gateway = await start(
    [values.cli, 'serve', '--port', '0', '--upstream', originUrl, '--json'],
    openSync(log, 'w'),
  );
  const gatewayUrl = `http://127.0.0.1:${gateway.port}`;
  // Long enough for the V8 heap to reach its working size (it grows for the first seconds).
  const warm = await load(gatewayUrl + path, warmup);
  const before = rss(gateway.child.pid);
  const samples = [];
  const sampler = setInterval(() => samples.push(rss(gateway.child.pid)), 250);
  const throughRun = await measured(gatewayUrl + path, duration, [
    gateway.child.pid,
    origin.child.pid,
  ]);
  const through = throughRun.result;
  clearInterval(sampler);
  const after = rss(gateway.child.pid);
  await new Promise((r) => setTimeout(r, 300)); // the last log lines
  const logLines = readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
  const expectedLines = warm.requests.total + through.requests.total;

  const o = summary(direct);
  const g = summary(through);
  const ratio = g.requestsPerSecond / o.requestsPerSecond;
  const result = {
    node: process.version,
    cpus: availableParallelism(),
    duration,
    warmup,
    connections,
    objectBytes: size,
    originLatencyMs: latency,
    origin: o,
    serve: g,
    ratio: Math.round(ratio * 1000) / 1000,
    serveRss: {
      beforeMB: mbOf(before),
      afterMB: mbOf(after),
      peakMB: mbOf(Math.max(before, after, ...samples)),
      // Flat: the second half of the run peaks where the first did, within the allocator's
      // bursts (it keeps and returns freed buffers tens of MB at a time).
      firstHalfPeakMB: mbOf(Math.max(...samples.slice(0, samples.length >> 1))),
      secondHalfPeakMB: mbOf(Math.max(...samples.slice(samples.length >> 1))),
    },
    // CPU time per request (µs): where a 2-core machine spends it.
    cpuMicrosPerRequest: {
      direct: { origin: directRun.perRequest[0], client: directRun.client },
      throughServe: {
        serve: throughRun.perRequest[0],
        origin: throughRun.perRequest[1],
        client: throughRun.client,
      },
    },
    accessLogLines: logLines,
    // autocannon does not count the requests in flight when a run ends (at most one per
    // connection, in each of the two runs); the gateway answers and logs them.
    accessLogComplete: logLines >= expectedLines && logLines <= expectedLines + 2 * connections,
  };
  const row = (name, s) =>
    `${name.padEnd(8)} ${String(s.requestsPerSecond).padStart(7)} req/s  ${String(s.megabytesPerSecond).padStart(6)} MB/s  p50 ${s.latencyP50ms} ms  p99 ${s.latencyP99ms} ms  errors ${s.errors}  timeouts ${s.timeouts}  non-2xx ${s.non2xx}`;
  console.log(
    `${duration} s, ${connections} connections, ${size}-byte object, origin latency ${latency} ms, Node ${process.version}, ${availableParallelism()} CPUs`,
  );
  console.log(row('origin', o));
  console.log(row('serve', g));
  console.log(
    `ratio ${(ratio * 100).toFixed(1)}%  serve RSS ${result.serveRss.beforeMB} MB before, ${result.serveRss.afterMB} MB after, ${result.serveRss.peakMB} MB peak (${result.serveRss.firstHalfPeakMB} / ${result.serveRss.secondHalfPeakMB} MB in the first / second half)  access log ${logLines} lines for ${expectedLines} requests`,
  );
  const c = result.cpuMicrosPerRequest;
  console.log(
    `CPU per request: direct origin ${c.direct.origin} µs + client ${c.direct.client} µs; through serve: serve ${c.throughServe.serve} µs + origin ${c.throughServe.origin} µs + client ${c.throughServe.client} µs`,
  );
  console.log(JSON.stringify(result));
  if (values.check) {
    const failures = [];
    if (ratio < 0.7)
      failures.push(`serve holds ${(ratio * 100).toFixed(1)}% of the origin (< 70%)`);
    if (g.errors + g.timeouts + g.non2xx > 0) failures.push('errors through serve');
    const { beforeMB, peakMB, firstHalfPeakMB, secondHalfPeakMB } = result.serveRss;
    if (peakMB - beforeMB >= 64) failures.push('serve RSS peaked 64 MB or more above the start');
    if (secondHalfPeakMB - firstHalfPeakMB >= 32)
      failures.push('serve RSS still growing in the second half of the run');
    if (!result.accessLogComplete) failures.push('access log lines do not match the requests');
    if (failures.length > 0) {
      console.error(`not met: ${failures.join('; ')}`);
      process.exitCode = 1;
    }
  }
} finally {
  for (const c of children) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}
