/**
 * French date expressions of PTSM deadlines ("T2 2025", "d'ici fin 2026",
 * "printemps 2026", "sous 6 mois") → calendar intervals. Pure calendar
 * arithmetic on integers: no `Date`, no timezone, no DST.
 *
 * Decisions (the due date = `end` is what reminders rely on):
 *
 * | expression                        | start               | end                  | precision |
 * |-----------------------------------|---------------------|----------------------|-----------|
 * | 15 mars 2025, 15/03/25, 2025-03-15| 2025-03-15          | 2025-03-15           | day       |
 * | le 15 mars (no year)              | next 15 March on or after ref                | day       |
 * | avant le 30/06/2025               | 2025-06-30          | 2025-06-30 (the day as written) | day |
 * | juin 2025, 06/2025                | 06-01               | 06-30                | month     |
 * | début / mi / fin juin             | 1–10 / 11–20 / 21–last day                 | month     |
 * | 1re / 2e quinzaine de mars        | 1–15 / 16–last day                         | month     |
 * | en mars, d'ici fin juin (no year) | the next one ending on or after ref        | month     |
 * | juin prochain, l'été prochain     | the next one starting after ref            | (its unit)|
 * | T2 2025, Q2, 2e trimestre         | 2025-04-01          | 2025-06-30           | quarter   |
 * | début / mi / fin du T2            | its 1st / 2nd / 3rd month                  | quarter   |
 * | S1 2026, 1er semestre             | 2026-01-01          | 2026-06-30           | semester  |
 * | début / mi / fin du S2            | Jul–Aug / Sep–Oct / Nov–Dec                | semester  |
 * | printemps 2026                    | 2026-03-20          | 2026-06-20           | season    |
 * | été 2025 / automne 2025           | 06-21 → 09-22 / 09-23 → 12-20              | season    |
 * | hiver 2025/2026, hiver 2025-2026  | 2025-12-21          | 2026-03-19           | season    |
 * | hiver 2026 (one year)             | 2025-12-21          | 2026-03-19           | season    |
 * |   → the winter that ends in 2026: most of its days are in 2026, and if the writer meant the next one the reminder only comes early, never a year late |
 * | début / mi / fin d'une saison     | first / middle / last third of its days    | season    |
 * | rentrée (scolaire) 2025           | 2025-09-01          | 2025-09-30           | season    |
 * | 2025, en 2025, courant 2025       | 01-01               | 12-31                | year      |
 * | début 2026 / mi-2026 / fin 2026   | Jan–Mar / Jun–Jul / Oct–Dec                | year      |
 * | d'ici 2027, jusqu'en 2027         | 2027-01-01          | 2027-12-31 ("by 2027" = during 2027 at the latest) | year |
 * | d'ici / au plus tard / pour X     | same as X                                  | (X's)     |
 * | dès 2025, à partir de 2025        | same as X: the action must have started by the end of X | (X's) |
 * | avant 2027                        | 2026-01-01          | 2026-12-31           | year      |
 * | avant X (a period)                | the same unit just before X: ends the day before X | (X's) |
 * | avant l'été 2026                  | 2026-03-20          | 2026-06-20 (day before summer) | season |
 * | avant fin juin                    | same as "fin juin"                          | month     |
 * | après X                           | day after X         | null (open, flagged) | range     |
 * | 2024-2026, de 2025 à 2027         | first start         | last end             | range     |
 * | de janvier à mars 2025, janvier-mars 2025, entre mars et juin 2026 | a year-less end takes the other end's year | | range |
 * | année scolaire 2025-2026          | 2025-09-01          | 2026-08-31           | range     |
 * | semaine 12, S12 2026 (ISO week)   | Monday              | Sunday               | week      |
 * |   → "S1"/"S2" are semesters; a week needs "semaine"/"sem." or S + two digits (S01–S53) or S3–S9; in free text "S12" needs a year |
 * | la semaine du 3 mars 2025         | Monday of that week | Sunday               | week      |
 * | la semaine prochaine, le mois prochain, l'an prochain, cette année | the whole period after/at ref | (its unit) |
 * | fin d'année, fin du mois          | fin of ref's year / month                  | year/month |
 * | d'ici la fin de l'année, avant la fin du mois | ref     | end of ref's year / month | year/month |
 * | dans 3 mois, sous 6 mois, dans les 6 mois, d'ici 2 ans, sous 8 jours | ref | ref + N (day as counted) | range |
 * | pendant 18 mois, durant 5 ans, sur 3 ans | ref          | ref + N − 1 day      | range     |
 * |   → counts are literal: "quinze jours"/"sous quinzaine" = 15 days, "huit jours"/"sous huitaine" = 8 days |
 * | demain, lundi prochain, jeudi     | that day (a weekday is the next one strictly after ref) | | day |
 * | 2025 puis 2027 (several dates)    | earliest start      | latest end, flagged "plusieurs échéances" | range |
 *
 * Free text (findDateExpressions) is read more strictly than a deadline cell:
 * a year-less "T2", "S1", "mars" or season needs a date word before it ("au T2",
 * "en mars", "l'été": not "logement T2", "a été"); "12/03" needs two digits or
 * "le"/"du"/"au"; a bare year must not be followed by a unit ("2000 personnes",
 * "2025 €") nor preceded by "n°", "article", "poste"…; numbers glued to more
 * digits ("01.23.45.67.89", "L3221-2") are never dates; a bare weekday needs
 * "prochain" or a deadline word ("du lundi au vendredi" is a schedule). A
 * mention keeps its meaningful lead words ("d'ici", "avant", "du … au") and
 * drops bare prepositions ("au T2 2025" → "T2 2025").
 *
 * Flagged and unresolved (start = end = null): unreadable text, impossible
 * dates ("31 février 2025", "32/01/2025"), relative words or year-less dates
 * without a reference, events ("au prochain COPIL", "après validation de
 * l'ARS"), "dès que possible", "en continu", "selon financement", "sur la
 * durée du PTSM". Flagged but resolved: a weekday that does not match the
 * date, text around the date that was not understood, several dates.
 * findDateExpressions returns dates only (no event phrases).
 */
