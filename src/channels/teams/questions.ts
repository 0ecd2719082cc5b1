import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { TurnContext } from '@microsoft/agents-hosting';
import type { Answer } from '../../core/types.js';
import { describeError } from '../../core/errors.js';
import { looksLikePatientData } from '../../core/privacy.js';
import { ANSWER_FAILURE, HELP_TEXT, PRIVACY_WARNING, renderAnswerCard, renderMilestonesCard } from './cards.js';
import { HISTORY_EXCHANGES, HISTORY_WINDOW_MS, type TeamsDeps } from './deps.js';
import { channelRoot, channelUser, conversationKind } from './identity.js';
import { questionText } from './mention.js';
import { cardMessage } from './reply.js';
import { offerFile } from './files.js';
import type { BilanFormat } from '../../review/index.js';
import { streamAnswer } from './streaming.js';

/**
 * A question typed in a 1:1 chat, or with an @mention in a group chat or a
 * channel: the assistant's answer with the conversation's recent exchanges,
 * then an Adaptive Card with sources and 👍/👎 in the same conversation (the
 * same thread in a channel). In a 1:1 chat the answer is streamed (Teams
 * streams there only); elsewhere a typing indicator shows while it is built.
 */
const COMMANDS: Array<{ re: RegExp; run: (ctx: TurnContext, deps: TeamsDeps) => Promise<void> }> = [
  { re: /^(aide|help|\?|bonjour|salut)\s*[!.]?$/i, run: async (ctx) => { await ctx.sendActivity(HELP_TEXT); } },
  {
    re: /^mes\s+(é|e)ch(é|e)ances\s*[?.!]?$/i,
    run: async (ctx, deps) => {
      const user = channelUser(ctx.activity);
      await ctx.sendActivity(cardMessage(renderMilestonesCard(user.name ?? 'Bonjour', deps.assistant.milestonesOf(user))));
    },
  },
  {
    // « bilan 2026 », « bilan 2026 xlsx »: the yearly review as a file, offered in the asker's 1:1 chat.
    re: /^bilan(\s+annuel)?(\s+20\d{2})?(\s+(docx|csv|xlsx))?\s*[?.!]?$/i,
    run: async (ctx, deps) => {
      const text = questionText(ctx.activity);
      const year = Number(/20\d{2}/.exec(text)?.[0] ?? deps.now().getFullYear());
      const format = (/\b(docx|csv|xlsx)\b/i.exec(text)?.[1]?.toLowerCase() ?? 'docx') as BilanFormat;
      const audience = { platform: 'teams' as const, channel: channelRoot(ctx.activity.conversation!.id), user: channelUser(ctx.activity).id };
      const file = await deps.assistant.exportYearlyReview(year, format, audience);
      await offerFile(ctx, deps, { key: `bilan-${year}`, name: file.filename, bytes: file.content });
      await ctx.sendActivity(`Bilan annuel ${year} : ${file.summary}`);
    },
  },
  {
    re: /^(identifiant|id)(\s+de\s+(la|cette)\s+conversation)?\s*[?.!]?$/i,
    run: async (ctx) => {
      const id = channelRoot(ctx.activity.conversation!.id);
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
  const conversationId = ctx.activity.conversation!.id;
  const user = channelUser(ctx.activity);
  const kind = conversationKind(ctx.activity);
  const since = new Date(deps.now().getTime() - HISTORY_WINDOW_MS);
  const ask = (onToken?: (partial: string) => void): Promise<Answer> => deps.assistant.ask({
    question,
    history: deps.store.history(conversationId, HISTORY_EXCHANGES, since),
    channel: { platform: 'teams', id: channelRoot(conversationId) },
    ...(onToken ? { onToken } : {}),
  });
  const warning = looksLikePatientData(question) ? { warning: PRIVACY_WARNING } : {};
  let answerId: number | null = null;
  // Recorded once, even when a failed stream makes the card be rendered twice.
  const record = (answer: Answer): number => (answerId ??= deps.store.addExchange(conversationId, user.id, question, answer));

  if (kind === 'personal') {
    const streamed = await streamAnswer(ctx, deps, ask, (answer, opts) => renderAnswerCard(answer, { answerId: record(answer), ...warning, ...opts }));
    // A failure was logged and told to the user as the stream's final message.
    if (!streamed.ok) return;
    deps.logger.info('teams question answered', { conversation: conversationId, kind, streamed: true, updates: streamed.updates, abstained: streamed.answer.abstained, citations: streamed.answer.citations.length });
    return;
  }

  // Teams shows typing in chats only, not in channels. It is cosmetic: its failure must not cost the answer.
  if (kind !== 'channel') {
    await ctx.sendActivity(Activity.fromObject({ type: ActivityTypes.Typing }))
      .catch((e: unknown) => deps.logger.debug('teams typing indicator failed', { error: describeError(e) }));
  }
  let answer: Answer;
  try {
    answer = await ask();
  } catch (e) {
    deps.logger.error('teams question failed', { conversation: conversationId, error: describeError(e) });
    await ctx.sendActivity(ANSWER_FAILURE);
    return;
  }
  await ctx.sendActivity(cardMessage(renderAnswerCard(answer, { answerId: record(answer), ...warning })));
  deps.logger.info('teams question answered', { conversation: conversationId, kind, abstained: answer.abstained, citations: answer.citations.length });
}
