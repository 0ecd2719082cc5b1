import { foldSameLength } from '../fiches/draft/text.js';
import { ABOUT_PERSON_GROUPS, CO_OCCURRENCE_BONUS, CUE_CATEGORIES, DECISION_THRESHOLD, NOT_ABOUT_PERSON, QUESTION_STARTS, STRONG_IDENTITY, type CueCategory } from './cues.js';

/** A sentence judged to mention a patient: where it is, how sure, and why. */
export interface PatientDataSpan {
  start: number;
  end: number;
  score: number;
  /** Category ids that fired (for reports and tuning). */
  cues: string[];
}

/**
 * `foldSameLength`, through the native normaliser when that keeps the length
 * (almost always): the character-by-character version is what made indexing
 * slow. Both give the same string.
 */
function fold(text: string): string {
  const fast = text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[’‘`]/g, "'").replace(/[\u00a0\u202f\u2009]/g, ' ');
  return fast.length === text.length ? fast : foldSameLength(text);
}

/**
 * Word lists are matched on the text folded to lowercase without accents
 * (same length, so indices still cut the original): one alternation per
 * category, compiled once. Patterns run on the text as written.
 */
function wordAlternation(words: readonly string[]): RegExp {
  const body = words.map((w) => foldSameLength(w).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+')).join('|');
  // The text is folded: a plain class of lowercase letters and digits is enough for word bounds, and fast.
  return new RegExp(`(?<![a-z0-9ß-ÿ])(?:${body})(?![a-z0-9ß-ÿ])`, 'u');
}

interface CompiledCategory { category: CueCategory; words: RegExp | null; patterns: RegExp[] }

const COMPILED: readonly CompiledCategory[] = CUE_CATEGORIES.map((category) => ({
  category,
  words: category.words?.length ? wordAlternation(category.words) : null,
  patterns: (category.patterns ?? []).map((p) => new RegExp(p, 'u')),
}));

const QUESTION_START_RE = wordAlternation(QUESTION_STARTS).source;

const POSITIVE = COMPILED.filter((c) => c.category.weight > 0);
const NEGATIVE = COMPILED.filter((c) => c.category.weight <= 0);

const ABBREVIATIONS = new Set(['m', 'mme', 'mlle', 'mr', 'dr', 'pr', 'st', 'ste', 'n°', 'no', 'tél', 'tel', 'av', 'bd', 'cf', 'etc', 'p', 'env', 'vol']);

/** Sentence bounds of a text: split after . ! ? … when the dot does not end an abbreviation or an initial, and at line breaks. */
export function sentenceSpans(text: string, folded = fold(text)): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  let start = 0;
  const push = (end: number): void => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed) spans.push({ start: start + lead, end: start + lead + trimmed.length });
  };
  const boundary = new RegExp(String.raw`[.!?…]+(?=\s)|\n|[:;](?=\s+${QUESTION_START_RE})`, 'gu');
  for (const m of folded.matchAll(boundary)) {
    const at = m.index;
    if (m[0] !== '\n' && m[0] !== ':' && m[0] !== ';') {
      const word = /([\p{L}°]+)$/u.exec(text.slice(Math.max(0, at - 12), at))?.[1] ?? '';
      // "M. Dupont", "J.D., 27 ans", "Dr. Martin": not the end of a sentence.
      if (ABBREVIATIONS.has(word.toLowerCase()) || /^\p{Lu}$/u.test(word)) continue;
    }
    push(at + m[0].length);
    start = at + m[0].length;
  }
  push(text.length);
  return spans;
}

/** Score of one sentence: each category counts once; a bonus when an identified person has something clinical or personal said of them. */
export function scoreSentence(sentence: string, threshold = -Infinity, folded = fold(sentence)): { score: number; cues: string[] } {
  const fires = (c: CompiledCategory): boolean => Boolean(c.words?.test(folded)) || c.patterns.some((re) => re.test(sentence));
  const positive = POSITIVE.filter(fires).map((c) => c.category);
  let score = positive.reduce((s, c) => s + c.weight, 0);
  const identified = positive.some((c) => STRONG_IDENTITY.includes(c.id));
  const aboutPerson = positive.some((c) => ABOUT_PERSON_GROUPS.includes(c.group) && !NOT_ABOUT_PERSON.includes(c.id));
  if (identified && aboutPerson) score += CO_OCCURRENCE_BONUS;
  // Most sentences hold no positive cue: negative ones cannot lift them over the threshold, so they are not even tried.
  if (score < threshold) return { score: Math.round(score * 100) / 100, cues: positive.map((c) => c.id) };
  const negative = NEGATIVE.filter(fires).map((c) => c.category);
  score += negative.reduce((s, c) => s + c.weight, 0);
  return { score: Math.round(score * 100) / 100, cues: [...positive, ...negative].map((c) => c.id) };
}

/** The sentences of `text` that look like they concern a patient, in order. */
export function detectPatientData(text: string, threshold = DECISION_THRESHOLD): PatientDataSpan[] {
  const out: PatientDataSpan[] = [];
  const folded = fold(text);
  for (const s of sentenceSpans(text, folded)) {
    const { score, cues } = scoreSentence(text.slice(s.start, s.end), threshold, folded.slice(s.start, s.end));
    if (score >= threshold) out.push({ ...s, score, cues });
  }
  return out;
}

/** Where, in a sentence, the cues that single a person out (name, initials, age, address, identifiers) matched; overlapping spans merged. */
export function identifyingSpans(sentence: string): Array<{ start: number; end: number }> {
  const folded = fold(sentence);
  const found: Array<{ start: number; end: number }> = [];
  const collect = (re: RegExp, text: string): void => {
    for (const m of text.matchAll(new RegExp(re.source, `${re.flags}g`))) if (m[0].length) found.push({ start: m.index, end: m.index + m[0].length });
  };
  for (const c of COMPILED) {
    if (!c.category.identifying) continue;
    if (c.words) collect(c.words, folded);
    for (const re of c.patterns) collect(re, sentence);
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Array<{ start: number; end: number }> = [];
  for (const f of found) {
    const last = merged[merged.length - 1];
    if (last && f.start <= last.end) last.end = Math.max(last.end, f.end);
    else merged.push({ ...f });
  }
  return merged;
}

export function looksLikePatientData(text: string): boolean {
  return detectPatientData(text).length > 0;
}

/** How many sentences of these texts look like they concern a patient. */
export function countPatientData(texts: readonly string[]): number {
  return texts.reduce((n, t) => n + detectPatientData(t).length, 0);
}
