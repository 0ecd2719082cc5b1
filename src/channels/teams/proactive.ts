import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import { BOT_FRAMEWORK_AUDIENCE, type TeamsAdapter } from './adapter.js';
import type { TeamsStore, UserRecord } from './store.js';

/**
 * Messages the bot starts: into a known conversation (continueConversation),
 * or into a 1:1 chat it opens first (createConversation). Errors are returned
 * to the caller, never left to the adapter's turn-error handler.
 */
export interface Sent {
  conversationId: string;
  activityId: string | null;
  /** Reference of the conversation the message went to (the new 1:1 chat included). */
  ref: Record<string, unknown>;
}

/** Runs `logic` in a conversation; what it throws comes back here (onTurnError would swallow it). */
export async function inConversation<T>(ta: TeamsAdapter, ref: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<T>): Promise<T> {
  let result: { value: T } | null = null;
  let failure: { error: unknown } | null = null;
  await ta.adapter.continueConversationAsync(ta.appId, ref, async (ctx) => {
    try {
      result = { value: await logic(ctx) };
    } catch (error) {
      failure = { error };
    }
  });
  if (failure) throw (failure as { error: unknown }).error;
  if (!result) throw new Error('continueConversation did not run the logic');
  return (result as { value: T }).value;
}

export async function sendToReference(ta: TeamsAdapter, ref: Partial<ConversationReference>, activity: Partial<Activity>): Promise<Sent> {
  const response = await inConversation(ta, ref, (ctx) => {
    // The SDK's continuation event carries a random id that would become a replyToId: a new post replies to nothing.
    delete (ctx.activity as Partial<Activity>).id;
    return ctx.sendActivity(activity);
  });
  return { conversationId: ref.conversation?.id ?? '', activityId: response?.id || null, ref: ref as Record<string, unknown> };
}

export interface OneToOneTarget {
  serviceUrl: string;
  tenantId: string | null;
  bot: { id: string; name?: string };
  user: { id: string; name?: string; aadObjectId?: string };
}

/** Opens (or finds: Teams returns the same id) the 1:1 chat with a person, and returns its reference. */
export async function openOneToOne(ta: TeamsAdapter, target: OneToOneTarget): Promise<Record<string, unknown>> {
  let conversationId = '';
  await ta.adapter.createConversationAsync(ta.appId, 'msteams', target.serviceUrl, BOT_FRAMEWORK_AUDIENCE, {
    isGroup: false,
    bot: target.bot,
    members: [{ id: target.user.id, name: target.user.name ?? '' }],
    ...(target.tenantId ? { tenantId: target.tenantId, channelData: { tenant: { id: target.tenantId } } } : {}),
  } as Parameters<TeamsAdapter['adapter']['createConversationAsync']>[4], async (ctx) => {
    conversationId = ctx.activity.conversation?.id ?? '';
  });
  if (!conversationId) throw new Error('createConversation returned no conversation id');
  return {
    channelId: 'msteams',
    serviceUrl: target.serviceUrl,
    bot: target.bot,
    user: target.user,
    conversation: { id: conversationId, conversationType: 'personal', isGroup: false, ...(target.tenantId ? { tenantId: target.tenantId } : {}) },
  };
}

/** The person's 1:1 chat with the bot: the stored one, or a new one (then remembered). */
export async function personalChat(ta: TeamsAdapter, store: TeamsStore, user: UserRecord): Promise<Record<string, unknown>> {
  const known = store.findUser(user.key);
  if (known?.personalRef) return known.personalRef;
  const ref = await openOneToOne(ta, {
    serviceUrl: user.serviceUrl, tenantId: user.tenantId, bot: user.bot,
    user: { id: user.teamsId, ...(user.name ? { name: user.name } : {}), ...(user.aadObjectId ? { aadObjectId: user.aadObjectId } : {}) },
  });
  store.setPersonalRef(user.key, ref);
  return ref;
}
