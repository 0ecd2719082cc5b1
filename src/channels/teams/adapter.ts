import {
  CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { AppConfig } from '../../config.js';
import { PtsmError } from '../../core/errors.js';

/**
 * Bot Framework authentication from `config.teams`. With an app id every
 * request must carry a token signed by the Bot Framework for that id; without
 * one botbuilder accepts anything, so that mode is refused unless explicitly
 * allowed, and never in production.
 */
export interface TeamsAdapter {
  adapter: CloudAdapter;
  auth: ConfigurationBotFrameworkAuthentication;
  /** The bot's Microsoft app id ('' when authentication is off). */
  appId: string;
  authenticated: boolean;
}

/** Where proactive calls claim to go: the public Bot Framework channel service. */
export const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';

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
  if (!t.appPassword) {
    throw new PtsmError('CONFIG_INVALID', 'Teams : MICROSOFT_APP_PASSWORD est obligatoire avec MICROSOFT_APP_ID (secret client de l\'inscription Azure Bot).', { input: 'MICROSOFT_APP_PASSWORD' });
  }
  if (t.appType === 'SingleTenant' && !t.tenantId) {
    throw new PtsmError('CONFIG_INVALID', 'Teams : MICROSOFT_APP_TYPE=SingleTenant demande MICROSOFT_APP_TENANT_ID (identifiant du locataire Microsoft Entra).', { input: 'MICROSOFT_APP_TENANT_ID' });
  }
}

/**
 * Builds the CloudAdapter. `overrides` passes extra botbuilder settings
 * (sovereign clouds' endpoints, or a local OpenID endpoint in tests).
 */
export function createTeamsAdapter(
  config: Pick<AppConfig, 'teams' | 'server'>,
  overrides: Partial<ConfigurationBotFrameworkAuthenticationOptions> = {},
): TeamsAdapter {
  checkTeamsConfig(config);
  const t = config.teams;
  const settings: ConfigurationBotFrameworkAuthenticationOptions = t.appId
    ? {
      MicrosoftAppId: t.appId,
      MicrosoftAppPassword: t.appPassword,
      MicrosoftAppType: t.appType,
      ...(t.tenantId ? { MicrosoftAppTenantId: t.tenantId } : {}),
      ...overrides,
    }
    : { ...overrides };
  const auth = new ConfigurationBotFrameworkAuthentication(settings);
  return { adapter: new CloudAdapter(auth), auth, appId: t.appId ?? '', authenticated: Boolean(t.appId) };
}
