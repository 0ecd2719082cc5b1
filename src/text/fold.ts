/** Lowercase and strip diacritics, for rule matching (not for indexing: see src/text/french.ts). */
export function foldForMatch(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/[’‘`]/g, "'").toLowerCase();
}

/** Folded words separated by single spaces: "Côtes-d’Armor" and "cotes d'armor" or "deux-sevres.txt" compare equal. */
export function foldWords(s: string): string {
  return foldForMatch(s).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
