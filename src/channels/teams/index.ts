import { Activity } from '@microsoft/agents-activity';
import type { AuthConfiguration } from '@microsoft/agents-hosting';
import express from 'express';
import { z } from 'zod';
import { NO_TERRITORY_MESSAGE, type Assistant, type AssistantResolver, type ConversationRef } from '../../app/assistant.js';
import type { AppConfig } from '../../config.js';
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ChannelMount } from '../../server/http.js';
import { databasePath, openDatabase } from '../../storage/sqlite.js';
import { createTeamsAdapter } from './adapter.js';
import { TeamsBot } from './bot.js';
import type { TeamsDeps } from './deps.js';
import { TeamsNotifier } from './notifier.js';
import { TeamsStore } from './store.js';
import { DEFAULT_THREAD_LIMITS, type ReplySource, type ThreadLimits } from './thread.js';

/**
 * The Microsoft Teams app on the Microsoft 365 Agents SDK
 * (@microsoft/agents-hosting and its Teams extension). Everything that
 * depends on the SDK lives in this folder.
 */
export { TeamsNotifier } from './notifier.js';
export { checkTeamsConfig } from './adapter.js';
export type { ReplySource, TeamsChatMessage, ThreadLocation } from './thread.js';
export { DRAFT_COMMAND_ID } from './drafting.js';

export const TEAMS_ROUTE = '/api/messages';
/** Message-action payloads (HTML bodies, replies) can be large; Teams' own messages stay far below. */
const BODY_LIMIT = '4mb';
/** Teams asks bots to stream at most about one update a second. */
const STREAM_DELAY_MS = 1000;

export interface TeamsChannelOptions {
  config: AppConfig;
  logger: Logger;
  /** The assistant of each conversation's territory (`singleAssistant(a)` for one PTSM). */
  assistants: AssistantResolver;
  /** Microsoft Graph reader of a message's replies, when configured (see thread.ts). */
  replySource?: ReplySource;
  /** Extra SDK connection settings (sovereign clouds' authority and issuers; a local OpenID endpoint in tests). */
  authOverrides?: Partial<AuthConfiguration>;
  threadLimits?: Partial<ThreadLimits>;
  fetch?: typeof fetch;
  clock?: () => Date;
  streamDelayMs?: number;
  /** Several territories: the territory of an assistant the resolver returned (stamped on the cards answered from 1:1 chats). */
  territoryOf?: (assistant: Assistant) => string | undefined;
}

