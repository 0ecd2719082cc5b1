/** Calendar spans of the periods PTSM documents name (see the table in french-dates.ts). */
import type { DatePrecision } from '../../core/fiche.js';
import {
  addDays, addMonths, daysInMonth, isValidYmd, isoWeekSpan, monthSpan, monthsSpan, toDays, fromDays, weekOf,
  type Span, type Ymd,
} from './calendar.js';
import type { Season } from './lexicon.js';
import type { Base, Mod, RelUnit } from './nodes.js';

/** The unit a span is counted in; 'rentree' is September, read as a season. */
export type UnitKey = 'day' | 'week' | 'month' | 'quarter' | 'semester' | 'season' | 'rentree' | 'year' | 'school';

export function unitOf(base: Base): UnitKey {
  return base.unit === 'season' && base.season === 'rentree' ? 'rentree' : base.unit;
}

/** Precision = the unit the writer named ("fin juin" is 'month', "fin 2026" is 'year'). */
export function precisionOf(unit: UnitKey): DatePrecision {
  if (unit === 'rentree') return 'season';
  if (unit === 'school') return 'range';
  return unit;
}

const ymd = (y: number, m: number, d: number): Ymd => ({ y, m, d });

/** Seasons by astronomical dates, rounded to fixed days; a winter is named by the year it ends in. */
export function seasonSpan(season: Season, y: number): Span {
  switch (season) {
    case 'printemps': return { start: ymd(y, 3, 20), end: ymd(y, 6, 20) };
    case 'ete': return { start: ymd(y, 6, 21), end: ymd(y, 9, 22) };
    case 'automne': return { start: ymd(y, 9, 23), end: ymd(y, 12, 20) };
    case 'hiver': return { start: ymd(y - 1, 12, 21), end: ymd(y, 3, 19) };
  }
}

/** The span of a period in year `y`; null when it does not exist (29 February 2025, week 53 of 2025). */
export function periodSpan(base: Base, y: number): Span | null {
  switch (base.unit) {
    case 'day': return isValidYmd(y, base.m, base.d) ? { start: ymd(y, base.m, base.d), end: ymd(y, base.m, base.d) } : null;
    case 'week': return isoWeekSpan(y, base.w);
    case 'month': return monthSpan(y, base.m);
    case 'quarter': return monthsSpan(y, (base.q - 1) * 3 + 1, 3);
    case 'semester': return monthsSpan(y, (base.s - 1) * 6 + 1, 6);
    case 'season': return base.season === 'rentree' ? monthSpan(y, 9) : seasonSpan(base.season, y);
    case 'year': return monthsSpan(y, 1, 12);
    case 'school': return monthsSpan(y, 9, 12);
  }
}

/** Month chunks [first, count] kept by début / mi / fin, by length of the period in months. */
const MONTH_CHUNKS: Record<number, Partial<Record<Mod, [number, number]>>> = {
  3: { debut: [0, 1], mi: [1, 1], fin: [2, 1] },
  6: { debut: [0, 2], mi: [2, 2], fin: [4, 2] },
  12: { debut: [0, 3], mi: [5, 2], fin: [9, 3] },
};

/** Narrows a span to its beginning, middle or end (see the table in french-dates.ts). */
export function applyMod(span: Span, unit: UnitKey, mod: Mod): Span {
  const { start, end } = span;
  if (unit === 'month' || unit === 'rentree') {
    const last = daysInMonth(start.y, start.m);
    if (mod === 'quinzaine1') return { start, end: ymd(start.y, start.m, 15) };
    if (mod === 'quinzaine2') return { start: ymd(start.y, start.m, 16), end: ymd(start.y, start.m, last) };
    if (mod === 'debut') return { start, end: ymd(start.y, start.m, 10) };
    if (mod === 'mi') return { start: ymd(start.y, start.m, 11), end: ymd(start.y, start.m, 20) };
    return { start: ymd(start.y, start.m, 21), end: ymd(start.y, start.m, last) };
  }
  if (unit === 'week') {
    if (mod === 'debut' || mod === 'quinzaine1') return { start, end: addDays(start, 1) };
    if (mod === 'mi') return { start: addDays(start, 2), end: addDays(start, 3) };
    return { start: addDays(start, 4), end };
  }
  const months = unit === 'quarter' ? 3 : unit === 'semester' ? 6 : unit === 'year' || unit === 'school' ? 12 : 0;
  const chunk = MONTH_CHUNKS[months]?.[mod];
  if (chunk) return monthsSpan(start.y, start.m + chunk[0], chunk[1]);
  // Seasons: thirds of their days.
  const a = toDays(start);
  const b = toDays(end);
  const third = Math.floor((b - a + 1) / 3);
  if (mod === 'debut' || mod === 'quinzaine1') return { start, end: fromDays(a + third - 1) };
  if (mod === 'mi') return { start: fromDays(a + third), end: fromDays(b - third) };
  return { start: fromDays(b - third + 1), end };
}

export function seasonContaining(d: Ymd): Span {
  const md = d.m * 100 + d.d;
  if (md >= 1221) return seasonSpan('hiver', d.y + 1);
  if (md >= 923) return seasonSpan('automne', d.y);
  if (md >= 621) return seasonSpan('ete', d.y);
  if (md >= 320) return seasonSpan('printemps', d.y);
  return seasonSpan('hiver', d.y);
}

/** The period of a unit that holds a day (used by "avant": "avant 2027" → all of 2026). */
export function containing(unit: UnitKey, d: Ymd): Span {
  switch (unit) {
    case 'day': return { start: d, end: d };
    case 'week': return weekOf(d);
    case 'month': case 'rentree': return monthSpan(d.y, d.m);
    case 'quarter': return monthsSpan(d.y, Math.floor((d.m - 1) / 3) * 3 + 1, 3);
    case 'semester': return monthsSpan(d.y, d.m <= 6 ? 1 : 7, 6);
    case 'season': return seasonContaining(d);
    case 'year': return monthsSpan(d.y, 1, 12);
    case 'school': return monthsSpan(d.m >= 9 ? d.y : d.y - 1, 9, 12);
  }
}

/** "cette semaine", "le mois prochain", "l'an dernier", "demain" around the reference date. */
export function relativeSpan(unit: RelUnit, offset: number, ref: Ymd): Span {
  switch (unit) {
    case 'day': { const d = addDays(ref, offset); return { start: d, end: d }; }
    case 'week': return weekOf(addDays(ref, 7 * offset));
    case 'month': { const m = addMonths(ymd(ref.y, ref.m, 1), offset); return monthSpan(m.y, m.m); }
    case 'quarter': return monthsSpan(ref.y, Math.floor((ref.m - 1) / 3) * 3 + 1 + 3 * offset, 3);
    case 'semester': return monthsSpan(ref.y, (ref.m <= 6 ? 1 : 7) + 6 * offset, 6);
    case 'year': return monthsSpan(ref.y + offset, 1, 12);
  }
}
