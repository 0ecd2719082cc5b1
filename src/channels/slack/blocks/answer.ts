import type { Answer, Citation } from '../../../core/types.js';
import { escapeMrkdwn, SLACK_LIMITS } from '../../../fiches/render/index.js';
import { ACTIONS } from '../ids.js';
import { clip, italic, toMrkdwn } from '../slack-text.js';
import { actions, context, fallback, sections, type Block, type SlackPayload } from './kit.js';

/**
 * An answer as Slack shows it: the text, one context block per citation
 * (title, page, section, quoted excerpt in italics, link when known), then
 * 👍/👎 buttons whose value is the stored answer's id.
 */
export interface AnswerRenderOptions {
  /** Id of the stored answer: adds the feedback buttons. */
  answerId?: string;
  /** Base URL where the corpus files are served; a source path is appended to it. */
  docsBaseUrl?: string;
  /** The question looked like it names a patient: say so under the answer. */
  privacyWarning?: boolean;
}

export const PRIVACY_WARNING = ':warning: Votre message semble contenir des données personnelles de santé (patient nommé, date de naissance, numéro de sécurité sociale…). Évitez de les écrire dans Slack : l’assistant n’en a pas besoin.';

const MAX_CITATIONS = 8;
const MAX_QUOTE = 280;
/** The answer never pushes the citations out of the 50-block message. */
const MAX_ANSWER_CHARS = 9000;

export function citationLink(source: string, docsBaseUrl: string | undefined): string | null {
  if (/^https?:\/\//i.test(source)) return source;
  if (!docsBaseUrl) return null;
  const rel = source.replace(/\\/g, '/').replace(/^\.?\//, '').split('/').map(encodeURIComponent).join('/');
  return `${docsBaseUrl.replace(/\/+$/, '')}/${rel}`;
}

export function citationBlock(c: Citation, n: number, docsBaseUrl?: string): Block {
  const head = [`*[${n}] ${escapeMrkdwn(c.title || c.source)}*`];
  if (c.page !== null) head.push(`p. ${c.page}`);
  if (c.section) head.push(escapeMrkdwn(c.section));
  const lines = [head.join(' · ')];
  const quote = italic(`« ${clip(c.quote, MAX_QUOTE)} »`);
  if (c.quote.trim()) lines.push(quote);
  const url = citationLink(c.source, docsBaseUrl);
  const file = c.source.split(/[\\/]/).pop() ?? c.source;
  lines.push(url ? `<${url.replace(/&/g, '&amp;').replace(/\|/g, '%7C')}|${escapeMrkdwn(file)}>` : `\`${escapeMrkdwn(c.source)}\``);
  return context(lines.join('\n'));
}

export function feedbackButtons(answerId: string): Block {
  return actions('ptsm_feedback', [
    { actionId: ACTIONS.feedbackUp, text: '👍 Utile', value: answerId },
    { actionId: ACTIONS.feedbackDown, text: '👎 Pas utile', value: answerId },
  ]);
}

/** What ends an answer (citations, privacy warning, feedback buttons): the blocks closing a stream too. */
export function answerTail(answer: Answer, opts: AnswerRenderOptions = {}): Block[] {
  const blocks: Block[] = [];
  const cited = answer.citations.slice(0, MAX_CITATIONS);
  cited.forEach((c, i) => blocks.push(citationBlock(c, i + 1, opts.docsBaseUrl)));
  if (answer.citations.length > cited.length) blocks.push(context(`_… et ${answer.citations.length - cited.length} autre(s) source(s)._`));
  if (opts.privacyWarning) blocks.push(context(PRIVACY_WARNING));
  if (opts.answerId) blocks.push(feedbackButtons(opts.answerId));
  return blocks;
}

/** The answer's text as written (Markdown), clipped as the message clips it. */
export function answerText(answer: Answer): string {
  return clip(answer.answer.trim() || "Je n'ai pas de réponse à proposer.", MAX_ANSWER_CHARS);
}

export function answerMessage(answer: Answer, opts: AnswerRenderOptions = {}): SlackPayload {
  const body = answerText(answer);
  const blocks: Block[] = [...sections(toMrkdwn(body)), ...answerTail(answer, opts)];
  return { text: fallback(body), blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage) };
}

export function errorMessage(text: string): SlackPayload {
  return { text: fallback(text), blocks: sections(`:warning: ${escapeMrkdwn(text)}`) };
}
