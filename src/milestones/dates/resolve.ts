/** Turns what the grammar read into calendar dates, using the reference date when needed. */
import type { DatePrecision } from '../../core/fiche.js';
import { addDays, addMonths, compare, isValidYmd, weekday, weekOf, type Span, type Ymd } from './calendar.js';
import { MONTH_NAMES, WEEKDAY_NAMES } from './lexicon.js';
import type { Node, PeriodNode } from './nodes.js';
import { applyMod, containing, periodSpan, precisionOf, relativeSpan, unitOf, type UnitKey } from './periods.js';
import { REASONS } from './reasons.js';

export type Resolution =
  | { ok: true; start: Ymd; end: Ymd | null; precision: DatePrecision; unit: UnitKey | null; reason: string | null }
  | { ok: false; reason: string };

const fail = (reason: string): Resolution => ({ ok: false, reason });

function ok(span: Span, unit: UnitKey, reason: string | null = null): Resolution & { ok: true } {
  return { ok: true, start: span.start, end: span.end, precision: precisionOf(unit), unit, reason };
}

/** `text` is the expression as written, quoted in reasons. */
export function resolve(node: Node, ref: Ymd | null, text: string): Resolution {
  switch (node.k) {
    case 'period': return resolvePeriod(node, ref, text);
    case 'impossible': return fail(REASONS.impossible(text));
    case 'vague': return fail(REASONS.vague(text));
    case 'bareDay': return fail(REASONS.unknown);
    case 'weekOf': {
      const day = resolvePeriod(node.day, ref, text);
      return day.ok ? { ...ok(weekOf(day.start), 'week'), reason: day.reason } : day;
    }
    case 'relative': {
      if (!ref) return fail(REASONS.relativeNoRef);
      const span = relativeSpan(node.unit, node.offset, ref);
      return ok(node.mod ? applyMod(span, node.unit, node.mod) : span, node.unit);
    }
    case 'weekday': {
      if (!ref) return fail(REASONS.relativeNoRef);
      const d = addDays(ref, (node.wd - weekday(ref) + 7) % 7 || 7);
      return ok({ start: d, end: d }, 'day');
    }
    case 'duration': {
      if (!ref) return fail(REASONS.relativeNoRef);
      const n = node.n;
      let end = node.unit === 'day' ? addDays(ref, n) : node.unit === 'week' ? addDays(ref, 7 * n)
        : addMonths(ref, node.unit === 'month' ? n : 12 * n);
      // "pendant 18 mois" from 1 January ends on 30 June; "dans 18 mois" is the day itself.
      if (node.inclusive) end = addDays(end, -1);
      return { ok: true, start: ref, end, precision: 'range', unit: null, reason: null };
    }
    case 'range': return resolveRange(node.a, node.b, ref, text);
    case 'until': return resolveUntil(node.x, ref, text);
    case 'before': return resolveBefore(node.x, ref, text);
    case 'after': {
      const x = resolve(node.x, ref, text);
      if (!x.ok || x.end === null) return x;
      return { ok: true, start: addDays(x.end, 1), end: null, precision: 'range', unit: null, reason: REASONS.openEnd };
    }
  }
}

function spanIn(n: PeriodNode, y: number): Span | null {
  const span = periodSpan(n.base, y);
  return span && n.mod ? applyMod(span, unitOf(n.base), n.mod) : span;
}

/** A yearless period is the next one ending on or after the reference ("prochain": starting after it). */
function resolvePeriod(n: PeriodNode, ref: Ymd | null, text: string): Resolution {
  let span: Span | null = null;
  if (n.year !== null) span = spanIn(n, n.year);
  else {
    if (!ref) return fail(REASONS.yearMissing);
    for (let y = ref.y - 1; y <= ref.y + 8 && !span; y++) {
      const s = spanIn(n, y);
      const whole = periodSpan(n.base, y);
      if (!s || !whole) continue;
      if (n.upcoming ? compare(whole.start, ref) > 0 : compare(s.end, ref) >= 0) span = s;
    }
  }
  if (!span) return fail(REASONS.impossible(text));
  let reason: string | null = null;
  if (n.weekday !== null && n.base.unit === 'day') {
    const actual = weekday(span.start);
    if (actual !== n.weekday) {
      const { y, m, d } = span.start;
      reason = REASONS.weekdayMismatch(`${d} ${MONTH_NAMES[m - 1]} ${y}`, WEEKDAY_NAMES[actual] ?? '');
    }
  }
  return ok(span, unitOf(n.base), reason);
}

/** The latest occurrence of a yearless period starting on or before `limit` ("de novembre à février 2026"). */
function lastStartingBy(n: PeriodNode, limit: Ymd, text: string): Resolution {
  for (let y = limit.y + 1; y >= limit.y - 2; y--) {
    const s = spanIn(n, y);
    if (s && compare(s.start, limit) <= 0) return ok(s, unitOf(n.base));
  }
  return fail(REASONS.impossible(text));
}

function resolveRange(a: Node, b: Node, ref: Ymd | null, text: string): Resolution {
  let ra: Resolution;
  let rb: Resolution;
  if (a.k === 'period' && a.year !== null && b.k === 'period' && b.year === null) {
    // "de mars 2025 à juin": the end is the next June from March 2025.
    ra = resolve(a, ref, text);
    if (!ra.ok) return ra;
    rb = resolvePeriod(b, ra.start, text);
  } else {
    rb = resolve(b, ref, text);
    if (!rb.ok) return rb;
    if (a.k === 'bareDay') {
      // "du 3 au 15 mars": the day takes the month (and year) of the end.
      const month = a.d > rb.start.d ? addMonths({ ...rb.start, d: 1 }, -1) : rb.start;
      const day: Ymd = { ...month, d: a.d };
      ra = isValidYmd(day.y, day.m, day.d) ? ok({ start: day, end: day }, 'day') : fail(REASONS.impossible(text));
    } else if (a.k === 'period' && a.year === null) ra = lastStartingBy(a, rb.start, text);
    else ra = resolve(a, ref, text);
  }
  if (!ra.ok) return ra;
  if (!rb.ok) return rb;
  if (rb.end === null || compare(ra.start, rb.end) > 0) return fail(REASONS.incoherentRange);
  return { ok: true, start: ra.start, end: rb.end, precision: 'range', unit: null, reason: ra.reason ?? rb.reason };
}

/** "d'ici la fin de l'année", "jusqu'à la fin du mois": from the reference date to the end of the current period. */
function resolveUntil(x: Node, ref: Ymd | null, text: string): Resolution {
  if (x.k === 'relative' && x.offset === 0 && x.unit !== 'day') {
    const r = resolve(x, ref, text);
    if (!r.ok || !ref) return r;
    return { ...r, start: ref };
  }
  return resolve(x, ref, text);
}

/**
 * "avant 2027" ends the day before 2027 and covers the period of the same
 * unit just before it (all of 2026). "avant le 30 juin" keeps the day (a
 * deadline as written) and "avant fin juin" is "d'ici fin juin".
 */
function resolveBefore(x: Node, ref: Ymd | null, text: string): Resolution {
  if ((x.k === 'period' || x.k === 'relative') && x.mod === 'fin') return resolveUntil(x, ref, text);
  const r = resolve(x, ref, text);
  if (!r.ok || r.unit === null || r.unit === 'day') return r;
  const end = addDays(r.start, -1);
  const unit = r.unit === 'rentree' ? 'month' : r.unit;
  return { ...ok({ start: containing(unit, end).start, end }, unit), reason: r.reason };
}
