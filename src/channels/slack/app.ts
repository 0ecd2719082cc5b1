import { App, ExpressReceiver, type AuthorizeResult, type BlockAction, type SlackShortcut, webApi } from '@slack/bolt';
import express from 'express';
import type { AssistantResolver } from '../../app/assistant.js';
import type { AppConfig } from '../../config.js';
import { describeError, PtsmError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { SqliteDb } from '../../storage/sqlite.js';
import { registerAssistantPanel } from './assistant-panel.js';
import { boltLevel, toBoltLogger } from './bolt-logger.js';
import { registerCommands } from './commands.js';
import { tellUser, type SlackDeps } from './deps.js';
import { registerDrafting } from './drafting.js';
import { ACTIONS, SHORTCUTS, SLACK_EVENTS_PATH, SLASH_COMMAND, VIEWS } from './ids.js';
import { registerNudgeActions, SlackNotifier } from './nudges.js';
import { registerQuestions } from './questions.js';
import { requestGuard } from './request-guard.js';
import { SlackStore } from './store.js';
import { Turns, WorkQueue } from './stream.js';
import type { BotIds } from './thread.js';
import { SlackUsers } from './users.js';

/**
 * Builds the Bolt app for one workspace: HTTP (Events API on the shared
 * express server, Bolt's signature checks) or Socket Mode when an app token
 * is configured. Every listener acknowledges first and works afterwards.
 */
export interface SlackAppOptions {
  config: AppConfig;
  logger: Logger;
  /** The assistant of each conversation's territory (`singleAssistant(a)` for one PTSM). */
  assistants: AssistantResolver;
  db: SqliteDb;
  /** WebClient retries (429s wait for Retry-After, then retry; 5xx back off). */
  retryConfig?: webApi.RetryOptions;
  clock?: () => Date;
  /** Where corpus files are browsable (citations link to `<base>/<source>`). */
  docsBaseUrl?: string;
  /** Questions answered at once; more wait their turn. */
  answerConcurrency?: number;
  /** Minimum time between two calls streaming one answer (chat.startStream / appendStream). */
  streamIntervalMs?: number;
}

export const DEFAULT_RETRY: webApi.RetryOptions = { retries: 3, factor: 2, minTimeout: 1000, maxTimeout: 10_000, randomize: true };

export interface BuiltSlackApp {
  app: App;
  /** Router holding POST /slack/events (HTTP mode only). */
  router: express.Router | null;
  notifier: SlackNotifier;
  /** Several territories: the notifier of one, with its own database (nudges delivered) and coordination channel. */
  notifierFor(territory: string, db: SqliteDb, digestChannel: string | undefined): SlackNotifier;
  socketMode: boolean;
  /** Waits (at most `timeoutMs`) for listeners still at work. */
  drain(timeoutMs: number): Promise<void>;
}

function apiUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.endsWith('/') ? url : `${url}/`;
}

/** Matches any id but the known ones: the fallback listener never doubles a real one. */
function allBut(ids: readonly string[]): RegExp {
  return new RegExp(`^(?!(?:${ids.map((i) => i.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$)`);
}

