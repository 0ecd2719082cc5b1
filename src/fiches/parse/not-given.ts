/**
 * Cells a fiche leaves empty in words: « non précisé », « à définir », « NC ».
 * The field is missing, not filled with those words.
 */
import { foldForMatch } from '../../text/fold.js';

/** Folded (no accents, lowercase); a cell that says only this, with punctuation around, is empty. */
export const NOT_GIVEN = [
  'non precise', 'non precisee', 'non precises', 'non renseigne', 'non renseignee', 'non renseignes', 'non defini', 'non definie',
  'a definir', 'a preciser', 'a determiner', 'a completer', 'a venir', 'nc', 'n c', 'nr', 'nd', 'neant', 'aucun', 'aucune',
  'sans objet', 'pas encore defini', 'pas encore precise', 'en attente', 'inconnu', 'tbd', 'xxx', '?',
];
const SET = new Set(NOT_GIVEN);

const clean = (s: string): string => foldForMatch(s).replace(/[()[\]«»"'.…,;:!*_—–-]+/g, ' ').replace(/\s+/g, ' ').trim();

export function isNotGiven(text: string): boolean {
  const whole = clean(text);
  if (!whole || SET.has(whole)) return true;
  // « Pilote : non précisé »: a sub-label, then nothing given.
  const colon = text.indexOf(':');
  if (colon <= 0 || colon > 40) return false;
  const after = clean(text.slice(colon + 1));
  return after !== '' && SET.has(after);
}
