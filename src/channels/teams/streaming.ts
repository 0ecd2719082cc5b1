import type { ClientCitation } from '@microsoft/agents-activity';
import { StreamingResponse, StreamingResponseResult, type TurnContext } from '@microsoft/agents-hosting';
import type { Answer } from '../../core/types.js';
import { describeError } from '../../core/errors.js';
import { ANSWER_FAILURE, attach, citationLine, MAX_CITATIONS } from './cards.js';
import type { TeamsDeps } from './deps.js';
import { cardMessage, message } from './reply.js';

/**
 * An answer streamed in a 1:1 chat with the SDK's StreamingResponse: an
 * informative update at once, the LLM's text as it grows (offline answers
 * come whole), then the final message: the answer's text with Teams'
 * citation entities, and the card with sources and 👍/👎. The SDK swallows
 * a failed update and cancels the stream: the answer (or the apology) is
 * then posted as an ordinary message, whose failure reaches the caller.
 */
export const SEARCHING = 'Je cherche dans les documents du PTSM…';
const MAX_ABSTRACT = 400;

export type StreamResult = { ok: true; answer: Answer; updates: number } | { ok: false };

/** The answer's citations as Teams shows them on a message (numbered like the text's [1], [2]). */
export function clientCitations(answer: Answer): ClientCitation[] {
  return answer.citations.slice(0, MAX_CITATIONS).map((c, i) => ({
    '@type': 'Claim',
    position: i + 1,
    appearance: {
      '@type': 'DigitalDocument',
      name: citationLine(c).slice(0, 80),
      abstract: c.quote.trim().replace(/\s+/g, ' ').slice(0, MAX_ABSTRACT) || citationLine(c),
    },
  }));
}

/** Counts the turn's sends that failed (the SDK logs and drops them inside the stream). */
function watchSends(ctx: TurnContext): { count: number } {
  const failed = { count: 0 };
  ctx.onSendActivities(async (_ctx, _activities, next) => {
    try {
      return await next();
    } catch (e) {
      failed.count += 1;
      throw e;
    }
  });
  return failed;
}

/** The stream did not reach the user, and not because they stopped it. */
function lost(result: StreamingResponseResult, failed: { count: number }): boolean {
  return result !== StreamingResponseResult.UserCanceled && (result === StreamingResponseResult.Error || failed.count > 0);
}

/**
 * The text part of a streamed answer's message: the answer with Teams'
 * citation entity (numbered like its [1], [2]), labelled AI-generated when an
 * LLM wrote it (extractive answers are the documents' own words).
 */
export function answerText(answer: Answer, generated: boolean): Record<string, unknown> {
  const entities = answer.citations.length ? [{
    type: 'https://schema.org/Message',
    '@type': 'Message',
    '@context': 'https://schema.org',
    '@id': '',
    ...(generated ? { additionalType: ['AIGeneratedContent'] } : {}),
    citation: clientCitations(answer),
  }] : [];
  return { text: answer.answer, textFormat: 'markdown', entities };
}

export async function streamAnswer(
  ctx: TurnContext,
  deps: TeamsDeps,
  ask: (onToken: (partial: string) => void) => Promise<Answer>,
  card: (answer: Answer, opts: { sourcesOnly: boolean }) => Record<string, unknown>,
): Promise<StreamResult> {
  const failed = watchSends(ctx);
  const stream = new StreamingResponse(ctx);
  stream.setDelayInMs(deps.streamDelayMs);
  stream.queueInformativeUpdate(SEARCHING);
  let shown = '';
  let generated = false;
  let answer: Answer;
  try {
    answer = await ask((partial) => {
      // The text only grows; a restarted text (a retry) keeps what was shown until the final message.
      if (!partial.startsWith(shown) || partial.length === shown.length) return;
      stream.queueTextChunk(partial.slice(shown.length));
      shown = partial;
      generated = true;
    });
  } catch (e) {
    deps.logger.error('teams question failed', { conversation: ctx.activity.conversation?.id, streamed: true, error: describeError(e) });
    // A started stream must end, or Teams keeps showing « Je cherche… ».
    stream.setFinalMessage(message({ text: ANSWER_FAILURE }));
    if (lost(await stream.endStream(), failed)) await ctx.sendActivity(ANSWER_FAILURE);
    return { ok: false };
  }
  stream.setFinalMessage(message(answerText(answer, generated)));
  // The SDK puts these on the final message (it overwrites the final message's own attachments).
  stream.setAttachments([attach(card(answer, { sourcesOnly: true }))]);
  if (lost(await stream.endStream(), failed)) {
    deps.logger.warn('teams stream failed, answering without streaming', { conversation: ctx.activity.conversation?.id });
    await ctx.sendActivity(cardMessage(card(answer, { sourcesOnly: false })));
  }
  return { ok: true, answer, updates: stream.updatesSent };
}
