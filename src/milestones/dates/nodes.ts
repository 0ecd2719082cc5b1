/** What the grammar reads, before any reference date is applied. */
import type { Season } from './lexicon.js';

/** "début", "mi", "fin" of a period; the two "quinzaines" of a month. */
export type Mod = 'debut' | 'mi' | 'fin' | 'quinzaine1' | 'quinzaine2';

export type RelUnit = 'day' | 'week' | 'month' | 'quarter' | 'semester' | 'year';

export type Base =
  | { unit: 'day'; m: number; d: number }
  | { unit: 'week'; w: number }
  | { unit: 'month'; m: number }
  | { unit: 'quarter'; q: number }
  | { unit: 'semester'; s: number }
  | { unit: 'season'; season: Season | 'rentree' }
  | { unit: 'year' }
  /** School year starting in September of `year`. */
  | { unit: 'school' };

export interface PeriodNode {
  k: 'period';
  base: Base;
  /** Null when the text gives no year: resolved from the reference date. */
  year: number | null;
  mod: Mod | null;
  /** Weekday written before a day ("lundi 3 mars"), checked for consistency. */
  weekday: number | null;
  /** "juin prochain", "l'été prochain": strictly after the reference date. */
  upcoming: boolean;
}

export type Node =
  | PeriodNode
  /** A well-formed but non-existent date ("31 février", "30/13/2025"). */
  | { k: 'impossible' }
  /** "dans quelques mois": a duration without a number. */
  | { k: 'vague' }
  /** The day alone on the left of "du 3 au 15 mars". */
  | { k: 'bareDay'; d: number }
  /** "la semaine du 3 mars". */
  | { k: 'weekOf'; day: PeriodNode }
  /** "le mois prochain" (offset 1), "cette année" (0), "demain" (day, 1). */
  | { k: 'relative'; unit: RelUnit; offset: number; mod: Mod | null }
  /** "jeudi", "lundi prochain": the next such weekday after the reference date. */
  | { k: 'weekday'; wd: number }
  /** "dans 3 mois" (deadline) or "pendant 18 mois" (inclusive duration). */
  | { k: 'duration'; n: number; unit: 'day' | 'week' | 'month' | 'year'; inclusive: boolean }
  | { k: 'range'; a: Node; b: Node }
  | { k: 'before'; x: Node }
  | { k: 'after'; x: Node }
  /** "d'ici", "au plus tard", "jusqu'à". */
  | { k: 'until'; x: Node };

export interface Match {
  node: Node;
  /** Index of the first token after the match. */
  next: number;
}

export function period(base: Base, year: number | null, upcoming = false, weekday: number | null = null): PeriodNode {
  return { k: 'period', base, year, mod: null, weekday, upcoming };
}

export const IMPOSSIBLE: Node = { k: 'impossible' };

/** The longest of several matches; on a tie the earliest alternative wins. */
export function longest(matches: Array<Match | null>): Match | null {
  let best: Match | null = null;
  for (const m of matches) if (m && (!best || m.next > best.next)) best = m;
  return best;
}

export function hasYear(n: Node): boolean {
  if (n.k === 'period') return n.year !== null;
  if (n.k === 'weekOf') return n.day.year !== null;
  return false;
}
