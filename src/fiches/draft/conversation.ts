/**
 * Conversation-level reading: a proposal someone turns down (« Non, le 3114
 * existe déjà », « le samedi c'est pas réaliste », « plutôt pas ») does not
 * enter the draft. A rejection is linked to the pending proposals of the few
 * messages before it that it names (a shared content word); a bare reply
 * (« Non, … », « Plutôt pas, … ») to the proposals of the message it answers.
 */
import { CUES, NOT_TOPIC_WORDS } from './cues/engine.js';
import type { Segment } from './segment.js';
import { keyOf } from './text.js';

export interface Rejection {
  /** Message index of the rejecting sentence. */
  at: number;
  /** Content words of the rejecting clause (stems). */
  words: Set<string>;
  /** The message opens by turning down the previous one. */
  reply: boolean;
}

/** How far back (in messages) a rejection reaches. */
const REACH = 3;

const stem = (w: string): string => w.slice(0, 6);

export function contentWords(text: string): Set<string> {
  return new Set(keyOf(text).split(' ').filter((w) => w.length >= 4 && !NOT_TOPIC_WORDS.has(w)).map(stem));
}

/** The clause of the sentence that carries the rejection (« Ok pour X, le samedi on oublie » → « le samedi on oublie »). */
function rejectingClause(norm: string, at: number): string {
  const before = norm.slice(0, at);
  const cut = Math.max(before.lastIndexOf(','), before.lastIndexOf(';'), before.lastIndexOf(':'));
  const after = norm.slice(at);
  const stop = after.search(/[,;.!?]/);
  return norm.slice(cut + 1, stop < 0 ? norm.length : at + stop);
}

/**
 * Marks rejecting sentences (`flags.rejection`) so extractors skip them, and
 * returns what they reject. A sentence that also decides (« Ok pour la
 * permanence, le samedi on oublie ») keeps its decision: only its clause rejects.
 */
export function findRejections(segments: Segment[]): Rejection[] {
  const out: Rejection[] = [];
  const firstOfMessage = new Set<Segment>();
  let last = -1;
  for (const s of segments) {
    if (s.msg.index !== last) firstOfMessage.add(s);
    last = s.msg.index;
  }
  for (const s of segments) {
    if (s.noise) continue;
    const reply = firstOfMessage.has(s) && !/^\W*non pas\b/.test(s.norm) ? CUES.rejectionReplies.atStart(s.norm) : null;
    const hit = CUES.rejections.find(s.norm);
    if (!reply && !hit && !s.flags.rejection) continue;
    const clause = hit && s.flags.decision ? rejectingClause(s.norm, hit.index) : s.norm;
    if (!(hit && s.flags.decision)) s.flags.rejection = true;
    out.push({ at: s.msg.index, words: contentWords(clause), reply: reply !== null });
  }
  return out;
}

/** Does this rejection turn down an item first proposed in message `from`? */
export function rejects(r: Rejection, itemKey: string, from: number, latestProposalBefore: number): boolean {
  if (from >= r.at || from < r.at - REACH) return false;
  for (const w of contentWords(itemKey)) if (r.words.has(w)) return true;
  return r.reply && from === latestProposalBefore;
}
