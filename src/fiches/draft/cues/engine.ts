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
  /** First occurrence at or after `from` (longest phrase first). */
  find(norm: string, from?: number): PhraseHit | null;
  /** Every occurrence, left to right, not overlapping. */
  all(norm: string): PhraseHit[];
  /** Only at the start of the text, after punctuation or emoji. */
  atStart(norm: string): PhraseHit | null;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const WORDY = /[\p{L}\p{N}]/u;

const B = '(?![\\p{L}\\p{N}])';
/** "que" and "de" elide before a vowel: « l'idée c'est qu'aucun », « le but est d'accompagner ». */
const ELIDING: Record<string, string> = { que: `qu(?:e${B}|')`, de: `d(?:e${B}|')`, le: `l(?:e${B}|')`, la: `l(?:a${B}|')` };

/**
 * "l'idee est de" also matches "l'idée, c'est de" once folded: commas and spaces
 * are one gap. Word boundaries only where the phrase starts or ends with a letter.
 */
function phrasePattern(p: string): string {
  const tokens = p.trim().split(/\s+/);
  const last = tokens[tokens.length - 1]!;
  const elided = tokens.length > 1 ? ELIDING[last] : undefined;
  const body = [...tokens.slice(0, elided ? -1 : undefined).map(escape), ...(elided ? [elided] : [])].join('[\\s,]+');
  const first = tokens[0]!;
  return `${WORDY.test(first[0]!) ? '(?<![\\p{L}\\p{N}])' : ''}${body}${!elided && WORDY.test(last[last.length - 1]!) ? B : ''}`;
}

export function phraseMatcher(phrases: readonly string[]): PhraseMatcher {
  const sorted = [...new Set(phrases)].sort((a, b) => b.length - a.length);
  const body = sorted.map(phrasePattern).join('|');
  const any = new RegExp(`(?:${body})`, 'gu');
  const start = new RegExp(`^[^\\p{L}\\p{N}]*(?:${body})`, 'u');
  const toHit = (index: number, text: string): PhraseHit => ({ phrase: text, index, end: index + text.length });
  const find = (norm: string, from = 0): PhraseHit | null => {
    any.lastIndex = from;
    const m = any.exec(norm);
    return m ? toHit(m.index, m[0]) : null;
  };
  return {
    test: (norm) => find(norm) !== null,
    find,
    all: (norm) => [...norm.matchAll(any)].map((m) => toHit(m.index, m[0])),
    atStart: (norm) => {
      const m = start.exec(norm);
      if (!m) return null;
      const text = m[0].replace(/^[^\p{L}\p{N}]+/u, '');
      return toHit(m[0].length - text.length, text);
    },
  };
}

/** One matcher per table, compiled once. */
export const CUES = {
  notADeadline: phraseMatcher(TABLES.dates.notADeadline),
  milestoneTargets: phraseMatcher(TABLES.milestones.targets),
  objectiveOpeners: phraseMatcher(TABLES.objectives.openers),
  rejectionReplies: phraseMatcher(TABLES.conversation.rejectionReplies),
  rejections: phraseMatcher(TABLES.conversation.rejections),
  publicOpeners: phraseMatcher(TABLES.targetPublic.openers),
  publicHeads: phraseMatcher(TABLES.targetPublic.heads),
  partnerWilling: phraseMatcher(TABLES.partners.willing),
  speakingFor: phraseMatcher(TABLES.speakingFor.leads),
  speakingForPlace: phraseMatcher(TABLES.speakingFor.placeLeads),
  speakerAfter: phraseMatcher(TABLES.speakingFor.speakerAfter),
  fundingPayers: phraseMatcher(TABLES.funding.payers),
  volunteerVerbs: phraseMatcher(TABLES.pilots.volunteerVerbs),
  indicatorHeads: phraseMatcher(TABLES.indicators.heads),
  indicatorContext: phraseMatcher(TABLES.indicators.context),
  stepDecisions: phraseMatcher(TABLES.steps.decisionOpeners),
  stepOtherField: phraseMatcher(TABLES.steps.otherFieldWords),
  phraseStops: phraseMatcher([...TABLES.phrases.stops, ',', ';', ':', '.', '!', '?', '(']),
  pronouns: phraseMatcher(TABLES.phrases.pronouns),
} as const;

export const NOT_TOPIC_WORDS: ReadonlySet<string> = new Set(TABLES.notTopicWords);

/** « aujourd'hui », « en ce moment »: the present is a constat, not a deadline. */
export function isNotADeadline(dateText: string): boolean {
  return CUES.notADeadline.atStart(fold(dateText)) !== null;
}

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[’‘`]/g, "'");
}
