/**
 * `serve`: a reverse proxy that puts OSS source image protection in front of any HTTP store (an
 * OSS endpoint, an S3-compatible store, a local server), built on the Node adapter. Without an
 * upstream it serves a folder read-only, so one command shows it working.
 */
import { realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeGuard, type NodeGuardOptions } from '../adapters/node.js';
import { definePolicy, type Policy, parseRequestUrl } from '../index.js';
import { defineCommand, parseCount } from './args.js';
import { describeSystemError, InputError, UsageError } from './errors.js';
import { EXAMPLE_POLICY } from './example-policy.js';
import { loadPolicy } from './files.js';
import { secretsFile } from './secrets.js';
import { contentTypeOf, serveKey } from './serve/folder.js';
import { GatewayRequest, GatewayResponse, logLine } from './serve/log.js';
import { INTERNAL_ERROR, sendError } from './serve/oss-error.js';
import { createUpstream, describeNetworkError, forward, type Upstream } from './serve/proxy.js';

const HELP = `Usage: oss-source-guard serve --upstream URL [options]
       oss-source-guard serve --root DIR [options]

A gateway that answers like OSS with source image protection on: denied requests get OSS's 403
(or 400, 404) XML error; allowed ones are forwarded to --upstream with their method, headers
(Range, If-None-Match, ...) and body, streamed both ways. Without --upstream, --root serves a
folder read-only (GET and HEAD, with Range and conditional requests; styles are not applied, the
file is sent as it is).

Options:
  --upstream URL   Where allowed requests go (http or https): an OSS endpoint such as
                   https://examplebucket.oss-cn-hangzhou.aliyuncs.com, an S3-compatible store,
                   any HTTP server. The raw request target is appended to its path.
  --root DIR       Without --upstream: serve this folder, one file per object key
  --policy FILE    The policy (JSON); without it, the embedded example policy
                   (docs/example-policy.json), and a note on stderr says so
  --port N         Port to listen on (default 8080; 0 picks a free one)
  --host ADDR      Address to listen on (default 127.0.0.1)
  --secrets FILE   JSON {"AccessKeyId": "secret", ...}: verify OSS V1/V4 signatures. Without it
                   signatures are only detected, and a forged one passes as signed.
  --bucket NAME    The bucket this gateway serves (signatures are verified against it); default:
                   the bucket --upstream's host names, if it is an OSS host
  --timeout MS     How long the upstream may stay silent (default 30000): 504 before it answers,
                   the connection is cut after
  --json           Access log as JSON lines (see docs/adapters.md)
  -h, --help       Show this help

One access-log line per request on stdout; messages on stderr. SIGTERM or SIGINT stops accepting
connections, lets the requests in flight finish (30 s at most), and exits; a second signal exits at
once.

Exit status: 0 stopped by a signal after every request finished, 1 requests were cut short at
shutdown, 2 usage or input error (bad option, policy, secrets file, folder, address in use).

Example:
  oss-source-guard serve --root ./photos --port 8080
  curl -i 'http://127.0.0.1:8080/image/cat.jpg?x-oss-process=style/small'`;

/** How long SIGTERM waits for requests in flight. */
const DRAIN_MS = 30_000;
const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

function parseUpstream(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `--upstream needs an http or https URL, not ${JSON.stringify(value)}`,
      'serve',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(
      `--upstream needs an http or https URL, not ${JSON.stringify(value)}`,
      'serve',
    );
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '')
    throw new UsageError('--upstream takes a URL without query, fragment or credentials', 'serve');
  return url;
}

