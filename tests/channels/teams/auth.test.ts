import { singleAssistant } from '../../../src/app/assistant.js';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Assistant } from '../../../src/app/assistant.js';
import { authSettings } from '../../../src/channels/teams/adapter.js';
import { createTeamsChannel } from '../../../src/channels/teams/index.js';
import { loadConfig } from '../../../src/config.js';
import { isPtsmError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/logger.js';
import { tempDir } from '../../helpers/files.js';
import { INES, TENANT, fetchTask, message } from './activities.js';
import { startHarness, type Harness } from './harness.js';
import { psssmThread } from './thread-fixture.js';

const APP_ID = '3f0c2a9e-7b1d-4e6a-9c8f-5d4e3b2a1f09';

const TENANT_ID = TENANT;
const MSI_TOKEN = 'jeton-identite-managee-de-test';

/**
 * A local stand-in for Microsoft Entra on 127.0.0.1: the signing keys the
 * SDK fetches to check incoming tokens (`{authority}/{tenant}/discovery/v2.0/keys`),
 * and the App Service managed-identity endpoint MSAL asks for the bot's own
 * outgoing token (IDENTITY_ENDPOINT).
 */
async function startIssuer(): Promise<{
  url: string; issuer: string; msiCalls: Array<{ resource: string | null; clientId: string | null; header: string | undefined }>;
  sign: (claims: Record<string, unknown>, opts?: { key?: crypto.KeyObject; kid?: string }) => string; close: () => Promise<void>;
}> {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = 'cle-test-1';
  const msiCalls: Array<{ resource: string | null; clientId: string | null; header: string | undefined }> = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname === `/${TENANT_ID}/discovery/v2.0/keys`) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e }] }));
    } else if (url.pathname === '/msi/token') {
      msiCalls.push({ resource: url.searchParams.get('resource'), clientId: url.searchParams.get('client_id'), header: req.headers['x-identity-header'] as string | undefined });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        access_token: MSI_TOKEN, expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource: url.searchParams.get('resource'), token_type: 'Bearer', client_id: APP_ID,
      }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/${TENANT_ID}/v2.0`;
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return {
    url: base, issuer, msiCalls,
    sign(claims, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      const head = b64({ alg: 'RS256', typ: 'JWT', kid: opts.kid ?? kid });
      const body = b64({ iss: issuer, aud: APP_ID, nbf: now - 60, exp: now + 3600, ...claims });
      const sig = crypto.sign('RSA-SHA256', Buffer.from(`${head}.${body}`), opts.key ?? privateKey).toString('base64url');
      return `${head}.${body}.${sig}`;
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('Teams authentication with an app id (managed identity, single tenant)', () => {
  let h: Harness;
  let issuer: Awaited<ReturnType<typeof startIssuer>>;
  beforeAll(async () => {
    issuer = await startIssuer();
    // Read by MSAL itself (App Service managed identity): this test file runs in its own process.
    process.env.IDENTITY_ENDPOINT = `${issuer.url}/msi/token`;
    process.env.IDENTITY_HEADER = 'en-tete-msi';
    h = await startHarness({
      env: { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_TENANT_ID: TENANT_ID, TEAMS_ALLOW_UNAUTHENTICATED: 'false' },
      // As for a sovereign cloud: another authority (our local Entra) and its issuer.
      channel: { authOverrides: { authorityEndpoint: issuer.url, issuers: [issuer.issuer] } },
    });
  });
  afterAll(async () => {
    await h.close();
    await issuer.close();
    delete process.env.IDENTITY_ENDPOINT;
    delete process.env.IDENTITY_HEADER;
  });
  beforeEach(() => { h.connector.reset(); h.asked.length = 0; });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('refuses a request without an Authorization header with 401, before anything runs', async () => {
    const res = await h.post(message(h.connector.url, INES, 'Qui pilote la fiche 4 ?'));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Authentification Bot Framework refusée.' });
    expect(h.asked).toHaveLength(0);
    expect(h.connector.calls).toHaveLength(0);
  });

  it('refuses garbage, another scheme, an unknown key, a forged signature, another bot, another issuer, an expired token and another service URL with 401', async () => {
    const activity = message(h.connector.url, INES, 'Qui pilote la fiche 4 ?');
    const forger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const now = Math.floor(Date.now() / 1000);
    const headers = [
      bearer('pas-un-jeton'),
      { authorization: `Basic ${Buffer.from('bot:secret').toString('base64')}` },
      bearer(issuer.sign({ serviceurl: h.connector.url }, { kid: 'cle-inconnue' })),
      bearer(issuer.sign({ serviceurl: h.connector.url }, { key: forger })),
      bearer(issuer.sign({ serviceurl: h.connector.url, aud: '11111111-2222-4333-8444-555555555555' })),
      bearer(issuer.sign({ serviceurl: h.connector.url, iss: `${issuer.url}/autre-locataire/v2.0` })),
      bearer(issuer.sign({ serviceurl: h.connector.url, nbf: now - 7200, exp: now - 3600 })),
      bearer(issuer.sign({ serviceurl: 'https://autre.example/' })),
      bearer(issuer.sign({})),
    ];
    for (const hd of headers) expect((await h.post(activity, hd)).status).toBe(401);
    expect(h.asked).toHaveLength(0);
    expect(h.connector.calls).toHaveLength(0);
  });

  it('accepts a token signed by the issuer\'s key for this bot and this service URL, and answers with the managed identity\'s token', async () => {
    const res = await h.post(message(h.connector.url, INES, 'Qui pilote la fiche action n° 4 ?'), bearer(issuer.sign({ serviceurl: h.connector.url })));
    expect(res.status).toBe(200);
    expect(h.asked).toHaveLength(1);
    const sent = h.connector.sent();
    expect(sent.length).toBeGreaterThan(0);
    for (const s of sent) expect(s.headers.authorization).toBe(`Bearer ${MSI_TOKEN}`);
    expect(String(sent.at(-1)!.activity.text)).toMatch(/Caradec/);
    expect(issuer.msiCalls[0]).toEqual({ resource: 'https://api.botframework.com', clientId: APP_ID, header: 'en-tete-msi' });
  });

  it('accepts a message extension invoke with a valid token', async () => {
    const res = await h.post(fetchTask(h.connector.url, INES, psssmThread()), bearer(issuer.sign({ serviceurl: h.connector.url })));
    expect(res.status).toBe(200);
    expect((res.body as { task: { type: string } }).task.type).toBe('continue');
  });
});

describe('Teams authentication cannot be switched off once an app id is set', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret-de-test', MICROSOFT_APP_TENANT_ID: TENANT_ID, TEAMS_ALLOW_UNAUTHENTICATED: 'true' } });
  });
  afterAll(async () => { await h.close(); });

  it('still refuses a request without a token with 401 when TEAMS_ALLOW_UNAUTHENTICATED=true', async () => {
    const res = await h.post(message(h.connector.url, INES, 'Qui pilote la fiche 4 ?'));
    expect(res.status).toBe(401);
    expect(h.asked).toHaveLength(0);
    expect(h.connector.calls).toHaveLength(0);
  });
});

describe('Teams configuration refusals', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  // Never reached: the configuration is refused first.
  const assistant = {} as Assistant;
  const attempt = (env: Record<string, string>) => {
    try {
      createTeamsChannel({ config: loadConfig({ PTSM_DATA_DIR: tmp.dir, ...env }), logger: silentLogger, assistants: singleAssistant(assistant) });
      return null;
    } catch (e) {
      return e;
    }
  };

  it('refuses to mount without an app id unless unauthenticated mode is allowed', () => {
    const err = attempt({});
    expect(isPtsmError(err) && err.code).toBe('CONFIG_INVALID');
    expect(isPtsmError(err) && err.input).toBe('MICROSOFT_APP_ID');
    expect((err as Error).message).toMatch(/n'importe qui pourrait écrire au bot/);
  });

  it('refuses unauthenticated mode in production', () => {
    const err = attempt({ TEAMS_ALLOW_UNAUTHENTICATED: 'true', NODE_ENV: 'production' });
    expect(isPtsmError(err) && err.input).toBe('TEAMS_ALLOW_UNAUTHENTICATED');
    expect((err as Error).message).toMatch(/interdit en production/);
  });

  it('refuses an app id without its password, and a single tenant (the default) or managed identity without a tenant', () => {
    const noPassword = attempt({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TENANT_ID: TENANT });
    expect(isPtsmError(noPassword) && noPassword.input).toBe('MICROSOFT_APP_PASSWORD');
    const single = attempt({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x' });
    expect(isPtsmError(single) && single.input).toBe('MICROSOFT_APP_TENANT_ID');
    expect((single as Error).message).toMatch(/SingleTenant/);
    const msi = attempt({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'UserAssignedMSI' });
    expect(isPtsmError(msi) && msi.input).toBe('MICROSOFT_APP_TENANT_ID');
  });

  it('mounts a single-tenant bot, a managed identity without password, and a legacy multi-tenant bot', () => {
    expect(attempt({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TENANT_ID: TENANT })).toBeNull();
    expect(attempt({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_TENANT_ID: TENANT })).toBeNull();
    expect(attempt({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TYPE: 'MultiTenant' })).toBeNull();
  });

  it('defaults to SingleTenant and maps each app type to the SDK\'s credentials, issuers always checked', () => {
    const teams = (env: Record<string, string>) => loadConfig({ PTSM_DATA_DIR: tmp.dir, MICROSOFT_APP_ID: APP_ID, ...env }).teams;
    expect(teams({}).appType).toBe('SingleTenant');
    expect(authSettings(teams({ MICROSOFT_APP_PASSWORD: 's', MICROSOFT_APP_TENANT_ID: TENANT })))
      .toEqual({ clientId: APP_ID, validateIssuer: true, authType: 'ClientSecret', clientSecret: 's', tenantId: TENANT });
    expect(authSettings(teams({ MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_TENANT_ID: TENANT })))
      .toEqual({ clientId: APP_ID, validateIssuer: true, authType: 'UserManagedIdentity', tenantId: TENANT });
    expect(() => loadConfig({ PTSM_DATA_DIR: tmp.dir, MICROSOFT_APP_TYPE: 'Multi' })).toThrow(/MICROSOFT_APP_TYPE/);
  });

  it('mounts in development with the explicit flag', () => {
    expect(attempt({ TEAMS_ALLOW_UNAUTHENTICATED: 'true' })).toBeNull();
  });
});