import type { DateInterval } from '../core/fiche.js';
import { PtsmError } from '../core/errors.js';
import { format, parseIso, type Ymd } from './dates/calendar.js';
import { undatedReason } from './dates/events.js';
import { normalize, originalSpan, type Normalized } from './dates/normalize.js';
import type { Node } from './dates/nodes.js';
import { REASONS } from './dates/reasons.js';
import { resolve, type Resolution } from './dates/resolve.js';
import { matchWhole, scanMentions, type RawMention } from './dates/scan.js';

export interface ParsedDate extends DateInterval {
  /** true when the coordinator must look at it: unreadable, impossible, relative without reference, or an event ("à la prochaine plénière"). */
  flagged: boolean;
  /** French explanation when flagged ("date impossible : 31 février 2025", "expression non reconnue", "échéance relative à un événement non daté"). */
  reason: string | null;
}

export interface DateMention {
  text: string;
  index: number;
  parsed: ParsedDate;
}

/**
 * The reference date comes from code (a document's date, today), so a bad
 * one is a bug to surface, not a text to flag. "2025-03-15T10:00:00Z" is read as its date part.
 */
function readRef(ref: string | undefined): Ymd | null {
  if (ref === undefined || ref === null || ref === '') return null;
  const ymd = parseIso(/^\d{4}-\d{2}-\d{2}T/.test(ref) ? ref.slice(0, 10) : ref);
  if (!ymd) {
    throw new PtsmError('DATE_UNREADABLE', `Date de référence invalide : « ${ref} » (format attendu : AAAA-MM-JJ).`, {
      input: ref,
    });
  }
  return ymd;
}