async function openRoot(dir: string): Promise<string> {
  try {
    const path = await realpath(dir);
    if (!(await stat(path)).isDirectory()) throw new InputError(`--root ${dir} is not a directory`);
    return path;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot serve --root ${dir}: ${describeSystemError(error)}`);
  }
}

/**
 * Access-log lines, written in batches: every 50 ms or 64 KiB, and at shutdown. One write per
 * request would be one system call per request on the gateway's only thread.
 */
function accessLog(): { add(line: string): void; flush(): void } {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const text = pending;
    pending = '';
    process.stdout.write(text);
  };
  return {
    add(line) {
      pending += `${line}\n`;
      if (pending.length > 65536) flush();
      else if (timer === undefined) timer = setTimeout(flush, 50);
    },
    flush,
  };
}

interface Config {
  readonly policy: Policy;
  readonly policyLabel: string;
  readonly upstream: Upstream | undefined;
  readonly root: string | undefined;
  readonly port: number;
  readonly host: string;
  readonly secrets: ReadonlyMap<string, string> | undefined;
  readonly bucket: string | undefined;
  readonly json: boolean;
}

function run(config: Config): Promise<number> {
  const { upstream, root, json } = config;
  const log = accessLog();
  const options: NodeGuardOptions<GatewayRequest, GatewayResponse> = {
    bucket: config.bucket,
    onDecision(decision, req) {
      req.decision = decision;
    },
    ...(config.secrets === undefined
      ? {}
      : { verify: { getSecret: (id: string) => config.secrets?.get(id) } }),
    // A folder knows its files' types by extension, for `extensions: ["*"]`.
    ...(root === undefined ? {} : { contentType: contentTypeOf }),
  };
  const guard = createNodeGuard(config.policy, options);

  let inFlight = 0;
  let draining = false;
  const server = http.createServer<typeof GatewayRequest, typeof GatewayResponse>(
    { IncomingMessage: GatewayRequest, ServerResponse: GatewayResponse },
    (req, res) => {
      inFlight++;
      const hostId = req.headers.host ?? config.host;
      res.once('close', () => {
        inFlight--;
        log.add(logLine(req, res, json));
        if (draining) setImmediate(() => server.closeIdleConnections());
      });
      if (draining) res.setHeader('connection', 'close');
      guard(req, res)
        .then((allowed) => {
          if (!allowed) return;
          if (upstream !== undefined) forward(req, res, upstream, hostId);
          else return serveKey(root as string, req.decision?.key, req, res, hostId);
        })
        .catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          process.stderr.write(`oss-source-guard: internal error: ${message} (please report it)\n`);
          res.note = 'internal-error';
          if (res.headersSent) res.destroy();
          else res.requestId = sendError(res, INTERNAL_ERROR, req.method, hostId);
        });
    },
  );

  return new Promise<number>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (code: number) => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      upstream?.close();
      log.flush();
      process.stderr.write(
        `oss-source-guard: stopped${code === 0 ? '' : ', requests cut short'}\n`,
      );
      resolve(code);
    };
    const stop = (signal: NodeJS.Signals) => {
      if (draining) {
        process.stderr.write(`oss-source-guard: ${signal} again: stopping now\n`);
        server.closeAllConnections();
        finish(1);
        return;
      }
      draining = true;
      process.stderr.write(
        `oss-source-guard: ${signal}: finishing ${inFlight} request${inFlight === 1 ? '' : 's'} in flight\n`,
      );
      server.close(() => finish(0));
      server.closeIdleConnections();
      timer = setTimeout(() => {
        process.stderr.write(
          `oss-source-guard: ${inFlight} request${inFlight === 1 ? '' : 's'} still in flight after ${DRAIN_MS / 1000} s: stopping\n`,
        );
        server.closeAllConnections();
        finish(1);
      }, DRAIN_MS);
    };
    server.once('error', (error) => {
      upstream?.close();
      reject(
        new InputError(
          `cannot listen on ${config.host}:${config.port}: ${describeNetworkError(error)}`,
        ),
      );
    });
    server.listen(config.port, config.host, () => {
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      const { port } = server.address() as AddressInfo;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      const target = upstream === undefined ? `folder ${root}` : `upstream ${upstream.url.href}`;
      const signatures = config.secrets === undefined ? 'detected, not verified' : 'verified';
      process.stderr.write(
        `oss-source-guard: serving http://${host}:${port} → ${target}; policy ${config.policyLabel}; bucket ${config.bucket ?? '(from the host)'}; signatures ${signatures}\n`,
      );
    });
  });
}

export const serve = defineCommand({
  name: 'serve',
  summary: 'a gateway that enforces a policy in front of an upstream or a folder',
  help: HELP,
  options: {
    policy: { type: 'string' },
    upstream: { type: 'string' },
    root: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    secrets: { type: 'string' },
    bucket: { type: 'string' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }) {
    if (positionals.length > 0)
      throw new UsageError(
        `serve takes no arguments, not ${JSON.stringify(positionals[0])}`,
        'serve',
      );
    if (values.upstream !== undefined && values.root !== undefined)
      throw new UsageError('give --upstream or --root, not both', 'serve');
    if (values.upstream === undefined && values.root === undefined)
      throw new UsageError(
        'serve needs --upstream URL (a proxy) or --root DIR (a folder)',
        'serve',
      );
    const port = values.port === undefined ? 8080 : parseCount(values.port, '--port', 'serve');
    if (port > 65535) throw new UsageError(`option --port needs 0–65535, not ${port}`, 'serve');
    const timeout =
      values.timeout === undefined ? 30_000 : parseCount(values.timeout, '--timeout', 'serve');
    if (timeout < 1) throw new UsageError('option --timeout needs at least 1 ms', 'serve');
    const url = values.upstream === undefined ? undefined : parseUpstream(values.upstream);
    if (values.bucket !== undefined && !BUCKET.test(values.bucket))
      throw new UsageError(
        `option --bucket needs a bucket name (3–63 of a–z, 0–9 and "-"), not ${JSON.stringify(values.bucket)}`,
        'serve',
      );

    const file = values.policy;
    const policy = file === undefined ? definePolicy(EXAMPLE_POLICY) : await loadPolicy(file);
    if (file === undefined)
      process.stderr.write(
        'oss-source-guard: using the embedded example policy (docs/example-policy.json); pass --policy FILE\n',
      );
    const secrets = values.secrets === undefined ? undefined : await secretsFile(values.secrets);
    const root = values.root === undefined ? undefined : await openRoot(values.root);
    // The upstream's own bucket, when its host is an OSS one.
    const upstreamBucket =
      url === undefined ? undefined : parseRequestUrl(`${url.origin}/`, policy);
    const bucket = values.bucket ?? (upstreamBucket?.ok ? upstreamBucket.bucket : undefined);
    if (secrets !== undefined && bucket === undefined)
      process.stderr.write(
        "oss-source-guard: no --bucket: signatures can be verified only on OSS host names; pass --bucket NAME for this gateway's host\n",
      );
    return run({
      policy,
      policyLabel: file ?? 'embedded example',
      upstream: url === undefined ? undefined : createUpstream(url, timeout),
      root,
      port,
      host: values.host ?? '127.0.0.1',
      secrets,
      bucket,
      json: values.json === true,
    });
  },
});
