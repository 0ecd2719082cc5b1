import type { ParsedDocument } from '../core/types.js';
import { foldForMatch } from '../text/fold.js';

const MONTHS = ['janvier', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'novembre', 'decembre'];

/**
 * The date a document speaks from (a meeting's date, a version date): the
 * first full date in its title, else in its path, else in its first lines.
 * "prochaine réunion" questions need it to tell past from future.
 */
export function findDocumentDate(source: string, doc: ParsedDocument): string | null {
  // Tables are left out: a fiche's calendar cell is not the document's date.
  const opening = doc.blocks.slice(0, 8).filter((b) => b.type !== 'table' && b.type !== 'list').map((b) => b.text).join('\n');
  return firstFullDate(doc.title) ?? firstFullDate(source.replace(/[_]/g, ' ')) ?? firstFullDate(opening);
}

export function firstFullDate(text: string): string | null {
  const t = foldForMatch(text);
  const words = /\b(\d{1,2})(?:er)?\s+(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\s+(\d{4})\b/.exec(t);
  const numeric = /\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b/.exec(t);
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(t);
  const candidates: Array<{ at: number; y: number; m: number; d: number }> = [];
  if (words) candidates.push({ at: words.index, y: Number(words[3]), m: MONTHS.indexOf(words[2]!) + 1, d: Number(words[1]) });
  if (numeric) candidates.push({ at: numeric.index, y: Number(numeric[3]), m: Number(numeric[2]), d: Number(numeric[1]) });
  if (iso) candidates.push({ at: iso.index, y: Number(iso[1]), m: Number(iso[2]), d: Number(iso[3]) });
  candidates.sort((a, b) => a.at - b.at);
  for (const c of candidates) {
    const dt = new Date(Date.UTC(c.y, c.m - 1, c.d));
    if (c.m >= 1 && c.m <= 12 && dt.getUTCDate() === c.d && c.y > 1990 && c.y < 2100) return dt.toISOString().slice(0, 10);
  }
  return null;
}
