/**
 * Small text helpers for drafting. The key one, `foldSameLength`, folds case
 * and accents WITHOUT changing string length, so a regex run on the folded
 * text gives indices that cut the original text: we match on "eme" and quote
 * "ème" as the person wrote it.
 */

/** Lowercase + strip accents, one char in, one char out (indices stay aligned). */
export function foldSameLength(s: string): string {
  let out = '';
  for (const ch of s) {
    // Astral chars (emoji) are two UTF-16 units: keep them as they are.
    if (ch.length !== 1) {
      out += ch;
      continue;
    }
    if (ch === '\u2019' || ch === '\u2018' || ch === '`') {
      out += "'";
      continue;
    }
    if (ch === '\u00a0' || ch === '\u202f' || ch === '\u2009') {
      out += ' ';
      continue;
    }
    const base = ch.normalize('NFD')[0]!.toLowerCase();
    out += base.length === 1 ? base : ch;
  }
  return out;
}

/** Folding for comparisons and scoring: accents, case, apostrophes, dashes, spaces. */
export function foldLoose(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/gi, 'oe')
    .replace(/æ/gi, 'ae')
    .replace(/[’‘`]/g, "'")
    .replace(/[\u00a0\u202f\u2009]/g, ' ')
    .replace(/[-‐‑–—]/g, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** A comparison key: folded, punctuation dropped, leading articles dropped. */
export function keyOf(s: string): string {
  return foldLoose(s)
    .replace(/[^\p{L}\p{N}%€ ]+/gu, ' ')
    .replace(/^(?:(?:le|la|les|l|un|une|des|du|de|d|et|avec)\s+)+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function capitalize(s: string): string {
  const t = s.trim();
  return t ? t[0]!.toUpperCase() + t.slice(1) : t;
}

/** Trims spaces and dangling punctuation a clause cut leaves behind. */
export function tidy(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:.!?\-–—•*>)]+/, '')
    .replace(/[\s,;:\-–—•*(«"]+$/, '')
    .replace(/[.!?…]+$/, '')
    .trim();
}

/** Strips quotes around a whole item, and a lone quote left at one end by cutting. */
export function unquote(s: string): string {
  let t = s.trim();
  const open = /^[«"“'‘]\s*/.exec(t);
  const close = /\s*[»"”'’]$/.exec(t);
  if (open && close && t.length > 2) t = t.slice(open[0].length, t.length - close[0].length);
  else if (open && !/[»"”]/.test(t.slice(1))) t = t.slice(open[0].length);
  else if (close && /[»”]$/.test(t) && !/[«“]/.test(t)) t = t.slice(0, t.length - close[0].length);
  return t.trim();
}

/** Removes an unbalanced trailing "(" group or a lone ")" left by cutting. */
export function balanceParens(s: string): string {
  let t = s;
  const open = (t.match(/\(/g) ?? []).length;
  const close = (t.match(/\)/g) ?? []).length;
  if (open > close) t = t.replace(/\s*\([^()]*$/, '');
  else if (close > open) t = t.replace(/\)/, '');
  return t.trim();
}

/** Numbers as French write them: "45 000", "45k€", "0,5". Returns euros or null. */
export function parseAmount(num: string, unit: string): number | null {
  const n = Number(num.replace(/[\s\u00a0\u202f.]/g, '').replace(',', '.'));
  if (!Number.isFinite(n)) return null;
  const u = unit.toLowerCase();
  if (/^k/.test(u)) return Math.round(n * 1000);
  if (/^m/.test(u)) return Math.round(n * 1_000_000);
  return Math.round(n);
}

/** 45000 → "45 000 €" (plain spaces: people search these with a keyboard). */
export function formatEuros(n: number): string {
  return `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} €`;
}