export function buildSlackApp(opts: SlackAppOptions): BuiltSlackApp {
  const { config, logger } = opts;
  const slack = config.slack;
  const log = logger.child({ channel: 'slack' });
  if (!slack.botToken) {
    throw new PtsmError('CONFIG_INVALID', 'Slack : SLACK_BOT_TOKEN est manquant (jeton du bot, commençant par xoxb-, page « OAuth & Permissions » de l’application Slack).', { input: 'SLACK_BOT_TOKEN' });
  }
  const socketMode = Boolean(slack.appToken);
  if (!socketMode && !slack.signingSecret) {
    throw new PtsmError('CONFIG_INVALID', 'Slack : SLACK_SIGNING_SECRET est manquant (page « Basic Information » de l’application Slack). Il sert à vérifier que les requêtes viennent bien de Slack.', { input: 'SLACK_SIGNING_SECRET' });
  }
  const boltLogger = toBoltLogger(log, boltLevel(config.logLevel));
  const slackApiUrl = apiUrl(slack.apiUrl);
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: opts.retryConfig ?? DEFAULT_RETRY,
    logger: boltLogger,
    timeout: 30_000,
    ...(slackApiUrl ? { slackApiUrl } : {}),
  };
  const client = new webApi.WebClient(slack.botToken, clientOptions);
  const botToken = slack.botToken;

  // auth.test once, cached; a failure is not cached (the next event retries it).
  let auth: Promise<BotIds & { teamId: string | undefined }> | null = null;
  const whoAmI = (): Promise<BotIds & { teamId: string | undefined }> => {
    if (!auth) {
      const p = client.auth.test().then((r) => ({ userId: r.user_id, botId: r.bot_id, teamId: r.team_id }));
      auth = p;
      p.catch((e: unknown) => {
        if (auth === p) auth = null;
        log.error('slack auth.test failed', { error: describeError(e) });
      });
    }
    return auth;
  };
  const authorize = async (): Promise<AuthorizeResult> => {
    const me = await whoAmI();
    return { botToken, ...(me.userId ? { botUserId: me.userId } : {}), ...(me.botId ? { botId: me.botId } : {}), ...(me.teamId ? { teamId: me.teamId } : {}) };
  };

  const store = new SlackStore(opts.db, opts.clock);
  const turns = new Turns();
  const deps: SlackDeps = {
    client,
    assistants: opts.assistants,
    store,
    users: new SlackUsers(client, log),
    logger: log,
    bot: async () => { const me = await whoAmI(); return { userId: me.userId, botId: me.botId, teamId: me.teamId }; },
    queue: new WorkQueue(opts.answerConcurrency ?? 16, turns),
    turns,
    docsBaseUrl: opts.docsBaseUrl,
    timezone: config.timezone,
    now: opts.clock ?? (() => new Date()),
    streamIntervalMs: opts.streamIntervalMs ?? 1000,
  };

  let router: express.Router | null = null;
  let app: App;
  if (socketMode) {
    // Bolt hands clientOptions (slackApiUrl, retries) to the Socket Mode client too (apps.connections.open).
    app = new App({ socketMode: true, appToken: slack.appToken!, authorize, clientOptions, logger: boltLogger });
  } else {
    router = express.Router();
    router.post(SLACK_EVENTS_PATH, ...requestGuard(slack.signingSecret!, log));
    const receiver = new ExpressReceiver({
      signingSecret: slack.signingSecret!,
      endpoints: SLACK_EVENTS_PATH,
      // A long-running server: answer Slack first, work afterwards (Slack allows 3 s).
      processBeforeResponse: false,
      router,
      logger: boltLogger,
    });
    app = new App({ receiver, authorize, clientOptions, logger: boltLogger });
  }

  // Counts listeners still working after their ack, so a stop waits for them (nothing half-written).
  let inflight = 0;
  let idle: Array<() => void> = [];
  app.use(async ({ next }) => {
    inflight++;
    try {
      await next();
    } finally {
      inflight--;
      if (inflight === 0) { for (const r of idle) r(); idle = []; }
    }
  });
  const drain = async (timeoutMs: number): Promise<void> => {
    if (inflight === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => idle.push(resolve)),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); }),
    ]);
    clearTimeout(timer);
    if (inflight > 0) log.warn('slack stopped with work in progress', { inflight });
  };

  app.error(async (error) => {
    log.error('slack listener failed', { error: describeError(error), code: (error as { code?: string }).code });
  });

  // Before the other listeners: Bolt's Assistant middleware takes the panel's events and stops them there.
  registerAssistantPanel(app, deps);
  registerQuestions(app, deps);
  registerDrafting(app, deps);
  registerNudgeActions(app, deps);
  registerCommands(app, deps);
  registerFallbacks(app, deps);

  return {
    app, router, notifier: new SlackNotifier(client, store, slack.digestChannel, log), socketMode, drain,
    notifierFor: (territory, db, digestChannel) => new SlackNotifier(client, new SlackStore(db, opts.clock), digestChannel, log.child({ territory }), territory),
  };
}

const UNKNOWN_BUTTON = "Ce bouton n'est plus pris en charge par l'assistant. Si le problème persiste, prévenez la coordination.";

/** Unknown buttons, shortcuts, modals and commands: acknowledged, logged, answered in French — never left to time out. */
function registerFallbacks(app: App, deps: SlackDeps): void {
  app.action<BlockAction>(allBut(Object.values(ACTIONS)), async ({ ack, body, action, respond }) => {
    await ack();
    deps.logger.warn('unknown slack action', { action: (action as { action_id?: string }).action_id });
    await tellUser(deps, { channel: body.channel?.id, user: body.user.id, respond }, UNKNOWN_BUTTON);
  });
  app.shortcut<SlackShortcut>(allBut(Object.values(SHORTCUTS)), async ({ ack, shortcut, respond }) => {
    await ack();
    deps.logger.warn('unknown slack shortcut', { callbackId: shortcut.callback_id });
    if (shortcut.type === 'message_action') {
      await tellUser(deps, { channel: shortcut.channel.id, user: shortcut.user.id, respond }, "Ce raccourci n'est pas (ou plus) pris en charge par l'assistant.");
    }
  });
  app.view(allBut(Object.values(VIEWS)), async ({ ack, view }) => {
    await ack();
    deps.logger.warn('unknown slack view submission', { callbackId: view.callback_id });
  });
  app.view({ callback_id: /.*/, type: 'view_closed' }, async ({ ack }) => { await ack(); });
  app.command(allBut([SLASH_COMMAND]), async ({ ack, command }) => {
    deps.logger.warn('unknown slack command', { command: command.command });
    await ack({ response_type: 'ephemeral', text: `Commande inconnue pour l'assistant. Tapez \`${SLASH_COMMAND} aide\`.` });
  });
}
