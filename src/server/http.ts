import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Logger } from '../core/logger.js';

/**
 * One HTTP server for every channel: Slack at /slack/events, Teams at
 * /api/messages, the web console at /, probes at /healthz. Each channel
 * mounts its own routes; this module only owns the server.
 */
export interface ChannelMount {
  name: string;
  mount(app: express.Express): void;
  close?(): Promise<void>;
}

export function createHttpApp(mounts: readonly ChannelMount[], logger: Logger): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => { res.json({ status: 'ok', channels: mounts.map((m) => m.name) }); });
  for (const m of mounts) {
    m.mount(app);
    logger.info('channel mounted', { channel: m.name });
  }
  return app;
}

export async function listen(app: express.Express, port: number, host: string): Promise<{ server: http.Server; url: string; close: () => Promise<void> }> {
  const server = http.createServer(app);
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
