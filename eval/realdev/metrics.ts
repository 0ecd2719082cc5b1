/**
 * The scores of ../shared/realdev/README.md, in one place: citation recall@3,
 * evidence and fact (≥ 60 % of the content words — longer than 3 letters,
 * accents folded — of the expected text appear in the answer plus the quotes
 * of its first 3 citations), abstention precision and recall.
 */
import type { Answer } from '../../src/core/types.js';
import { foldForMatch } from '../../src/text/fold.js';

export interface RealQuestion { id: string; question: string; answer: string; source?: string | null; evidence?: string; pages?: number[] }

export const NOT_IN_CORPUS = 'NOT_IN_CORPUS';

/** What a user reads of an answer: its text and the quotes of its first 3 citations. */
export const answerText = (a: Answer): string => [a.answer, ...a.citations.slice(0, 3).map((c) => c.quote)].join('\n');

/** The sample sets' facts are short strings (names, dates): each must be in the text, spaces and accents aside. */
export const containsAll = (text: string, facts: readonly string[]): boolean => facts.every((f) => foldForMatch(text).replace(/\s+/g, ' ').includes(foldForMatch(f).replace(/\s+/g, ' ')));

export const baseName = (s: string): string => s.split('/').pop() ?? s;

export function contentWords(text: string): string[] {
  return [...new Set(foldForMatch(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 3))];
}

/** Share of the expected text's content words found in the haystack. */
export function wordRecall(expected: string, haystack: string): number {
  const want = contentWords(expected);
  if (!want.length) return 1;
  const have = new Set(foldForMatch(haystack).split(/[^\p{L}\p{N}]+/u));
  return want.filter((w) => have.has(w)).length / want.length;
}

export const holds = (expected: string, haystack: string): boolean => wordRecall(expected, haystack) >= 0.6;

export interface Tally { n: number; cited: number; evidence: number; fact: number; answerable: number; unanswerable: number; abstainTrue: number; abstainFalse: number }

export const emptyTally = (): Tally => ({ n: 0, cited: 0, evidence: 0, fact: 0, answerable: 0, unanswerable: 0, abstainTrue: 0, abstainFalse: 0 });

/** Adds one question's outcome: `cited` is "one of the first 3 citations is right", `text` what the user reads. */
export function record(t: Tally, q: RealQuestion, outcome: { abstained: boolean; cited: boolean; text: string }): { evidence: boolean; fact: boolean } {
  t.n++;
  if (q.answer === NOT_IN_CORPUS) {
    t.unanswerable++;
    if (outcome.abstained) t.abstainTrue++;
    return { evidence: false, fact: false };
  }
  t.answerable++;
  if (outcome.abstained) { t.abstainFalse++; return { evidence: false, fact: false }; }
  const evidence = holds(q.evidence ?? '', outcome.text);
  const fact = holds(q.answer, outcome.text);
  if (outcome.cited) t.cited++;
  if (evidence) t.evidence++;
  if (fact) t.fact++;
  return { evidence, fact };
}

export function summary(t: Tally): { citationRecallAt3: number; evidence: number; fact: number; abstentionPrecision: number | null; abstentionRecall: number | null } {
  const abst = t.abstainTrue + t.abstainFalse;
  return {
    citationRecallAt3: t.cited / Math.max(1, t.answerable),
    evidence: t.evidence / Math.max(1, t.answerable),
    fact: t.fact / Math.max(1, t.answerable),
    abstentionPrecision: abst ? t.abstainTrue / abst : null,
    abstentionRecall: t.unanswerable ? t.abstainTrue / t.unanswerable : null,
  };
}
