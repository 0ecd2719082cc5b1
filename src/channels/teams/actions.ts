import type { TurnContext } from '@microsoft/agents-hosting';
import { z } from 'zod';
import type { NudgeAnswer } from '../../app/assistant.js';
import { renderAnswerCard, renderConfirmationCard } from './cards.js';
import type { TeamsDeps } from './deps.js';
import { exportFiche, validateDraft } from './drafting.js';
import { channelUser, conversationKind } from './identity.js';
import { replaceCard } from './reply.js';
import { answerText } from './streaming.js';

/**
 * Buttons of the bot's cards. In Teams an Action.Submit on a bot's card comes
 * back as a message whose `value` is the button's data merged with the card's
 * inputs, and whose `replyToId` is the card's message (to update it).
 */
const CardValue = z.discriminatedUnion('ptsm', [
  z.object({ ptsm: z.literal('feedback'), rating: z.enum(['up', 'down']), answerId: z.coerce.number().int() }),
  z.object({
    ptsm: z.literal('nudge'), action: z.enum(['fait', 'reporter', 'aide']), milestoneId: z.string().min(1),
    newDue: z.string().optional(), newDueText: z.string().optional(), comment: z.string().optional(),
  }),
  z.object({ ptsm: z.literal('fiche-validate'), draftId: z.string().min(1) }),
  z.object({ ptsm: z.literal('fiche-export'), draftId: z.string().min(1) }),
  z.object({ ptsm: z.literal('fiche-post'), draftId: z.string().min(1) }),
]);
type CardValue = z.infer<typeof CardValue>;

export function isCardSubmit(value: unknown): boolean {
  return !!value && typeof value === 'object' && typeof (value as { ptsm?: unknown }).ptsm === 'string';
}

export async function handleCardSubmit(ctx: TurnContext, deps: TeamsDeps): Promise<void> {
  const parsed = CardValue.safeParse(ctx.activity.value);
  if (!parsed.success) {
    deps.logger.warn('teams card submit not understood', { value: JSON.stringify(ctx.activity.value).slice(0, 500) });
    await ctx.sendActivity("Je n'ai pas compris cette action : la carte est peut-être trop ancienne. Reposez votre question ou demandez à la coordination.");
    return;
  }
  const v: CardValue = parsed.data;
  switch (v.ptsm) {
    case 'feedback': return feedback(ctx, deps, v.answerId, v.rating);
    case 'nudge': return nudge(ctx, deps, v);
    case 'fiche-validate': return validateDraft(ctx, deps, v.draftId);
    case 'fiche-export': return exportFiche(ctx, deps, v.draftId);
    case 'fiche-post':
      // Only meaningful inside the drafting dialog (composeExtension/submitAction).
      await ctx.sendActivity('Ce bouton fonctionne depuis la fenêtre de rédaction de la fiche.');
      return;
  }
}

async function feedback(ctx: TurnContext, deps: TeamsDeps, answerId: number, rating: 'up' | 'down'): Promise<void> {
  const exchange = deps.store.getExchange(answerId);
  if (!exchange) {
    await ctx.sendActivity('Merci ! Cette réponse est trop ancienne pour être notée.');
    return;
  }
  deps.assistant.recordFeedback({
    user: channelUser(ctx.activity), question: exchange.question, answer: exchange.answer.answer, rating,
    ...(ctx.activity.replyToId ? { ref: ctx.activity.replyToId } : {}),
  });
  const note = rating === 'up' ? 'Merci pour votre retour 👍' : 'Merci pour votre retour 👎 : il aidera à améliorer les réponses.';
  // A 1:1 answer was streamed: its message holds the text and citations, the card the sources (see streaming.ts).
  const replaced = conversationKind(ctx.activity) === 'personal'
    ? await replaceCard(ctx, deps, renderAnswerCard(exchange.answer, { answerId, feedbackNote: note, sourcesOnly: true }), answerText(exchange.answer, false))
    : await replaceCard(ctx, deps, renderAnswerCard(exchange.answer, { answerId, feedbackNote: note }));
  if (!replaced) await ctx.sendActivity(note);
}

/** Input.Date gives YYYY-MM-DD; anything else is treated as words. */
function nudgeAnswer(v: Extract<CardValue, { ptsm: 'nudge' }>): NudgeAnswer | null {
  if (v.action === 'fait') return { kind: 'fait' };
  if (v.action === 'aide') return { kind: 'aide', ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}) };
  const date = v.newDue?.trim();
  const words = v.newDueText?.trim();
  if (date && /^\d{4}-\d{2}-\d{2}$/.test(date)) return { kind: 'reporter', newDue: date, ...(words ? { newDueText: words } : {}) };
  if (words) return { kind: 'reporter', newDueText: words };
  if (date) return { kind: 'reporter', newDueText: date };
  return null;
}

async function nudge(ctx: TurnContext, deps: TeamsDeps, v: Extract<CardValue, { ptsm: 'nudge' }>): Promise<void> {
  const answer = nudgeAnswer(v);
  if (!answer) {
    await ctx.sendActivity('Indiquez la nouvelle date (calendrier ou en toutes lettres, par exemple « fin septembre »), puis confirmez le report.');
    return;
  }
  const res = await deps.assistant.answerNudge(v.milestoneId, answer, channelUser(ctx.activity));
  if (!res.ok) {
    // The card keeps its buttons: the pilot can correct the date and try again.
    await ctx.sendActivity(res.message);
    return;
  }
  if (!await replaceCard(ctx, deps, renderConfirmationCard('Relance', res.message))) await ctx.sendActivity(res.message);
}
