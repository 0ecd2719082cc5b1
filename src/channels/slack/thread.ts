import type { webApi } from '@slack/bolt';
import type { Thread } from '../../core/fiche.js';
import type { ConversationTurn } from '../../core/types.js';
import { mentionedUsers, slackToPlain, stripMention } from './slack-text.js';
import type { SlackUsers } from './users.js';

/**
 * Reading a Slack thread: `conversations.replies` page by page (Slack returns
 * at most a few hundred messages per call), then either the core's `Thread`
 * (for drafting a fiche) or the conversation history of a question.
 */
export interface RawMessage {
  ts: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
  thread_ts?: string;
}

export interface BotIds {
  userId: string | undefined;
  botId: string | undefined;
}

/** Subtypes that are not someone speaking (joins, topic changes…). */
const NOISE_SUBTYPES = new Set(['channel_join', 'channel_leave', 'channel_topic', 'channel_purpose', 'channel_name', 'group_join', 'group_leave', 'message_deleted', 'tombstone']);

export async function fetchThread(client: webApi.WebClient, channel: string, threadTs: string, opts: { pageSize?: number; maxMessages?: number } = {}): Promise<RawMessage[]> {
  const pageSize = opts.pageSize ?? 200;
  const max = opts.maxMessages ?? 2000;
  const out: RawMessage[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const res = await client.conversations.replies({ channel, ts: threadTs, limit: pageSize, ...(cursor ? { cursor } : {}) });
    // Slack may repeat the parent message at the top of every page.
    for (const m of (res.messages ?? []) as RawMessage[]) {
      if (m.ts && !seen.has(m.ts)) { seen.add(m.ts); out.push(m); }
    }
    cursor = res.response_metadata?.next_cursor || undefined;
  } while (cursor && out.length < max);
  return out.sort((a, b) => Number(a.ts) - Number(b.ts));
}

export function isFromBot(m: RawMessage, bot: BotIds): boolean {
  return Boolean((bot.userId && m.user === bot.userId) || (bot.botId && m.bot_id === bot.botId));
}

/** A thread as the core drafts from it: people's messages, names resolved, Slack markup removed. */
export async function toCoreThread(channel: string, messages: RawMessage[], users: SlackUsers, bot: BotIds): Promise<Thread> {
  const spoken = messages.filter((m) => m.user && !m.bot_id && !isFromBot(m, bot) && !NOISE_SUBTYPES.has(m.subtype ?? '') && (m.text ?? '').trim());
  const names = await users.names(spoken.flatMap((m) => [m.user!, ...mentionedUsers(m.text ?? '')]));
  return {
    channel,
    messages: spoken.map((m) => ({
      id: m.ts,
      author: { id: m.user!, name: names.get(m.user!) ?? m.user! },
      ts: m.ts,
      text: slackToPlain(m.text ?? '', names),
    })).filter((m) => m.text.length > 0),
  };
}

/** Earlier turns of a thread for a follow-up question: the bot's messages are the assistant's. */
export async function historyOf(messages: RawMessage[], beforeTs: string, users: SlackUsers, bot: BotIds, maxTurns = 12): Promise<ConversationTurn[]> {
  const earlier = messages.filter((m) => Number(m.ts) < Number(beforeTs) && !NOISE_SUBTYPES.has(m.subtype ?? '') && (m.text ?? '').trim());
  const turns = earlier.filter((m) => isFromBot(m, bot) || (m.user && !m.bot_id)).slice(-maxTurns);
  const names = await users.names(turns.flatMap((m) => mentionedUsers(m.text ?? '')).filter((id) => id !== bot.userId));
  return turns.map((m) => ({
    role: isFromBot(m, bot) ? 'assistant' as const : 'user' as const,
    content: slackToPlain(stripMention(m.text ?? '', bot.userId), names).slice(0, 4000),
  }));
}