/** The minimum every activity Teams sends has; anything else is refused before the SDK sees it. */
const ActivityShape = z.object({
  type: z.string().min(1),
  serviceUrl: z.string().regex(/^https?:\/\//i),
  channelId: z.string().min(1),
  conversation: z.object({ id: z.string().min(1) }).loose(),
  from: z.object({ id: z.string().min(1) }).loose(),
  recipient: z.object({ id: z.string().min(1) }).loose(),
}).loose();

export interface TeamsChannel {
  mount: ChannelMount;
  notifier: TeamsNotifier;
  /** Several territories: one territory's notifier (its coordination conversation; its nudges name it). */
  notifierFor(territory: string, digestConversation: string | undefined): TeamsNotifier;
}

/** Where an activity comes from: its conversation, its tenant, and the territory a card of ours named (nudge, file consent). */
function conversationRefOf(body: Record<string, unknown>): ConversationRef {
  const conversation = body['conversation'] as { id: string; tenantId?: string };
  const channelData = body['channelData'] as { tenant?: { id?: string } } | undefined;
  // Only the answers to our own 1:1 cards carry a territory: a nudge's buttons, a file consent. Nothing else may choose one.
  const value = body['value'] as { ptsm?: unknown; territory?: unknown; context?: { ptsm?: unknown; territory?: unknown } } | undefined;
  const territory = value?.ptsm === 'nudge' ? value.territory : value?.context?.ptsm === 'fiche-export' ? value.context.territory : undefined;
  return {
    platform: 'teams',
    conversation: conversation.id,
    team: channelData?.tenant?.id ?? conversation.tenantId,
    ...(typeof territory === 'string' ? { territory } : {}),
  };
}

export function createTeamsChannel(opts: TeamsChannelOptions): TeamsChannel {
  const { config } = opts;
  const logger = opts.logger.child({ channel: 'teams' });
  const ta = createTeamsAdapter(config, opts.authOverrides);
  if (!ta.authenticated) logger.warn('Teams authentication is OFF (TEAMS_ALLOW_UNAUTHENTICATED): local tests only');
  const db = openDatabase(databasePath(config.dataDir));
  const now = opts.clock ?? (() => new Date());
  const store = new TeamsStore(db, now);
  const migrated = store.migrateLegacyReferences();
  if (migrated) logger.info('teams conversation references migrated to the Agents SDK shape', { count: migrated });
  const base: Omit<TeamsDeps, 'assistant'> = {
    ta, store, logger, now,
    threadLimits: { ...DEFAULT_THREAD_LIMITS, timeZone: config.timezone, ...opts.threadLimits },
    ...(opts.replySource ? { replySource: opts.replySource } : {}),
    fetch: opts.fetch ?? fetch,
    streamDelayMs: opts.streamDelayMs ?? STREAM_DELAY_MS,
  };
  // One bot per territory's assistant, made when its first activity arrives.
  const bots = new Map<Assistant, TeamsBot>();
  const botFor = (assistant: Assistant, territory: string | undefined): TeamsBot => {
    let bot = bots.get(assistant);
    if (!bot) {
      bot = new TeamsBot({ ...base, assistant, ...(territory ? { territory } : {}) });
      bots.set(assistant, bot);
    }
    return bot;
  };
  // The SDK's default would post English debugging text into the user's conversation.
  ta.adapter.onTurnError = async (ctx, error) => {
    logger.error('teams turn failed', { type: ctx.activity?.type, name: ctx.activity?.name, error: describeError(error) });
  };
  const notifier = new TeamsNotifier({ ta, store, logger, digestConversation: config.teams.digestConversation });

  const handle: express.RequestHandler = async (req, res) => {
    const shape = ActivityShape.safeParse(req.body);
    if (!shape.success) {
      logger.warn('teams request rejected: not an activity', { issues: shape.error.issues.map((i) => i.path.join('.') || i.message).join(', ') });
      res.status(400).json({ error: 'Requête refusée : ce n\'est pas une activité Bot Framework valide.' });
      return;
    }
    try {
      // The SDK parses the activity with its own schema inside process(): a field it cannot read would be a 500 there.
      Activity.fromObject(req.body as object);
    } catch (e) {
      logger.warn('teams request rejected: activity unreadable by the SDK', { error: describeError(e).slice(0, 300) });
      res.status(400).json({ error: 'Requête refusée : activité Bot Framework illisible (champ de type inattendu).' });
      return;
    }
    // The verified claims become the turn's identity; an unauthenticated (local) turn has none.
    let user: Record<string, unknown> | undefined;
    if (ta.authenticated) {
      try {
        user = await ta.verify({ method: req.method, headers: req.headers, body: req.body });
      } catch (e) {
        logger.warn('teams request rejected: authentication failed', { error: describeError(e) });
        res.status(401).json({ error: 'Authentification Bot Framework refusée.' });
        return;
      }
    }
    const ref = conversationRefOf(req.body as Record<string, unknown>);
    const assistant = opts.assistants(ref);
    try {
      const request = Object.assign(req, user ? { user } : {});
      await ta.adapter.process(request as unknown as Parameters<typeof ta.adapter.process>[0], res, async (ctx) => {
        if (assistant) { await botFor(assistant, opts.territoryOf?.(assistant)).run(ctx); return; }
        // A conversation of no territory: told so, nothing else (nothing read, nothing remembered).
        logger.info('teams conversation in no territory', { conversation: ref.conversation, tenant: ref.team });
        if (ctx.activity.type === 'message') await ctx.sendActivity(NO_TERRITORY_MESSAGE);
      });
    } catch (e) {
      logger.error('teams request failed', { error: describeError(e) });
      if (!res.headersSent) res.status(500).json({ error: 'Erreur interne.' });
    }
  };

  const badBody: express.ErrorRequestHandler = (err: unknown, _req, res, next) => {
    const status = (err as { status?: number }).status ?? 500;
    if (res.headersSent || status >= 500) { next(err); return; }
    logger.warn('teams request rejected: unreadable body', { status, error: describeError(err) });
    res.status(status === 413 ? 413 : 400).json({ error: status === 413 ? 'Requête trop volumineuse.' : 'Requête refusée : corps JSON illisible.' });
  };

  const mount: ChannelMount = {
    name: 'teams',
    mount(app) {
      app.post(TEAMS_ROUTE, express.json({ limit: BODY_LIMIT }), handle, badBody);
    },
    async close() {
      db.close();
    },
  };
  return {
    mount, notifier,
    notifierFor: (territory, digestConversation) => new TeamsNotifier({ ta, store, logger: logger.child({ territory }), digestConversation, territory }),
  };
}
