/** Lowercase and strip diacritics, for rule matching (not for indexing: see src/text/french.ts). */
export function foldForMatch(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/[’‘`]/g, "'").toLowerCase();
}
