/**
 * The small engine that applies the cue tables (tables.ts): a table of folded
 * phrases becomes one matcher, compiled once. Phrases are written folded (no
 * accents, lowercase, straight apostrophes) and match on word boundaries in
 * text folded by `foldSameLength`, so match indices cut the original text.
 */
import { TABLES } from './tables.js';

export interface PhraseHit {
  phrase: string;
  index: number;
  /** Index just after the phrase. */
  end: number;
}

export interface PhraseMatcher {
  test(norm: string): boolean;
  /** First (leftmost, longest) occurrence. */
  find(norm: string): PhraseHit | null;
  /** Only at the start of the text, after punctuation or emoji. */
  atStart(norm: string): PhraseHit | null;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "l'idee est de" also matches "l'idée, c'est de" once folded: commas and spaces are one gap. */
function phrasePattern(p: string): string {
  return p.trim().split(/\s+/).map(escape).join('[\\s,]+');
}

export function phraseMatcher(phrases: readonly string[]): PhraseMatcher {
  const sorted = [...new Set(phrases)].sort((a, b) => b.length - a.length);
  const body = sorted.map(phrasePattern).join('|');
  const any = new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`, 'u');
  const start = new RegExp(`^[^\\p{L}\\p{N}]*(?:${body})(?![\\p{L}\\p{N}])`, 'u');
  const hit = (m: RegExpExecArray | null): PhraseHit | null => {
    if (!m) return null;
    const text = m[0].replace(/^[^\p{L}\p{N}]+/u, '');
    const index = m.index + m[0].length - text.length;
    return { phrase: text, index, end: index + text.length };
  };
  return {
    test: (norm) => any.test(norm),
    find: (norm) => hit(any.exec(norm)),
    atStart: (norm) => hit(start.exec(norm)),
  };
}

/** One matcher per table, compiled once. */
export const CUES = {
  notADeadline: phraseMatcher(TABLES.dates.notADeadline),
  objectiveOpeners: phraseMatcher(TABLES.objectives.openers),
  rejectionReplies: phraseMatcher(TABLES.conversation.rejectionReplies),
  rejections: phraseMatcher(TABLES.conversation.rejections),
  publicOpeners: phraseMatcher(TABLES.targetPublic.openers),
  publicHeads: phraseMatcher(TABLES.targetPublic.heads),
  partnerWilling: phraseMatcher(TABLES.partners.willing),
  volunteerVerbs: phraseMatcher(TABLES.pilots.volunteerVerbs),
  indicatorHeads: phraseMatcher(TABLES.indicators.heads),
} as const;

export const NOT_TOPIC_WORDS: ReadonlySet<string> = new Set(TABLES.notTopicWords);

/** « aujourd'hui », « en ce moment »: the present is a constat, not a deadline. */
export function isNotADeadline(dateText: string): boolean {
  return CUES.notADeadline.atStart(fold(dateText)) !== null;
}

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[’‘`]/g, "'");
}
