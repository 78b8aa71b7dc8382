/**
 * A short run of bench/serve-load.mjs (3 s per phase after a 3 s warm-up, 20 connections,
 * loopback only): `serve` in front of the local origin answers every request without an error,
 * logs one line for each, and its memory stays flat. The throughput ratio is printed, not asserted here: on a shared
 * 2-core machine it measures the neighbours as much as the gateway (docs/adapters.md has the
 * figures of full runs and what bounds them).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { bundleCli, ROOT } from './support.js';

it('serve under load: no errors, one log line per request, flat memory', async () => {
  const cli = await bundleCli();
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bench', 'serve-load.mjs'),
        '--duration',
        '3',
        '--connections',
        '20',
        '--warmup',
        '3',
        '--cli',
        cli,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], timeout: 40_000 },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}\n${stdout}\n${stderr}`)),
    );
  });
  const result = JSON.parse(out.trim().split('\n').at(-1) as string);
  console.log(out.trim().split('\n').slice(0, -1).join('\n'));
  expect(result.origin.requests).toBeGreaterThan(0);
  expect(result.serve.requests).toBeGreaterThan(0);
  expect(result.serve).toMatchObject({ errors: 0, timeouts: 0, non2xx: 0 });
  expect(result.accessLogComplete).toBe(true);
  // Bounded, whatever the number of requests (the bench's --check also compares the halves of
  // a full run; 1.5 s halves are too short for that).
  expect(result.serveRss.peakMB - result.serveRss.beforeMB).toBeLessThan(64);
}, 60_000);
