import type { App, BlockButtonAction } from '@slack/bolt';
import { describeError } from '../../core/errors.js';
import { looksLikePatientData } from '../../core/privacy.js';
import type { ConversationTurn } from '../../core/types.js';
import type { Logger } from '../../core/logger.js';
import { answerMessage, answerTail, answerText, errorMessage } from './blocks/answer.js';
import { NO_TERRITORY_MESSAGE } from '../../app/assistant.js';
import { assistantFor, attempt, slackErrorCode, tellUser, type Audience, type SlackDeps } from './deps.js';
import { ACK_REACTION, ACTIONS } from './ids.js';
import { mentionedUsers, slackToPlain, stripMention } from './slack-text.js';
import { AnswerStream, type FinalAnswer } from './stream.js';
import { fetchThread, historyOf } from './thread.js';

/**
 * Questions: a mention in a channel, a direct message, or a follow-up in a
 * thread the bot already answers in. Slack has already been acknowledged
 * (Bolt acks Events API requests before listeners run); here we react 👀,
 * read the thread for history, ask the core and reply in the thread.
 */
export interface IncomingQuestion {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  user: string;
  text: string;
  /** The asker's workspace (a native stream names its recipient). */
  team?: string | undefined;
}

/**
 * How the asker learns the question is being worked on: 👀 on the message in
 * channels and DMs, the assistant status in Slack's AI panel.
 */
export interface Acknowledgement {
  show(deps: SlackDeps, q: IncomingQuestion, log: Logger): Promise<unknown>;
  /** When no answer could be posted, so the sign does not stay on forever. */
  withdraw?(deps: SlackDeps, q: IncomingQuestion, log: Logger): Promise<unknown>;
}

export const REACTION: Acknowledgement = {
  show: (deps, q, log) => attempt(log, 'reactions.add', () => deps.client.reactions.add({ channel: q.channel, timestamp: q.ts, name: ACK_REACTION })),
};

interface LooseMessage {
  type: string;
  subtype?: string;
  channel: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  team?: string;
}

/** Message subtypes that are still a person writing. */
const SPOKEN_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

const ACK_WAIT_MS = 1000;

const EMPTY_QUESTION = 'Bonjour ! Posez-moi votre question sur le PTSM (fiches actions, comptes rendus, échéances…), par exemple : « Qui pilote la fiche pair-aidance ? »';

export function registerQuestions(app: App, deps: SlackDeps): void {
  app.event('app_mention', async ({ event }) => {
    if (!event.user || event.bot_id) return;
    await answerQuestion(deps, { channel: event.channel, ts: event.ts, threadTs: event.thread_ts, user: event.user, text: event.text, team: event.team });
  });

  app.event('message', async ({ event }) => {
    const m = event as unknown as LooseMessage;
    if (!SPOKEN_SUBTYPES.has(m.subtype) || m.bot_id || !m.user || !m.text) return;
    const bot = await deps.bot();
    if (m.channel_type === 'im') {
      await answerQuestion(deps, { channel: m.channel, ts: m.ts, threadTs: m.thread_ts, user: m.user, text: m.text, team: m.team });
      return;
    }
    // Channels: only follow-ups without a mention (a mention comes as app_mention too).
    if (!m.thread_ts || m.thread_ts === m.ts || !deps.store.isBotThread(m.channel, m.thread_ts)) return;
    const mentions = mentionedUsers(m.text);
    if (bot.userId && mentions.includes(bot.userId)) return;
    // "@Marie tu peux regarder ?" is addressed to a colleague, not to the bot.
    if (mentions.length > 0) return;
    await answerQuestion(deps, { channel: m.channel, ts: m.ts, threadTs: m.thread_ts, user: m.user, text: m.text, team: m.team });
  });

  for (const [actionId, rating] of [[ACTIONS.feedbackUp, 'up'], [ACTIONS.feedbackDown, 'down']] as const) {
    app.action<BlockButtonAction>(actionId, async ({ ack, action, body, respond }) => {
      await ack();
      await recordFeedback(deps, rating, action.value ?? '', { channel: body.channel?.id, user: body.user.id, respond }, body.team?.id);
    });
  }
}

async function recordFeedback(deps: SlackDeps, rating: 'up' | 'down', answerId: string, to: Audience, team: string | undefined): Promise<void> {
  const rec = deps.store.getAnswer(answerId);
  if (!rec) {
    deps.logger.warn('slack feedback on an unknown answer', { value: answerId });
    await tellUser(deps, to, "Cette réponse n'est plus disponible : votre avis n'a pas pu être enregistré.");
    return;
  }
  const assistant = await assistantFor(deps, { channel: rec.channel, team }, to);
  if (!assistant) return;
  assistant.recordFeedback({
    user: { platform: 'slack', id: to.user }, question: rec.question, answer: rec.answer, rating,
    ...(rec.messageTs ? { ref: rec.messageTs } : {}),
  });
  await tellUser(deps, to, rating === 'up' ? 'Merci pour votre retour !' : 'Merci, c’est noté : ce retour aidera à améliorer les réponses.');
}

