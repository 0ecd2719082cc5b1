import { ActivityTypes, type TurnContext } from 'botbuilder';
import { describeError } from '../../core/errors.js';
import { looksLikePatientData } from '../../core/privacy.js';
import { HELP_TEXT, PRIVACY_WARNING, attach, renderAnswerCard, renderMilestonesCard } from './cards.js';
import { HISTORY_EXCHANGES, HISTORY_WINDOW_MS, type TeamsDeps } from './deps.js';
import { channelRoot, channelUser, conversationKind } from './identity.js';
import { questionText } from './text.js';

/**
 * A question typed in a 1:1 chat, or with an @mention in a group chat or a
 * channel: typing indicator, the assistant's answer with the conversation's
 * recent exchanges, then an Adaptive Card with sources and 👍/👎 in the same
 * conversation (the same thread in a channel).
 */
const COMMANDS: Array<{ re: RegExp; run: (ctx: TurnContext, deps: TeamsDeps) => Promise<void> }> = [
  { re: /^(aide|help|\?|bonjour|salut)\s*[!.]?$/i, run: async (ctx) => { await ctx.sendActivity(HELP_TEXT); } },
  {
    re: /^mes\s+(é|e)ch(é|e)ances\s*[?.!]?$/i,
    run: async (ctx, deps) => {
      const user = channelUser(ctx.activity);
      await ctx.sendActivity({ attachments: [attach(renderMilestonesCard(user.name ?? 'Bonjour', deps.assistant.milestonesOf(user)))] });
    },
  },
  {
    re: /^(identifiant|id)(\s+de\s+(la|cette)\s+conversation)?\s*[?.!]?$/i,
    run: async (ctx) => {
      const id = channelRoot(ctx.activity.conversation.id);
      await ctx.sendActivity(`Identifiant de cette conversation : ${id}\n\nPour y recevoir la synthèse hebdomadaire et les alertes, indiquez TEAMS_DIGEST_CONVERSATION=${id} dans la configuration.`);
    },
  },
];

export async function handleQuestion(ctx: TurnContext, deps: TeamsDeps): Promise<void> {
  const question = questionText(ctx.activity);
  if (!question) {
    await ctx.sendActivity(HELP_TEXT);
    return;
  }
  const command = COMMANDS.find((c) => c.re.test(question));
  if (command) {
    await command.run(ctx, deps);
    return;
  }
  const conversationId = ctx.activity.conversation.id;
  const user = channelUser(ctx.activity);
  // Teams shows typing in chats only, not in channels. It is cosmetic: its failure must not cost the answer.
  if (conversationKind(ctx.activity) !== 'channel') {
    await ctx.sendActivity({ type: ActivityTypes.Typing }).catch((e: unknown) => deps.logger.debug('teams typing indicator failed', { error: describeError(e) }));
  }

  let answer;
  try {
    const since = new Date(deps.now().getTime() - HISTORY_WINDOW_MS);
    answer = await deps.assistant.ask({
      question,
      history: deps.store.history(conversationId, HISTORY_EXCHANGES, since),
      channel: { platform: 'teams', id: channelRoot(conversationId) },
    });
  } catch (e) {
    deps.logger.error('teams question failed', { conversation: conversationId, error: describeError(e) });
    await ctx.sendActivity("Désolé, je n'ai pas pu répondre à cette question pour le moment. Réessayez dans quelques instants ; si le problème continue, prévenez la coordination.");
    return;
  }
  const answerId = deps.store.addExchange(conversationId, user.id, question, answer);
  const card = renderAnswerCard(answer, { answerId, ...(looksLikePatientData(question) ? { warning: PRIVACY_WARNING } : {}) });
  await ctx.sendActivity({ attachments: [attach(card)] });
  deps.logger.info('teams question answered', { conversation: conversationId, kind: conversationKind(ctx.activity), abstained: answer.abstained, citations: answer.citations.length });
}
