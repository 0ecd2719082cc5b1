import type { Activity } from '@microsoft/agents-activity';
import { AuthType, CloudAdapter, type AuthConfiguration, type ConnectorClient, type HeaderPropagationCollection } from '@microsoft/agents-hosting';
import type { AppConfig } from '../../config.js';
import { PtsmError } from '../../core/errors.js';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from './retry.js';

/**
 * Bot authentication from `config.teams`, on the Microsoft 365 Agents SDK.
 * With an app id every request must carry a token signed for that id; without
 * one the SDK accepts anything (outside production), so that mode is refused
 * unless explicitly allowed, and never in production.
 */
export interface TeamsAdapter {
  adapter: CloudAdapter;
  /** The bot's Microsoft app id ('' when authentication is off). */
  appId: string;
  authenticated: boolean;
  /**
   * Checks a request's bearer token. Returns the verified claims (the SDK's
   * identity for the turn); throws `CHANNEL_EVENT_INVALID` otherwise. Only called when
   * `authenticated`.
   */
  verify(req: IncomingRequest): Promise<Record<string, unknown>>;
}

export interface IncomingRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** The SDK's token claims type (jsonwebtoken's), without depending on jsonwebtoken ourselves. */
type JwtPayload = ReturnType<typeof CloudAdapter.createIdentity>;

/** The SDK's adapter whose connector clients retry throttled and failing calls (see retry.ts). */
class RetryingCloudAdapter extends CloudAdapter {
  constructor(auth: AuthConfiguration, private readonly retry: RetryPolicy) {
    super(auth, undefined, undefined, { validateServiceUrl: true });
  }

  protected override async createConnectorClient(serviceUrl: string, scope: string, identity: JwtPayload, headers?: HeaderPropagationCollection): Promise<ConnectorClient> {
    return withRetries(await super.createConnectorClient(serviceUrl, scope, identity, headers), this.retry);
  }

  protected override async createConnectorClientWithIdentity(identity: JwtPayload, activity: Activity, headers?: HeaderPropagationCollection): Promise<ConnectorClient> {
    return withRetries(await super.createConnectorClientWithIdentity(identity, activity, headers), this.retry);
  }
}

/** Where proactive calls claim to go: the public Bot Framework channel service. */
export const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';
const CONNECTION = 'serviceConnection';

export function checkTeamsConfig(config: Pick<AppConfig, 'teams' | 'server'>): void {
  const t = config.teams;
  if (!t.appId) {
    if (!t.allowUnauthenticated) {
      throw new PtsmError('CONFIG_INVALID',
        "Teams : MICROSOFT_APP_ID n'est pas défini. Sans identifiant d'application, n'importe qui pourrait écrire au bot : " +
        "renseignez MICROSOFT_APP_ID et MICROSOFT_APP_PASSWORD (inscription Azure Bot), ou, pour un essai local uniquement, TEAMS_ALLOW_UNAUTHENTICATED=true.",
        { input: 'MICROSOFT_APP_ID' });
    }
    if (config.server.production) {
      throw new PtsmError('CONFIG_INVALID',
        "Teams : TEAMS_ALLOW_UNAUTHENTICATED=true est interdit en production (NODE_ENV=production) : renseignez MICROSOFT_APP_ID et MICROSOFT_APP_PASSWORD.",
        { input: 'TEAMS_ALLOW_UNAUTHENTICATED' });
    }
    return;
  }
  if (t.appType !== 'UserAssignedMSI' && !t.appPassword) {
    throw new PtsmError('CONFIG_INVALID',
      "Teams : MICROSOFT_APP_PASSWORD est obligatoire avec MICROSOFT_APP_ID (secret client de l'inscription Azure Bot), sauf avec une identité managée (MICROSOFT_APP_TYPE=UserAssignedMSI).",
      { input: 'MICROSOFT_APP_PASSWORD' });
  }
  if (t.appType !== 'MultiTenant' && !t.tenantId) {
    throw new PtsmError('CONFIG_INVALID',
      `Teams : MICROSOFT_APP_TYPE=${t.appType} demande MICROSOFT_APP_TENANT_ID (identifiant du locataire Microsoft Entra de l'inscription Azure Bot).`,
      { input: 'MICROSOFT_APP_TENANT_ID' });
  }
}

