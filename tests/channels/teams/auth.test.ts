import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Assistant } from '../../../src/app/assistant.js';
import { createTeamsChannel } from '../../../src/channels/teams/index.js';
import { loadConfig } from '../../../src/config.js';
import { isPtsmError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/logger.js';
import { tempDir } from '../../helpers/files.js';
import { INES, fetchTask, message } from './activities.js';
import { startHarness, type Harness } from './harness.js';
import { psssmThread } from './thread-fixture.js';

const APP_ID = '3f0c2a9e-7b1d-4e6a-9c8f-5d4e3b2a1f09';

/** A local OpenID endpoint playing the Bot Framework's token issuer, with one signing key endorsed for Teams. */
async function startIssuer(): Promise<{ url: string; sign: (claims: Record<string, unknown>, opts?: { key?: crypto.KeyObject; kid?: string }) => string; close: () => Promise<void> }> {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = 'cle-test-1';
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === '/.well-known/openidconfiguration') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (req.url === '/keys') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sign(claims, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      const head = b64({ alg: 'RS256', typ: 'JWT', kid: opts.kid ?? kid });
      const body = b64({ iss: 'https://api.botframework.com', aud: APP_ID, nbf: now - 60, exp: now + 3600, ...claims });
      const sig = crypto.sign('RSA-SHA256', Buffer.from(`${head}.${body}`), opts.key ?? privateKey).toString('base64url');
      return `${head}.${body}.${sig}`;
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('Teams authentication with an app id', () => {
  let h: Harness;
  let issuer: Awaited<ReturnType<typeof startIssuer>>;
  beforeAll(async () => {
    issuer = await startIssuer();
    h = await startHarness({
      env: { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret-de-test', TEAMS_ALLOW_UNAUTHENTICATED: 'false' },
      // botbuilder takes a custom endpoint only with the full set (as for a sovereign cloud): the public cloud's values, but our OpenID endpoint.
      channel: {
        authOverrides: {
          ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
          ToChannelFromBotOAuthScope: 'https://api.botframework.com',
          ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
          OAuthUrl: 'https://api.botframework.com',
          ToBotFromChannelOpenIdMetadataUrl: `${issuer.url}/.well-known/openidconfiguration`,
          ToBotFromEmulatorOpenIdMetadataUrl: `${issuer.url}/emulator/.well-known/openidconfiguration`,
          CallerId: 'urn:botframework:azure',
        },
      },
    });
  });
  afterAll(async () => { await h.close(); await issuer.close(); });
  beforeEach(() => { h.connector.reset(); h.asked.length = 0; });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('refuses a request without an Authorization header with 401, before anything runs', async () => {
    const res = await h.post(message(h.connector.url, INES, 'Qui pilote la fiche 4 ?'));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Authentification Bot Framework refusée.' });
    expect(h.asked).toHaveLength(0);
    expect(h.connector.calls).toHaveLength(0);
  });

  it('refuses garbage, a token from an unknown key, a forged signature and a token for another bot with 401', async () => {
    const activity = message(h.connector.url, INES, 'Qui pilote la fiche 4 ?');
    const forger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const tokens = [
      'pas-un-jeton',
      issuer.sign({ serviceurl: h.connector.url }, { kid: 'cle-inconnue' }),
      issuer.sign({ serviceurl: h.connector.url }, { key: forger }),
      issuer.sign({ serviceurl: h.connector.url, aud: '11111111-2222-4333-8444-555555555555' }),
      issuer.sign({ serviceurl: 'https://autre.example/' }),
    ];
    for (const t of tokens) expect((await h.post(activity, bearer(t))).status).toBe(401);
    expect(h.asked).toHaveLength(0);
    expect(h.connector.calls).toHaveLength(0);
  });

  it('accepts a token signed by the channel\'s key for this bot and this service URL', async () => {
    const res = await h.post(fetchTask(h.connector.url, INES, psssmThread()), bearer(issuer.sign({ serviceurl: h.connector.url })));
    expect(res.status).toBe(200);
    expect((res.body as { task: { type: string } }).task.type).toBe('continue');
  });
});

describe('Teams configuration refusals', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  // Never reached: the configuration is refused first.
  const assistant = {} as Assistant;
  const attempt = (env: Record<string, string>) => {
    try {
      createTeamsChannel({ config: loadConfig({ PTSM_DATA_DIR: tmp.dir, ...env }), logger: silentLogger, assistant });
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

  it('refuses an app id without its password, and SingleTenant without a tenant', () => {
    expect(isPtsmError(attempt({ MICROSOFT_APP_ID: APP_ID })) && (attempt({ MICROSOFT_APP_ID: APP_ID }) as { input: string }).input).toBe('MICROSOFT_APP_PASSWORD');
    const single = attempt({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TYPE: 'SingleTenant' });
    expect(isPtsmError(single) && single.input).toBe('MICROSOFT_APP_TENANT_ID');
  });

  it('mounts in development with the explicit flag', () => {
    expect(attempt({ TEAMS_ALLOW_UNAUTHENTICATED: 'true' })).toBeNull();
  });
});
