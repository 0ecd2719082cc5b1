import { ABOUT_PERSON_GROUPS, CO_OCCURRENCE_BONUS, CUE_CATEGORIES, DECISION_THRESHOLD, NOT_ABOUT_PERSON, QUESTION_STARTS, STRONG_IDENTITY, type CueCategory } from './cues.js';

/** A sentence judged to mention a patient: where it is, how sure, and why. */
export interface PatientDataSpan {
  start: number;
  end: number;
  score: number;
  /** Category ids that fired (for reports and tuning). */
  cues: string[];
}

interface CompiledCategory { category: CueCategory; matchers: RegExp[] }

/** Accent-insensitive pattern of a word: "hospitalisé" also matches "hospitalise". */
function looseWord(word: string): string {
  const classes: Record<string, string> = { e: '[eéèêë]', a: '[aàâä]', i: '[iîï]', o: '[oôö]', u: '[uùûü]', c: '[cç]', "'": "['’]" };
  const base = word.normalize('NFD').replace(/\p{M}+/gu, '');
  const body = [...base].map((ch) => {
    const lower = ch.toLowerCase();
    if (classes[lower]) return classes[lower];
    if (ch === ' ') return '\\s+';
    return ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('');
  return `(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`;
}

const COMPILED: readonly CompiledCategory[] = CUE_CATEGORIES.map((category) => ({
  category,
  matchers: [
    ...(category.words?.length ? [new RegExp(category.words.map(looseWord).join('|'), 'iu')] : []),
    ...(category.patterns ?? []).map((p) => new RegExp(p, 'u')),
  ],
}));

const QUESTION_START_RE = QUESTION_STARTS.map(looseWord).join('|');

const ABBREVIATIONS = new Set(['m', 'mme', 'mlle', 'mr', 'dr', 'pr', 'st', 'ste', 'n°', 'no', 'tél', 'tel', 'av', 'bd', 'cf', 'etc', 'p', 'env', 'vol']);

/** Sentence bounds of a text: split after . ! ? … when the dot does not end an abbreviation or an initial, and at line breaks. */
export function sentenceSpans(text: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  let start = 0;
  const push = (end: number): void => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed) spans.push({ start: start + lead, end: start + lead + trimmed.length });
  };
  const boundary = new RegExp(String.raw`[.!?…]+(?=\s)|\n|[:;](?=\s+(?:${QUESTION_START_RE}))`, 'giu');
  for (const m of text.matchAll(boundary)) {
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
export function scoreSentence(sentence: string): { score: number; cues: string[] } {
  const fired = COMPILED.filter((c) => c.matchers.some((re) => re.test(sentence))).map((c) => c.category);
  let score = fired.reduce((s, c) => s + c.weight, 0);
  const identified = fired.some((c) => STRONG_IDENTITY.includes(c.id));
  const aboutPerson = fired.some((c) => ABOUT_PERSON_GROUPS.includes(c.group) && !NOT_ABOUT_PERSON.includes(c.id));
  if (identified && aboutPerson) score += CO_OCCURRENCE_BONUS;
  return { score: Math.round(score * 100) / 100, cues: fired.map((c) => c.id) };
}

/** The sentences of `text` that look like they concern a patient, in order. */
export function detectPatientData(text: string, threshold = DECISION_THRESHOLD): PatientDataSpan[] {
  const out: PatientDataSpan[] = [];
  for (const s of sentenceSpans(text)) {
    const { score, cues } = scoreSentence(text.slice(s.start, s.end));
    if (score >= threshold) out.push({ ...s, score, cues });
  }
  return out;
}

/** Where, in a sentence, the cues that single a person out (name, initials, age, address, identifiers) matched; overlapping spans merged. */
export function identifyingSpans(sentence: string): Array<{ start: number; end: number }> {
  const found: Array<{ start: number; end: number }> = [];
  for (const c of COMPILED) {
    if (!c.category.identifying) continue;
    for (const re of c.matchers) {
      for (const m of sentence.matchAll(new RegExp(re.source, `${re.flags}g`))) if (m[0].length) found.push({ start: m.index, end: m.index + m[0].length });
    }
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
