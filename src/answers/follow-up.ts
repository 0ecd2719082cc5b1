import type { ConversationTurn } from '../core/types.js';
import { foldForMatch } from '../text/fold.js';
import { topicTerms } from './passages.js';

/**
 * Offline follow-up resolution: "et qui en est le pilote ?" after "que
 * prévoit la fiche pair-aidance ?" carries the previous question's topic
 * into this one. A question with a topic of its own is left alone.
 */
export function resolveFollowUp(question: string, history: readonly ConversationTurn[] | undefined): { text: string; carried: string } {
  if (!history?.length) return { text: question, carried: '' };
  const previous = [...history].reverse().find((t) => t.role === 'user');
  if (!previous) return { text: question, carried: '' };
  const f = foldForMatch(question);
  const anaphoric = /^(et|mais|alors|du coup|ok|d'accord)\b|\b(en|y)\s+(est|sont|a|ont)\b|\b(cette|cet|ce|celle|celui|ces)\b.*\b(fiche|action|dispositif|reunion|projet|groupe)?|\b(elle|il|elles|ils|celle-ci|celui-ci|la meme)\b/.test(f);
  const ownTopic = topicTerms(question).length;
  if (!anaphoric && ownTopic >= 2) return { text: question, carried: '' };
  let carried = topicOnly(previous.content);
  // "et en 2025 ?" replaces the previous question's year, it does not add to it.
  if (/\b20\d{2}\b/.test(question)) carried = carried.replace(/\b(en |pour |au titre de )?20\d{2}\b/g, ' ');
  return { text: `${question} ${carried}`.replace(/\s+/g, ' ').trim(), carried: previous.content };
}

/** The previous question without its question words, so its type does not leak into this one. */
function topicOnly(q: string): string {
  return q.replace(/^(qui|que|quoi|quel(le)?s?|quand|comment|combien|où|c'est quoi|qu'est-ce que?)\b/i, '').replace(/[?!]/g, '').trim();
}
