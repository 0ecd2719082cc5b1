import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, startConsole, type RunningConsole } from './support.js';

/**
 * Guessing the console's token: wrong Bearer attempts are throttled per client
 * address, through real HTTP from distinct loopback addresses (the whole
 * 127.0.0.0/8 block is this machine), while the right token keeps working for
 * every other client and a logged-in browser is never locked out.
 */
const TOKEN = 'jeton-secret-de-test';
let c: RunningConsole;
let now = NOW.getTime();

beforeAll(async () => {
  c = await startConsole({ env: { PTSM_WEB_TOKEN: TOKEN }, web: { clock: () => new Date(now) } });
});
afterAll(async () => { await c?.close(); });

function request(from: string, opts: { bearer?: string; cookie?: string; method?: string; path?: string; form?: Record<string, string> } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(opts.path ?? '/api/documents', c.url);
  const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, path: url.pathname, method: opts.method ?? 'GET', localAddress: from,
      headers: {
        ...(opts.bearer ? { authorization: `Bearer ${opts.bearer}` } : {}),
        ...(opts.cookie ? { cookie: opts.cookie } : {}),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) } : {}),
      },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('web console: Bearer guessing', () => {
  it('throttles one client’s wrong tokens, refuses even the right one from it meanwhile, and never locks out the others', async () => {
    const attacker = '127.0.0.2';
    const colleague = '127.0.0.3';
    const login = await request(colleague, { method: 'POST', path: '/connexion', form: { jeton: TOKEN, suite: '/' } });
    expect(login.status).toBe(303);
    const session = String(login.headers['set-cookie']).split(';')[0]!;

    for (let i = 0; i < 5; i++) expect((await request(attacker, { bearer: `essai-${i}` })).status).toBe(401);
    const throttled = await request(attacker, { bearer: 'essai-6' });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(throttled.body).error.message).toMatch(/^Trop de tentatives avec un mauvais jeton : patientez \d+ s/);
    // A right guess during the pause cannot be told apart from a wrong one.
    expect((await request(attacker, { bearer: TOKEN })).status).toBe(429);
    // The login form shares the same brake.
    expect((await request(attacker, { method: 'POST', path: '/connexion', form: { jeton: TOKEN, suite: '/' } })).status).toBe(429);

    // Everyone else is untouched: the right token from another client, and a session cookie even from the throttled address.
    expect((await request(colleague, { bearer: TOKEN })).status).toBe(200);
    expect((await request(attacker, { cookie: session })).status).toBe(200);
    // Requests with no credentials at all are not counted as guesses.
    expect((await request(colleague)).status).toBe(401);
    expect((await request(colleague, { bearer: TOKEN })).status).toBe(200);

    // Once the minute has passed, the throttled client may try again, and the right token lets it in.
    now += 61_000;
    expect((await request(attacker, { bearer: TOKEN })).status).toBe(200);
    expect((await request(attacker, { bearer: 'essai-7' })).status).toBe(401);
  });
});
