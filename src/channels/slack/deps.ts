import type { RespondFn, webApi } from '@slack/bolt';
import { NO_TERRITORY_MESSAGE, type Assistant, type AssistantResolver } from '../../app/assistant.js';
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { SlackStore } from './store.js';
import type { Turns, WorkQueue } from './stream.js';
import type { BotIds } from './thread.js';
import type { SlackUsers } from './users.js';

/** What every handler of the Slack app needs, built once in app.ts. */
export interface SlackDeps {
  client: webApi.WebClient;
  /** The assistant of the territory a conversation belongs to (one for a single-PTSM deployment). */
  assistants: AssistantResolver;
  store: SlackStore;
  users: SlackUsers;
  logger: Logger;
  /** The bot's own ids and workspace (auth.test, cached). */
  bot(): Promise<BotIds & { teamId?: string | undefined }>;
  queue: WorkQueue;
  /** One piece of post-ack work per event-loop turn. */
  turns: Turns;
  docsBaseUrl: string | undefined;
  timezone: string;
  now(): Date;
  streamIntervalMs: number;
}

/** The Slack error code ("channel_not_found", "ratelimited", HTTP 500…) for logs and messages. */
export function slackErrorCode(e: unknown): string {
  const err = e as { code?: string; data?: { error?: string }; statusCode?: number; original?: Error };
  if (err?.data?.error) return err.data.error;
  if (err?.statusCode) return `HTTP ${err.statusCode}`;
  if (err?.original) return describeError(err.original);
  return describeError(e);
}

/** Runs a Slack call whose failure must not stop the caller: logs it and returns undefined. */
export async function attempt<T>(logger: Logger, what: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (e) {
    logger.warn('slack call failed', { call: what, error: slackErrorCode(e) });
    return undefined;
  }
}

export interface Audience {
  channel?: string | undefined;
  user: string;
  threadTs?: string | undefined;
  respond?: RespondFn | undefined;
}

/** Where an event comes from: its channel, workspace, or the territory a nudge of ours named. */
export interface SlackWhere {
  channel?: string | undefined;
  team?: string | undefined;
  territory?: string | undefined;
}

/**
 * The assistant of the territory `where` belongs to. When it belongs to none,
 * `to` (if given) is told so, and null is returned: no content is shown.
 */
export async function assistantFor(deps: Pick<SlackDeps, 'assistants' | 'client' | 'logger'>, where: SlackWhere, to?: Audience): Promise<Assistant | null> {
  const a = deps.assistants({ platform: 'slack', conversation: where.channel, team: where.team, ...(where.territory ? { territory: where.territory } : {}) });
  if (!a) {
    deps.logger.info('slack conversation in no territory', { channel: where.channel, team: where.team });
    if (to) await tellUser(deps, to, NO_TERRITORY_MESSAGE);
  }
  return a;
}

/** A short private message to one user (response_url when there is one: it works outside channels the bot is in). */
export async function tellUser(deps: Pick<SlackDeps, 'client' | 'logger'>, to: Audience, text: string): Promise<void> {
  if (to.respond) {
    const ok = await attempt(deps.logger, 'respond', () => to.respond!({ response_type: 'ephemeral', replace_original: false, text }));
    if (ok !== undefined) return;
  }
  if (!to.channel) return;
  await attempt(deps.logger, 'chat.postEphemeral', () => deps.client.chat.postEphemeral({
    channel: to.channel!, user: to.user, text, ...(to.threadTs ? { thread_ts: to.threadTs } : {}),
  }));
}