function unresolved(text: string, reason: string): ParsedDate {
  return { text, start: null, end: null, precision: 'unresolved', flagged: true, reason };
}

function toParsed(text: string, r: Resolution): ParsedDate {
  if (!r.ok) return unresolved(text, r.reason);
  return {
    text,
    start: format(r.start),
    end: r.end ? format(r.end) : null,
    precision: r.precision,
    flagged: r.reason !== null,
    reason: r.reason,
  };
}

/** Nodes whose dates come from the reference date: meaningless when the text anchors them to an event. */
function isRelative(n: Node): boolean {
  return n.k === 'duration' || n.k === 'relative' || n.k === 'weekday' || n.k === 'vague';
}

interface Located {
  text: string;
  index: number;
  raw: RawMention;
}

function locate(input: string, norm: Normalized, m: RawMention): Located {
  const s = norm.tokens[m.start]?.s ?? 0;
  const e = norm.tokens[m.next - 1]?.e ?? s;
  const { index, end } = originalSpan(input, norm, s, e);
  return { text: input.slice(index, end), index, raw: m };
}

/**
 * ref = reference date 'YYYY-MM-DD' (document date or today), used for relative words and for a month/season without a year (the next one on or after ref).
 * Never throws on any `text`; throws PtsmError('DATE_UNREADABLE') only for a malformed `ref`.
 */
export function parseFrenchDate(text: string, ref?: string): ParsedDate {
  const input = String(text ?? '').trim();
  const refYmd = readRef(ref);
  const norm = normalize(input);
  if (norm.tokens.every((t) => t.kind === 'punct')) {
    return unresolved(input, input === '' ? REASONS.empty : REASONS.toBeDefined);
  }
  const whole = matchWhole(norm.tokens);
  if (whole) return toParsed(input, resolve(whole, refYmd, input));

  const undated = undatedReason(norm.text);
  const mentions = scanMentions(norm.tokens).map((m) => locate(input, norm, m));
  if (mentions.length === 0) return unresolved(input, undated ?? REASONS.unknown);
  if (undated && mentions.every((m) => isRelative(m.raw.node))) return unresolved(input, undated);

  const parsed = mentions.map((m) => toParsed(m.text, resolve(m.raw.node, refYmd, m.text)));
  const first = parsed[0] as ParsedDate;
  if (parsed.length === 1) {
    if (first.precision === 'unresolved') return { ...first, text: input };
    return { ...first, text: input, flagged: true, reason: first.reason ?? undated ?? REASONS.partial(first.text) };
  }
  // Several dates ("2025 puis 2027"): the span covering them all, flagged so the coordinator splits the milestone.
  const starts = parsed.flatMap((p) => (p.start ? [p.start] : [])).sort();
  const ends = parsed.flatMap((p) => (p.end ? [p.end] : [])).sort();
  if (starts.length === 0) return unresolved(input, first.reason ?? REASONS.unknown);
  return {
    text: input,
    start: starts[0] ?? null,
    end: ends[ends.length - 1] ?? null,
    precision: 'range',
    flagged: true,
    reason: undated ?? REASONS.several(parsed.map((p) => p.text)),
  };
}

/** Finds every date expression inside free text (a chat message, a calendar cell: "Lancement T2 2025, bilan fin 2026"), longest match first, non-overlapping, in order of appearance. */
export function findDateExpressions(text: string, ref?: string): DateMention[] {
  const input = String(text ?? '');
  const refYmd = readRef(ref);
  const norm = normalize(input);
  return scanMentions(norm.tokens).map((m) => {
    const loc = locate(input, norm, m);
    return { text: loc.text, index: loc.index, parsed: toParsed(loc.text, resolve(m.node, refYmd, loc.text)) };
  });
}

/** The due date of a milestone: the end of its interval (null when unresolved). */
export function dueDate(p: ParsedDate): string | null {
  return p.precision === 'unresolved' ? null : p.end;
}
