import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Logger } from '../core/logger.js';
import { runReadiness, type ReadinessCheck } from './readiness.js';

/**
 * One HTTP server for every channel: Slack at /slack/events, Teams at
 * /api/messages, the web console at /, probes at /healthz (the process
 * answers) and /readyz (it can do its job). Each channel mounts its own
 * routes; this module only owns the server.
 */
export interface ChannelMount {
  name: string;
  mount(app: express.Express): void;
  close?(): Promise<void>;
  /** Throws (French reason) when the channel cannot work: checked by /readyz. */
  ready?(): Promise<void> | void;
}

export interface HttpAppOptions {
  /** Checks of the parts every channel relies on (index, database…); channel mounts add their own `ready`. */
  readiness?: readonly ReadinessCheck[];
}

export function createHttpApp(mounts: readonly ChannelMount[], logger: Logger, opts: HttpAppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => { res.json({ status: 'ok', channels: mounts.map((m) => m.name) }); });
  const checks: ReadinessCheck[] = [
    ...(opts.readiness ?? []),
    ...mounts.flatMap((m) => (m.ready ? [{ name: m.name, check: () => m.ready!() }] : [])),
  ];
  app.get('/readyz', (_req, res, next) => {
    runReadiness(checks).then((report) => {
      if (!report.ready) logger.warn('not ready', { checks: report.checks });
      res.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ready' : 'not-ready', checks: report.checks });
    }, next);
  });
  for (const m of mounts) {
    m.mount(app);
    logger.info('channel mounted', { channel: m.name });
  }
  return app;
}

/**
 * Node's defaults hold a request whose body never ends for 300 s (and check
 * only every 30 s): a slow or stalled client must not keep a connection that
 * long. Uploads are capped in size, so a minute is ample for a whole body.
 */
export interface HttpTimeouts {
  /** Whole request, headers and body (Node: `requestTimeout`). */
  requestTimeoutMs: number;
  /** Headers alone (Node: `headersTimeout`). */
  headersTimeoutMs: number;
  /** How often Node looks for requests past those limits. */
  checkIntervalMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { requestTimeoutMs: 60_000, headersTimeoutMs: 15_000, checkIntervalMs: 5_000 };

export async function listen(
  app: express.Express, port: number, host: string, timeouts: HttpTimeouts = DEFAULT_HTTP_TIMEOUTS,
): Promise<{ server: http.Server; url: string; close: () => Promise<void> }> {
  const server = http.createServer({
    requestTimeout: timeouts.requestTimeoutMs,
    headersTimeout: timeouts.headersTimeoutMs,
    connectionsCheckingInterval: timeouts.checkIntervalMs,
  }, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host}:${actual}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