/**
 * The SDK's connection settings for the configured app type: a client secret
 * in one tenant (SingleTenant, the default), the user-assigned managed
 * identity the Azure Bot was created with (UserAssignedMSI), or a client
 * secret against the Bot Framework tenant (MultiTenant, kept for existing
 * registrations). Token issuers are always checked.
 */
export function authSettings(t: AppConfig['teams']): AuthConfiguration {
  const base: AuthConfiguration = { clientId: t.appId, validateIssuer: true };
  switch (t.appType) {
    case 'UserAssignedMSI':
      return { ...base, authType: AuthType.UserManagedIdentity, tenantId: t.tenantId };
    case 'MultiTenant':
      // No tenant: the SDK's authority is then login.microsoftonline.com/botframework.com.
      return { ...base, authType: AuthType.ClientSecret, clientSecret: t.appPassword };
    case 'SingleTenant':
      return { ...base, authType: AuthType.ClientSecret, clientSecret: t.appPassword, tenantId: t.tenantId };
  }
}

/**
 * Builds the CloudAdapter. `overrides` adds SDK connection settings
 * (sovereign clouds' authority, or a local OpenID endpoint in tests).
 * The connection is passed explicitly so that the SDK's own environment
 * variables (`connections__…`) cannot replace the validated configuration.
 */
export function createTeamsAdapter(
  config: Pick<AppConfig, 'teams' | 'server'>,
  overrides: Partial<AuthConfiguration> = {},
  retry: RetryPolicy = DEFAULT_RETRY,
): TeamsAdapter {
  checkTeamsConfig(config);
  const t = config.teams;
  const authenticated = Boolean(t.appId);
  // Overrides may move the authority, never drop the app id or the issuer check.
  const settings: AuthConfiguration = authenticated
    ? { ...authSettings(t), ...overrides, clientId: t.appId, validateIssuer: true }
    : { clientId: undefined, ...overrides };
  const adapter = new RetryingCloudAdapter({
    ...settings,
    connections: new Map([[CONNECTION, settings]]),
    connectionsMap: [{ serviceUrl: '*', connection: CONNECTION }],
  }, retry);
  return {
    adapter,
    appId: t.appId ?? '',
    authenticated,
    verify: (req) => verifyWith(adapter, req),
  };
}

function authFailure(reason: string): PtsmError {
  return new PtsmError('CHANNEL_EVENT_INVALID', `Teams : requête refusée, jeton du Bot Framework invalide (${reason}).`, { input: 'Authorization' });
}

/**
 * Runs the SDK's JWT check (signature from the issuer's keys, audience = our
 * app id, issuer, expiry) and turns its answer into claims or a thrown
 * error. The token's `serviceurl` claim must also name the activity's
 * service URL: a token issued for another service cannot post here.
 */
async function verifyWith(adapter: CloudAdapter, req: IncomingRequest): Promise<Record<string, unknown>> {
  let refused: string | null = null;
  const shim = {
    status(_code: number) { return shim; },
    send(body: unknown) { refused = JSON.stringify(body ?? null).slice(0, 200); return shim; },
    setHeader() { return shim; },
    end() { return shim; },
  };
  const request = { method: req.method, headers: req.headers, body: req.body } as Parameters<CloudAdapter['authorizeRequest']>[0] & { user?: Record<string, unknown> };
  let passed = false;
  await adapter.authorizeRequest(request, shim as unknown as Parameters<CloudAdapter['authorizeRequest']>[1], () => { passed = true; });
  if (!passed || refused !== null || !request.user) throw authFailure(refused ?? 'aucune identité');
  const claim = request.user['serviceurl'];
  const serviceUrl = (req.body as { serviceUrl?: unknown } | null)?.serviceUrl;
  if (typeof claim !== 'string' || typeof serviceUrl !== 'string' || !sameServiceUrl(claim, serviceUrl)) {
    throw authFailure('le jeton ne correspond pas au service de l\'activité');
  }
  return request.user;
}

function sameServiceUrl(a: string, b: string): boolean {
  const norm = (u: string) => u.trim().toLowerCase().replace(/\/+$/, '');
  return norm(a) === norm(b);
}
