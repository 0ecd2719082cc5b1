/**
 * Text normalisation for matching people and keying milestones: how a fiche
 * writes a name ("Dr P. MARTIN", "Mme Dupont-Léger") rarely equals how the
 * directory does.
 */

import { foldForMatch } from '../text/fold.js';

/** Lowercase, no diacritics, ligatures expanded, typographic apostrophes straightened. */
export const fold = foldForMatch;

/** A short stable key from a label: "Lancement du GEM (T2)" → "lancement-du-gem-t2". */
export function slugify(s: string, max = 60): string {
  const slug = fold(s).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, max).replace(/-+$/g, '');
}

/** Civil and professional titles written before names in French documents. */
const TITLES = new Set([
  'dr', 'docteur', 'docteure', 'pr', 'prof', 'professeur', 'professeure',
  'mme', 'madame', 'mlle', 'mademoiselle', 'm', 'mr', 'monsieur', 'me', 'maitre',
]);

export interface NameTokens {
  /** Full tokens (2+ letters), in writing order, titles removed. */
  words: string[];
  /** Single-letter tokens ("P." in "P. Martin", "P.-H."). */
  initials: string[];
  /** True when a leading title was removed ("Mme Dupont"). */
  hadTitle: boolean;
}

/** Splits a person's name into comparable tokens. */
export function nameTokens(name: string): NameTokens {
  const cleaned = fold(name)
    .replace(/\([^)]*\)/g, ' ') // "Dr Martin (CH de Vaubrun)": the organisation is not the name
    .replace(/[.,;:'"«»/_-]+/g, ' ');
  const raw = cleaned.split(/\s+/).filter(Boolean);
  let hadTitle = false;
  // Titles only at the front: "Marie Me" is not a title, "Pr Dr Martin" has two.
  while (raw.length > 1 && TITLES.has(raw[0]!)) {
    raw.shift();
    hadTitle = true;
  }
  const words: string[] = [];
  const initials: string[] = [];
  for (const t of raw) {
    if (/^[a-z]$/.test(t)) initials.push(t);
    else words.push(t);
  }
  return { words, initials, hadTitle };
}

/** Canonical comparable form: sorted full tokens, so "MARTIN Paul" = "Paul Martin". */
export function normalizeName(name: string): string {
  const { words, initials } = nameTokens(name);
  return [...words, ...initials].sort().join(' ');
}

/**
 * True when `short` ("P. Martin", "Martin") can abbreviate `full` ("Paul Martin"):
 * every full word of `short` appears in `full`, and every initial starts a
 * distinct remaining word of `full`.
 */
export function abbreviates(short: NameTokens, full: NameTokens): boolean {
  if (short.words.length === 0) return false;
  const remaining = [...full.words];
  for (const w of short.words) {
    const i = remaining.indexOf(w);
    if (i < 0) return false;
    remaining.splice(i, 1);
  }
  for (const ini of short.initials) {
    const i = remaining.findIndex((w) => w.startsWith(ini));
    if (i < 0) return false;
    remaining.splice(i, 1);
  }
  return true;
}

export function normalizeEmail(s: string): string {
  return s.trim().toLowerCase();
}

export function looksLikeEmail(s: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim());
}
