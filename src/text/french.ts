/**
 * French text analysis shared by the lexical index (BM25) and the local
 * embedder: accent folding, tokenisation, stop words, Snowball stemming.
 * The same `analyze` runs on documents and on queries, so both sides always
 * produce comparable terms.
 */
import { stemFrench } from './stemmer.js';
import { FRENCH_STOPWORDS, QUESTION_WORDS } from './stopwords.js';

export { stemFrench, FRENCH_STOPWORDS, QUESTION_WORDS };

const APOSTROPHES = /[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4\u02BB\u02BC\uFF07]/g;
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const SPACES = /[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g;
/** Invisible characters that PDF and web extraction leave inside words. */
const INVISIBLES = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
const COMBINING_DIACRITICS = /[\u0300-\u036f]/g;

/** Lowercase + strip diacritics (é→e, œ→oe, æ→ae, ç→c), normalise apostrophes, non-breaking spaces and dashes. */
export function foldAccents(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD') // lowercasing can create new combining marks (İ → i̇)
    .replace(COMBINING_DIACRITICS, '')
    .normalize('NFC')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(APOSTROPHES, "'")
    .replace(SPACES, ' ')
    .replace(DASHES, '-');
}

/** Elided words dropped before an apostrophe: "l'ARS" → "ars", "jusqu'au" → "au". */
const ELISIONS = new Set(['l', 'd', 'j', 'm', 'n', 's', 't', 'c', 'qu', 'jusqu', 'lorsqu', 'puisqu', 'quoiqu']);
/** Words whose apostrophe is part of the word, not an elision. */
const WHOLE_WORDS_WITH_APOSTROPHE = new Set([
  "aujourd'hui", "prud'homme", "prud'hommes", "presqu'île", "presqu'îles",
]);

/**
 * Word-like runs after normalisation: letters, marks and digits, joined by
 * inner apostrophes or hyphens, and by "." or "," between two digits
 * ("2.3", "12,5").
 */
const TOKEN_RE = /[\p{L}\p{M}\p{N}]+(?:(?:['-]|(?<=\p{N})[.,](?=\p{N}))[\p{L}\p{M}\p{N}]+)*/gu;
/** "n°12", "N° 3", "nº5": the marker goes, the number stays. */
const NUMERO_RE = /(^|[^\p{L}\p{N}])n\s?[°º˚]/giu;
/** "C.M.P." or "U.N.A.F.A.M" → "CMP", "UNAFAM". */
const DOTTED_ACRONYM_RE = /(^|[^\p{L}\p{N}.])((?:\p{L}\.){2,}\p{L}?)(?![\p{L}\p{N}])/gu;
/** French thousands: "45 000", "1 200 000", "45.000" (leading group of 1–3 digits). */
const THOUSANDS_RE = /(?<![\p{L}\p{N}.,])\d{1,3}(?:[ .]\d{3})+(?![\p{L}\p{N}])(?!\.\d)/gu;
const DOTTED_DATE_RE = /^\d{1,2}\.\d{1,2}\.\d{2,4}$/;
const NUMERIC_RE = /^[\p{N}.,]+$/u;

/** Normalisation applied before splitting: the text stays lower case with accents. */
function prepare(text: string): string {
  return text
    .replace(INVISIBLES, '')
    .replace(NUMERO_RE, '$1 ')
    .normalize('NFKC') // ligatures, superscripts (2ᵉ → 2e), non-breaking spaces
    .replace(DOTTED_ACRONYM_RE, (_m, lead: string, acronym: string) => lead + acronym.replace(/\./g, ''))
    .toLowerCase()
    .replace(APOSTROPHES, "'")
    .replace(SPACES, ' ')
    .replace(DASHES, '-')
    .replace(THOUSANDS_RE, (n) => n.replace(/[ .]/g, ''));
}

/** Tokens of one hyphen-free part: elisions removed, other apostrophes split. */
function partTokens(part: string): string[] {
  if (!part.includes("'")) {
    return DOTTED_DATE_RE.test(part) ? part.split('.') : [part];
  }
  let rest = part;
  while (!WHOLE_WORDS_WITH_APOSTROPHE.has(rest)) {
    const cut = rest.indexOf("'");
    if (cut < 0 || !ELISIONS.has(rest.slice(0, cut))) break;
    rest = rest.slice(cut + 1);
  }
  if (WHOLE_WORDS_WITH_APOSTROPHE.has(rest)) return [rest];
  return rest.split("'").filter((s) => s.length > 0);
}

/** One token, and for the joined form of a compound, the parts it was built from. */
interface RawToken {
  text: string;
  parts?: string[];
}

function rawTokens(text: string): RawToken[] {
  const out: RawToken[] = [];
  for (const match of prepare(text).matchAll(TOKEN_RE)) {
    const pieces = match[0].split('-').map(partTokens);
    const flat = pieces.flat();
    for (const t of flat) out.push({ text: t });
    const parts = pieces.filter((p) => p.length > 0).map((p) => p.join(''));
    if (parts.length >= 2 && !parts.every((p) => NUMERIC_RE.test(p))) {
      out.push({ text: parts.join(''), parts });
    }
  }
  return out;
}

/**
 * Tokens as displayed words, lower case with accents kept.
 * - Elisions go: "l'évaluation" → "évaluation", "jusqu'à" → "à" (’ and ‘ count as apostrophes).
 * - Hyphenated words give their parts then the joined form: "pair-aidance" →
 *   "pair", "aidance", "pairaidance" (no joined form when every part is a number: "2025-2030").
 * - Numbers stay whole: "2025", "12,5", "2.3"; French thousands are joined ("45 000" → "45000");
 *   "n°12" gives "12".
 * - Acronyms are lowercased like any word ("CMP" → "cmp", "C.M.P." → "cmp").
 * - Emoji, symbols and punctuation separate tokens and never appear in them.
 */
export function tokenize(text: string): string[] {
  return rawTokens(text).map((t) => t.text);
}

/**
 * Domain acronyms indexed as written: Snowball would cut their final "s"
 * ("CPTS" → "cpt", the acronym of another body) or more.
 */
const PROTECTED_TERMS = new Set([
  'ars', 'prs', 'tds', 'cts', 'cssm', 'dtpsm', 'ptsm', 'ctsm', 'clsm', 'cls', 'cpts', 'esp',
  'msp', 'pta', 'dac', 'ght', 'pmp', 'cpt', 'cmp', 'cattp', 'epsm', 'empp', 'gem', 'mda',
  'mdph', 'esms', 'samsah', 'savs', 'pass', 'praps', 'pssm', 'vigilans', 'unafam', 'dmsmp',
  'fiop', 'copil', 'cotech', 'ime', 'itep', 'esat', 'ehpad', 'cmpp', 'caf', 'ccas',
]);

const HAS_DIGIT = /\p{N}/u;
const DIGITS_ONLY = /^\p{N}+$/u;

/**
 * Accents typed or not must give the same term. Snowball decides some endings
 * on their accent ("activité" → "activ" but "activite" → "activit"), so an
 * unaccented ending that is almost always accented in French is given its
 * accent back before stemming. The rest of the word needs nothing: accented
 * and plain vowels count alike for the stemmer, and the result is folded.
 */
const ACCENT_RESTORATIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/ee(s?)$/, 'ée$1'], // validee → validée
  [/iere(s?)$/, 'ière$1'], // premiere → première
  [/ite(s?)$/, 'ité$1'], // activite → activité (the few -ite nouns stem a bit shorter)
  [/ye(s?)$/, 'yé$1'], // employe → employé
];
/** Words ending in "ès" whose plain spelling would lose its final "s" to the stemmer. */
const FINAL_E_GRAVE: Readonly<Record<string, string>> = {
  acces: 'accès', succes: 'succès', exces: 'excès', progres: 'progrès', deces: 'décès',
  proces: 'procès', congres: 'congrès', abces: 'abcès',
};

function restoreAccents(word: string): string {
  const exact = FINAL_E_GRAVE[word];
  if (exact !== undefined) return exact;
  for (const [pattern, replacement] of ACCENT_RESTORATIONS) {
    if (pattern.test(word)) return word.replace(pattern, replacement);
  }
  return word;
}

/** Index term of one token, or undefined when it is dropped. */
function term(token: string): string | undefined {
  const folded = foldAccents(token);
  if (folded.length === 0 || FRENCH_STOPWORDS.has(folded)) return undefined;
  if (HAS_DIGIT.test(folded) || PROTECTED_TERMS.has(folded)) {
    return folded.length > 1 || DIGITS_ONLY.test(folded) ? folded : undefined;
  }
  // Ligatures are expanded before stemming so that "œuvre" and "oeuvre" meet.
  const stem = foldAccents(stemFrench(restoreAccents(token.replace(/œ/g, 'oe').replace(/æ/g, 'ae'))));
  return stem.length > 1 ? stem : undefined;
}

/** Memo of token → term; cleared when full, which keeps memory bounded and output unchanged. */
const TERM_CACHE_LIMIT = 50_000;
const termCache = new Map<string, string | null>();

function cachedTerm(token: string): string | undefined {
  const hit = termCache.get(token);
  if (hit !== undefined) return hit ?? undefined;
  const computed = term(token);
  if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear();
  termCache.set(token, computed ?? null);
  return computed;
}

/**
 * The indexing pipeline, identical for documents and queries:
 * tokenize → drop stop words → stem → fold accents → drop 1-character terms
 * (single digits stay). A compound's joined form is kept only when at least
 * two of its parts are meaningful: "pair-aidance" gives "pairaid", while
 * "est-ce" or "a-t-il" give nothing.
 */
export function analyze(text: string): string[] {
  return termsOf(rawTokens(text));
}

/** `analyze` and `tokenize` of one text, tokenized once (the local embedder needs both). */
export function analyzeAndTokenize(text: string): { terms: string[]; tokens: string[] } {
  const raw = rawTokens(text);
  return { terms: termsOf(raw), tokens: raw.map((t) => t.text) };
}

function termsOf(rawTokenList: readonly RawToken[]): string[] {
  const out: string[] = [];
  for (const raw of rawTokenList) {
    if (raw.parts !== undefined) {
      const meaningful = raw.parts.filter((p) => cachedTerm(p) !== undefined).length;
      if (meaningful < 2) continue;
    }
    const t = cachedTerm(raw.text);
    if (t !== undefined) out.push(t);
  }
  return out;
}