/** Earlier turns of the thread, or none when the question opens it (or Slack refuses the read). */
async function threadHistory(deps: SlackDeps, q: IncomingQuestion): Promise<ConversationTurn[]> {
  if (!q.threadTs || q.threadTs === q.ts) return [];
  try {
    const messages = await fetchThread(deps.client, q.channel, q.threadTs);
    return await historyOf(messages, q.ts, deps.users, await deps.bot());
  } catch (e) {
    deps.logger.warn('slack thread history unavailable', { channel: q.channel, thread: q.threadTs, error: slackErrorCode(e) });
    return [];
  }
}

/** The message answering an empty question (a bare mention). */
const emptyQuestion = (): FinalAnswer => {
  const whole = { text: EMPTY_QUESTION, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: EMPTY_QUESTION } }] };
  return { markdown: EMPTY_QUESTION, tail: [], whole };
};

const failed = (): FinalAnswer => {
  const text = "Désolé, je n'ai pas pu répondre à cette question pour le moment. Réessayez dans quelques minutes ou prévenez la coordination.";
  return { markdown: text, tail: [], whole: errorMessage(text) };
};

export async function answerQuestion(deps: SlackDeps, q: IncomingQuestion, ack: Acknowledgement = REACTION): Promise<void> {
  // Bolt has sent the 200; let the requests already queued be acknowledged before working on this one.
  await deps.turns.next();
  // Slack retries events and sends app_mention + message for one post: answer once.
  if (!deps.store.markSeen(q.channel, q.ts)) return;
  const log = deps.logger.child({ channel: q.channel, ts: q.ts });
  const assistant = deps.assistants({ platform: 'slack', conversation: q.channel, team: q.team });
  const shown = ack.show(deps, q, log);
  const rootTs = q.threadTs ?? q.ts;
  const bot = await deps.bot();
  const raw = stripMention(q.text, bot.userId);
  const names = await deps.users.names(mentionedUsers(raw));
  const question = slackToPlain(raw, names);
  const stream = new AnswerStream(deps.client, { channel: q.channel, threadTs: rootTs, userId: q.user, teamId: q.team ?? bot.teamId }, log, deps.streamIntervalMs);

  let final: FinalAnswer;
  let answerId: string | null = null;
  if (!assistant) {
    // A channel of no territory: told so, and nothing else (no history read, no answer).
    log.info('slack question in no territory', { team: q.team });
    final = { markdown: NO_TERRITORY_MESSAGE, tail: [], whole: errorMessage(NO_TERRITORY_MESSAGE) };
  } else if (!question) {
    final = emptyQuestion();
  } else {
    deps.store.rememberThread(q.channel, rootTs);
    const history = await threadHistory(deps, q);
    // The sign before the answer, but a rate-limited call never holds the answer back for long.
    await within(shown, ACK_WAIT_MS);
    try {
      const answer = await deps.queue.run(() => assistant.ask({
        question, history, channel: { platform: 'slack', id: q.channel }, onToken: (partial) => stream.push(partial),
      }));
      answerId = deps.store.saveAnswer({ channel: q.channel, threadTs: rootTs, userId: q.user, question, answer: answer.answer });
      const opts = { answerId, privacyWarning: looksLikePatientData(question), ...(deps.docsBaseUrl ? { docsBaseUrl: deps.docsBaseUrl } : {}) };
      final = { markdown: answerText(answer), tail: answerTail(answer, opts), whole: answerMessage(answer, opts) };
    } catch (e) {
      log.error('slack question failed', { error: describeError(e) });
      final = failed();
    }
  }
  try {
    const ts = await stream.finish(final);
    if (answerId && ts) deps.store.setAnswerMessage(answerId, ts);
    log.info('slack answer posted', { thread: rootTs, streamed: stream.writes > 0 });
  } catch (e) {
    // 429s were already waited out by the WebClient; a 5xx or a refusal ends here, logged.
    log.error('slack answer could not be posted', { error: slackErrorCode(e) });
    await ack.withdraw?.(deps, q, log);
  }
  await shown;
  if (assistant) await deps.users.learn(q.user, assistant);
}

/** Waits for `p`, or `ms` at most (its outcome is then left to whoever else awaits it). */
async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); })]);
  clearTimeout(timer);
}
