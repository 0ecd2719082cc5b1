import type { Activity, ConversationReference } from '@microsoft/agents-activity';
import type { ChannelUser } from '../../app/assistant.js';
import type { ConversationRecord, UserRecord } from './store.js';

/**
 * Who is talking and where, read from a Teams activity: the core's
 * ChannelUser, and the references proactive messages will need.
 */
export type ConversationKind = ConversationRecord['kind'];

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string; name?: string };
  channel?: { id?: string; name?: string };
}

export function channelData(activity: Partial<Activity>): TeamsChannelData {
  const cd = activity.channelData as unknown;
  return cd && typeof cd === 'object' ? cd as TeamsChannelData : {};
}

export function conversationKind(activity: Partial<Activity>): ConversationKind {
  const t = activity.conversation?.conversationType;
  if (t === 'channel' || channelData(activity).channel?.id) return 'channel';
  if (t === 'groupChat' || activity.conversation?.isGroup) return 'groupChat';
  return 'personal';
}

export function tenantId(activity: Partial<Activity>): string | null {
  return channelData(activity).tenant?.id ?? activity.conversation?.tenantId ?? null;
}

/** The stable id of a person: their AAD object id when Teams gives it (directories use it), else the Teams id. */
export function userKey(activity: Partial<Activity>): string {
  return activity.from?.aadObjectId || activity.from?.id || '';
}

export function channelUser(activity: Partial<Activity>): ChannelUser {
  return {
    platform: 'teams',
    id: userKey(activity),
    ...(activity.from?.name ? { name: activity.from.name } : {}),
  };
}

/** A channel message's conversation id carries the thread (";messageid=…"); the channel itself does not. */
export function channelRoot(conversationId: string): string {
  const i = conversationId.indexOf(';messageid=');
  return i < 0 ? conversationId : conversationId.slice(0, i);
}

/**
 * The reference of the current conversation, as JSON-safe data, in the
 * Agents SDK's shape (the bot is `agent`).
 */
export function referenceOf(activity: Partial<Activity>): Record<string, unknown> {
  const ref: Partial<ConversationReference> = {
    ...(activity.id ? { activityId: activity.id } : {}),
    ...(activity.from ? { user: activity.from } : {}),
    ...(activity.recipient ? { agent: activity.recipient } : {}),
    ...(activity.conversation ? { conversation: activity.conversation } : {}),
    channelId: activity.channelId ?? 'msteams',
    ...(activity.locale ? { locale: activity.locale } : {}),
    ...(activity.serviceUrl ? { serviceUrl: activity.serviceUrl } : {}),
  };
  return JSON.parse(JSON.stringify(ref)) as Record<string, unknown>;
}

/**
 * A stored reference → the SDK's ConversationReference. References saved
 * before the move to the Agents SDK (botbuilder's shape) name the bot `bot`;
 * the SDK reads `agent` and would otherwise send activities with no sender.
 */
export function toReference(stored: Record<string, unknown>): ConversationReference {
  const { bot, agent, ...rest } = stored as Record<string, unknown> & { bot?: unknown; agent?: unknown };
  return { channelId: 'msteams', ...rest, ...(agent ?? bot ? { agent: (agent ?? bot) as ConversationReference['agent'] } : {}) } as ConversationReference;
}

/** True when a stored reference is in botbuilder's shape and needs rewriting. */
export function isLegacyReference(stored: Record<string, unknown>): boolean {
  return 'bot' in stored && !('agent' in stored);
}

/**
 * Where later posts to this conversation go: a 1:1 or group chat as is; for
 * a channel, the channel itself (a new post), not the thread the user wrote in.
 */
export function conversationRecordOf(activity: Partial<Activity>): { id: string; kind: ConversationKind; name: string | null; ref: Record<string, unknown> } | null {
  const conv = activity.conversation;
  if (!conv?.id || !activity.serviceUrl) return null;
  const kind = conversationKind(activity);
  const ref = referenceOf(activity);
  delete ref.activityId;
  if (kind === 'channel') {
    const cd = channelData(activity);
    const id = channelRoot(cd.channel?.id ?? conv.id);
    const name = [cd.team?.name, cd.channel?.name].filter(Boolean).join(' › ') || null;
    // A reference of the user in a channel is not theirs to keep: proactive posts are the bot's.
    return { id, kind, name, ref: { ...ref, conversation: { ...(ref.conversation as object), id }, user: undefined } };
  }
  return { id: conv.id, kind, name: conv.name ?? null, ref };
}

/** The person behind an activity, with the 1:1 reference when this is their personal chat with the bot. */
export function userRecordOf(activity: Partial<Activity>): UserRecord | null {
  const from = activity.from;
  if (!from?.id || !activity.serviceUrl || !activity.recipient?.id) return null;
  const personal = conversationKind(activity) === 'personal';
  let personalRef: Record<string, unknown> | null = null;
  if (personal) {
    personalRef = referenceOf(activity);
    delete personalRef.activityId;
  }
  return {
    key: userKey(activity),
    teamsId: from.id,
    aadObjectId: from.aadObjectId ?? null,
    name: from.name || null,
    tenantId: tenantId(activity),
    serviceUrl: activity.serviceUrl,
    bot: { id: activity.recipient.id, ...(activity.recipient.name ? { name: activity.recipient.name } : {}) },
    personalRef,
  };
}

/**
 * What the directory keeps to reach a person: the 1:1 reference when known,
 * else what it takes to open that 1:1 chat (Teams user id, tenant, service URL).
 */
export function reachOf(u: UserRecord): Record<string, unknown> {
  if (u.personalRef) return u.personalRef;
  return {
    kind: 'ptsm-teams-user',
    channelId: 'msteams',
    serviceUrl: u.serviceUrl,
    tenantId: u.tenantId,
    bot: u.bot,
    user: { id: u.teamsId, ...(u.aadObjectId ? { aadObjectId: u.aadObjectId } : {}), ...(u.name ? { name: u.name } : {}) },
  };
}

export function isConversationReference(ref: Record<string, unknown>): ref is Record<string, unknown> & Partial<ConversationReference> {
  const conv = ref.conversation as { id?: unknown } | undefined;
  return typeof ref.serviceUrl === 'string' && typeof conv?.id === 'string' && conv.id.length > 0;
}
