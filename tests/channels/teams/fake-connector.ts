import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Bot Framework connector (the `serviceUrl` Teams
 * gives the bot): records every call, answers like the real one, and can be
 * told to fail (429 with Retry-After, or 500) for the next N calls.
 */
export interface ConnectorCall {
  method: string;
  path: string;
  /** Decoded conversation id of the URL, when there is one. */
  conversationId: string | null;
  /** Decoded activity id of the URL (reply-to or updated activity). */
  activityId: string | null;
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
  /** Status the fake answered. */
  status: number;
  /** Id the fake answered (the id Teams gives the posted activity, or the new conversation's). */
  responseId: string | null;
}

export interface Upload { path: string; headers: http.IncomingHttpHeaders; bytes: Buffer }

export interface FakeConnector {
  url: string;
  calls: ConnectorCall[];
  uploads: Upload[];
  /** Activities the bot sent (POST to a conversation), successful ones only. */
  sent(): Array<ConnectorCall & { activity: Record<string, unknown> }>;
  fail(opts: { status: 429 | 500 | 503 | 403; times: number; retryAfterSeconds?: number }): void;
  /** Resolves once `n` successful activities were sent since the last reset. */
  waitForSent(n: number, timeoutMs?: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  const uploads: Upload[] = [];
  let failure: { status: number; times: number; retryAfterSeconds?: number } | null = null;
  let nextId = 1;
  let waiters: Array<{ n: number; resolve: () => void }> = [];

  const sentCalls = () => calls.filter((c) => c.method === 'POST' && c.status < 300 && /\/activities/.test(c.path));
  const notify = () => {
    const n = sentCalls().length;
    waiters = waiters.filter((w) => (n >= w.n ? (w.resolve(), false) : true));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://fake');
      if (url.pathname.startsWith('/upload/')) {
        uploads.push({ path: url.pathname, headers: req.headers, bytes: raw });
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'file-1' }));
        return;
      }
      const m = /^\/v3\/conversations(?:\/([^/]+)\/activities(?:\/([^/]+))?)?\/?$/.exec(url.pathname);
      let body: Record<string, unknown> = {};
      try { body = raw.length ? JSON.parse(raw.toString('utf8')) as Record<string, unknown> : {}; } catch { body = { unparsable: raw.toString('utf8') }; }
      const call: ConnectorCall = {
        method: req.method ?? 'GET', path: url.pathname,
        conversationId: m?.[1] ? decodeURIComponent(m[1]) : null,
        activityId: m?.[2] ? decodeURIComponent(m[2]) : null,
        body, headers: req.headers, status: 200, responseId: null,
      };
      calls.push(call);
      if (failure && failure.times > 0) {
        failure.times -= 1;
        call.status = failure.status;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
        res.writeHead(failure.status, headers).end(JSON.stringify({ error: { code: failure.status === 429 ? 'Throttled' : 'ServiceError', message: 'fake failure' } }));
        return;
      }
      if (!m) {
        call.status = 404;
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NotFound', message: url.pathname } }));
        return;
      }
      const id = req.method === 'PUT' ? call.activityId! : m[1] ? `1700000000${String(nextId++).padStart(3, '0')}` : `a:1fake-personal-${nextId++}`;
      call.status = req.method === 'POST' && !m[1] ? 201 : 200;
      call.responseId = id;
      res.writeHead(call.status, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
      notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    // Teams' service URLs end with a slash (https://smba.trafficmanager.net/emea/).
    url: `http://127.0.0.1:${port}/`,
    calls,
    uploads,
    sent: () => sentCalls().map((c) => ({ ...c, activity: c.body })),
    fail: (opts) => { failure = { ...opts }; },
    waitForSent: (n, timeoutMs = 20_000) => new Promise<void>((resolve, reject) => {
      if (sentCalls().length >= n) { resolve(); return; }
      const timer = setTimeout(() => reject(new Error(`fake connector: ${sentCalls().length}/${n} activities sent`)), timeoutMs);
      waiters.push({ n, resolve: () => { clearTimeout(timer); resolve(); } });
    }),
    reset: () => { calls.length = 0; uploads.length = 0; failure = null; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
