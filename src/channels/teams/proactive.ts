import type { Activity, ConversationParameters } from '@microsoft/agents-activity';
import type { TurnContext } from '@microsoft/agents-hosting';
import { BOT_FRAMEWORK_AUDIENCE, type TeamsAdapter } from './adapter.js';
import { toReference } from './identity.js';
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

/**
 * Who the bot acts as. Without an app id (local tests only) the SDK would
 * refuse an empty id: an identity without audience gives it the anonymous
 * connector client instead.
 */
function botIdentity(ta: TeamsAdapter): string | Record<string, never> {
  return ta.appId || {};
}

/** Runs `logic` in a conversation; what it throws comes back here (onTurnError would swallow it). */
export async function inConversation<T>(ta: TeamsAdapter, stored: Record<string, unknown>, logic: (ctx: TurnContext) => Promise<T>): Promise<T> {
  let result: { value: T } | null = null;
  let failure: { error: unknown } | null = null;
  await ta.adapter.continueConversation(botIdentity(ta), toReference(stored), async (ctx) => {
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

export async function sendToReference(ta: TeamsAdapter, ref: Record<string, unknown>, activity: Activity): Promise<Sent> {
  const { activityId: _replyTo, ...post } = ref;
  const response = await inConversation(ta, post, (ctx) => {
    // The SDK's continuation event carries a random id that would become a replyToId: a new post replies to nothing.
    ctx.activity.id = undefined;
    return ctx.sendActivity(activity);
  });
  const conversation = ref.conversation as { id?: string } | undefined;
  return { conversationId: conversation?.id ?? '', activityId: response?.id || null, ref };
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
  const params = {
    isGroup: false,
    // The SDK names the bot `agent`; the connector's REST API reads `bot` (the SDK does not rename it on the wire).
    agent: target.bot,
    bot: target.bot,
    members: [{ id: target.user.id, name: target.user.name ?? '' }],
    ...(target.tenantId ? { tenantId: target.tenantId, channelData: { tenant: { id: target.tenantId } } } : {}),
  } as unknown as ConversationParameters;
  await ta.adapter.createConversationAsync(ta.appId, 'msteams', target.serviceUrl, BOT_FRAMEWORK_AUDIENCE, params, async (ctx) => {
    conversationId = ctx.activity.conversation?.id ?? '';
  });
  if (!conversationId) throw new Error('createConversation returned no conversation id');
  return {
    channelId: 'msteams',
    serviceUrl: target.serviceUrl,
    agent: target.bot,
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
