import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { createLogger, silentLogger } from '../../src/core/logger.js';
import { serve } from '../../src/server/serve.js';
import { FakeSlackApi } from '../channels/slack/fake-slack-api.js';
import { MINI_PTSM, buildKb } from '../helpers/kb.js';

let dataDir: string;
let cleanup: () => void;
beforeAll(async () => { ({ dataDir, cleanup } = await buildKb(MINI_PTSM)); });
afterAll(() => cleanup());

const readyz = async (url: string): Promise<{ status: number; body: { status: string; checks: Record<string, string> } }> => {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: await res.json() as { status: string; checks: Record<string, string> } };
};

/** Sends raw bytes and returns whatever the server answers before closing (with how long it took). */
function rawRequest(url: string, bytes: string): Promise<{ response: string; ms: number }> {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    let response = '';
    socket.on('data', (d) => { response += d.toString(); });
    socket.on('close', () => resolve({ response, ms: Date.now() - started }));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => { socket.destroy(); });
  });
}

async function until(cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('ptsm serve: /readyz', () => {
  it('is ready when the index, the database and Slack are usable, and says which one is not', async () => {
    const fake = await FakeSlackApi.start();
    const config = loadConfig({ PTSM_DATA_DIR: dataDir, PORT: '0', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: fake.url });
    const server = await serve({ config, logger: silentLogger, tickMs: 0 });
    const current = path.join(dataDir, 'kb', 'CURRENT');
    const generation = fs.readFileSync(current, 'utf8');
    try {
      expect(await readyz(server.url)).toEqual({ status: 200, body: { status: 'ready', checks: { index: 'ok', database: 'ok', slack: 'ok' } } });
      // /healthz only says the process answers.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

      fake.refuse('auth.test', 'invalid_auth');
      const slackDown = await readyz(server.url);
      expect(slackDown.status).toBe(503);
      expect(slackDown.body.status).toBe('not-ready');
      expect(slackDown.body.checks['slack']).toMatch(/SLACK_BOT_TOKEN.*invalid_auth/);
      expect(slackDown.body.checks['index']).toBe('ok');
      fake.refuse('auth.test', null);

      fs.rmSync(current);
      const noIndex = await readyz(server.url);
      expect(noIndex.status).toBe(503);
      expect(noIndex.body.checks['index']).toMatch(/index introuvable/);
      expect(JSON.stringify(noIndex.body)).not.toContain(dataDir); // a public probe names no path
      fs.writeFileSync(current, generation);
      expect((await readyz(server.url)).status).toBe(200);

      server.runtime.db.close();
      const noDb = await readyz(server.url);
      expect(noDb.status).toBe(503);
      expect(noDb.body.checks['database']).toMatch(/base SQLite inutilisable/);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      if (!fs.existsSync(current)) fs.writeFileSync(current, generation);
      await server.close().catch(() => undefined);
      await fake.close();
    }
  });

  it('fails when Slack cannot be reached at all', async () => {
    const closed = await FakeSlackApi.start();
    const deadUrl = closed.url;
    await closed.close();
    const config = loadConfig({ PTSM_DATA_DIR: dataDir, PORT: '0', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: deadUrl });
    const server = await serve({ config, logger: silentLogger, tickMs: 0 });
    try {
      const r = await readyz(server.url);
      expect(r.status).toBe(503);
      expect(r.body.checks['slack']).toMatch(/API Slack injoignable/);
    } finally {
      await server.close();
    }
  });
});

describe('ptsm serve: timeouts', () => {
  it('answers 408 to a request whose body never finishes, or whose headers never end', async () => {
    const config = loadConfig({ PTSM_DATA_DIR: dataDir, PORT: '0' });
    const server = await serve({ config, logger: silentLogger, tickMs: 0, httpTimeouts: { requestTimeoutMs: 1_000, headersTimeoutMs: 500, checkIntervalMs: 100 } });
    try {
      const body = await rawRequest(server.url, 'POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"question":');
      expect(body.response).toMatch(/^HTTP\/1\.1 408/);
      expect(body.ms).toBeLessThan(5_000);
      const headers = await rawRequest(server.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      expect(headers.response).toMatch(/^HTTP\/1\.1 408/);
      expect(headers.ms).toBeLessThan(5_000);
    } finally {
      await server.close();
    }
  });
});

describe('ptsm serve: shutdown', () => {
  it('waits for the reminder pass under way before closing the database: the nudge sent is recorded, never sent twice', async () => {
    // Its own data: milestones first seen at the test's clock, not at the other tests' real time.
    const kb = await buildKb(MINI_PTSM);
    fs.writeFileSync(path.join(kb.dataDir, 'annuaire.json'), JSON.stringify([
      { name: 'Inès Caradec', organisation: 'GEM La Boussole', slack: 'U03INES' },
      { name: 'Hugo Lemaire', organisation: 'CCAS de Port-Orme', slack: 'U04HUGO' },
    ]));
    const fake = await FakeSlackApi.start();
    fake.setUser('U03INES', { name: 'ines', realName: 'Inès Caradec' });
    fake.setUser('U04HUGO', { name: 'hugo', realName: 'Hugo Lemaire' });
    // Slack answers chat.postMessage slowly: the shutdown arrives while the pass is sending.
    const slow = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const delay = req.url?.includes('chat.postMessage') ? 800 : 0;
        setTimeout(() => {
          void fetch(`${fake.url}${req.url?.replace(/^\/+/, '') ?? ''}`, { method: req.method ?? 'POST', headers: { 'content-type': req.headers['content-type'] ?? 'application/json', authorization: req.headers.authorization ?? '' }, body: Buffer.concat(chunks) })
            .then(async (r) => { res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' }); res.end(Buffer.from(await r.arrayBuffer())); });
        }, delay);
      });
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', () => resolve()));
    const slowUrl = `http://127.0.0.1:${(slow.address() as net.AddressInfo).port}/`;
    // « Recrutement de deux médiateurs : T2 2026 » is due 2026-06-30: J-14 on Tuesday 16 June, 10:00 in Paris.
    const now = new Date('2026-06-16T08:00:00Z');
    const logs: string[] = [];
    const config = loadConfig({ PTSM_DATA_DIR: kb.dataDir, PORT: '0', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slowUrl });
    try {
      const server = await serve({ config, logger: createLogger('debug', (l) => logs.push(l)), clock: () => now, tickMs: 60_000 });
      // The first pass starts with the server; stop while its message to Inès is on its way.
      await until(() => logs.some((l) => l.includes("apiCall('chat.postMessage') start")));
      await server.close();
      const nudges = fake.callsTo('chat.postMessage').filter((c) => String(c.body['channel']) === 'U03INES');
      expect(nudges).toHaveLength(1);
      expect(logs.filter((l) => /planificateur de relances|not open/i.test(l))).toEqual([]);

      // After the lease of an interrupted send would have expired, nothing is left to send to Inès: it was recorded as sent.
      let out = '';
      const code = await main(['reminders', '--dry-run', '--json', '--now', '2026-06-16T08:20:00Z', '--data', kb.dataDir], { env: {}, cwd: kb.dataDir, stdout: (s) => { out += s; }, stderr: () => undefined, interactive: false });
      expect(code).toBe(0);
      const pending = JSON.parse(out) as Array<{ pilot: string; kind: string }>;
      expect(pending.filter((r) => r.pilot.includes('Inès'))).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => slow.close(() => resolve()));
      await fake.close();
      kb.cleanup();
    }
  });
});
