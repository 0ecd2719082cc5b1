import type { FicheMilestone } from '../../core/fiche.js';
import { findDateExpressions } from '../../milestones/french-dates.js';
import { splitTopLevel } from './people.js';

/**
 * Calendar lines and rows → milestones. The deadline is kept as written
 * ("T2 2025", "d'ici fin 2026") and resolved with the shared French date
 * parser; a line nobody can date stays, with `due: null` and precision
 * 'unresolved', so the coordinator sees it must be clarified.
 */

/** Label used when a calendar line holds a date and nothing else. */
export const DEFAULT_MILESTONE_LABEL = "Échéance de l'action";

interface Found { text: string; index: number; start: string | null; end: string | null; precision: FicheMilestone['precision'] }

function datesIn(text: string, ref: string): Found[] {
  let raw: ReturnType<typeof findDateExpressions>;
  try {
    raw = findDateExpressions(text, ref);
  } catch {
    return []; // an unreadable line is kept unresolved, never fatal
  }
  return raw
    .filter((d) => d.parsed && d.parsed.end)
    .map((d) => ({ text: d.text, index: d.index, start: d.parsed.start, end: d.parsed.end, precision: d.parsed.precision }));
}

/**
 * One calendar line → one or more milestones. A line holding several dated
 * parts ("T1 2025 : recrutement ; T3 2025 : formation") gives one each; a
 * part without a date stays with the dated part before it.
 */
export function milestonesFromLine(line: string, ref: string, fallbackLabel: string | null): FicheMilestone[] {
  const text = line.trim();
  if (!text) return [];
  const records = splitRecords(text, ref);
  if (records.length > 1) return records.flatMap((r) => milestonesFromLine(r, ref, fallbackLabel));
  const parts = splitTopLevel(text, /\s*;\s*|(?<=[.!])\s+(?=\p{Lu})/u).map((p) => p.trim()).filter(Boolean);
  const groups: string[] = [];
  for (const p of parts) {
    if (groups.length && !datesIn(p, ref).length) groups[groups.length - 1] += ` ; ${p}`;
    else groups.push(p);
  }
  // A leading dateless part ("Lancement ; T2 2025") belongs with the next one.
  if (groups.length > 1 && !datesIn(groups[0]!, ref).length) groups.splice(0, 2, `${groups[0]} ; ${groups[1]}`);
  return groups.map((g) => milestoneFromText(g, ref, fallbackLabel));
}

/**
 * Plain-text calendars whose lines were joined: "Septembre 2025 ........ recrutement
 * Fin juin 2026 ......... convention …" → one record per date that opens a "date : task" pair.
 */
function splitRecords(text: string, ref: string): string[] {
  const found = datesIn(text, ref);
  const opensRecord = (d: Found): boolean => /^\s*(?:\.{3,}|:|[–—]\s)/u.test(text.slice(d.index + d.text.length));
  if (!found.length || found[0]!.index !== 0 || !opensRecord(found[0]!)) return [text];
  const starts = found.filter((d) => d.index > 0 && /\s$/.test(text.slice(0, d.index)) && opensRecord(d)).map((d) => d.index);
  if (!starts.length) return [text];
  const out: string[] = [];
  let from = 0;
  for (const s of starts) { out.push(text.slice(from, s).trim()); from = s; }
  out.push(text.slice(from).trim());
  return out.filter(Boolean);
}

function milestoneFromText(raw: string, ref: string, fallbackLabel: string | null): FicheMilestone {
  // Dot leaders of plain-text calendars are a "date : task" separator.
  const text = raw.replace(/\s*\.{3,}\s*/gu, ' : ').trim();
  const found = datesIn(text, ref);
  if (!found.length) {
    const colon = /^(.{2,120}?)\s*:\s*(.+)$/u.exec(text);
    if (colon && isDeadlineWording(colon[2]!)) return { label: cleanLabel(colon[1]!) || text, dueText: colon[2]!.trim(), due: null, start: null, precision: 'unresolved' };
    if (colon && isDeadlineWording(colon[1]!)) return { label: cleanLabel(colon[2]!) || text, dueText: colon[1]!.trim(), due: null, start: null, precision: 'unresolved' };
    return { label: fallbackLabel && isDeadlineWording(text) ? fallbackLabel : text, dueText: isDeadlineWording(text) ? text : '', due: null, start: null, precision: 'unresolved' };
  }
  // "T2 2025 : sélection des formateurs", "Recrutement : T2 2025", "Chaque année, en octobre : journée des aidants".
  const sides = splitSides(text);
  if (sides) {
    const cover = (side: { text: string; at: number }): number => found
      .filter((d) => d.index >= side.at && d.index < side.at + side.text.length)
      .reduce((n, d) => n + d.text.length, 0) / Math.max(1, side.text.length);
    // The side that opens with its date is the deadline ("SISM 2026 : octobre 2026 (à confirmer)").
    const score = (side: { text: string; at: number }): number => cover(side) + (found.some((d) => d.index === side.at) ? 0.5 : 0);
    const [left, right] = sides;
    const dateSide = score(left) >= score(right) ? left : right;
    const other = dateSide === left ? right : left;
    const inSide = found.filter((d) => d.index >= dateSide.at && d.index < dateSide.at + dateSide.text.length);
    if (inSide.length && other.text) {
      const span = periodOf(inSide, text);
      const whole = cover(dateSide) >= 0.5 || dateSide.text.split(/\s+/).length <= 5;
      return {
        label: cleanLabel(other.text) || fallbackLabel || DEFAULT_MILESTONE_LABEL,
        dueText: whole ? dateSide.text.replace(/[.;,]+$/u, '').trim() : span.text,
        due: span.last.end,
        start: span.first.start ?? span.last.start,
        precision: span.first === span.last ? span.last.precision : 'range',
      };
    }
  }
  const span = periodOf(found, text);
  const label = cleanLabel(text.slice(0, span.first.index) + ' ' + text.slice(span.last.index + span.last.text.length)) || fallbackLabel || DEFAULT_MILESTONE_LABEL;
  return {
    label,
    dueText: span.text,
    due: span.last.end,
    start: span.first.start ?? span.last.start,
    precision: span.first === span.last ? span.last.precision : 'range',
  };
}

/** "left : right" (or "left – right") when the line has one such separator outside parentheses. */
function splitSides(text: string): [{ text: string; at: number }, { text: string; at: number }] | null {
  const parts = splitTopLevel(text, /\s*:\s+|\s+[–—]\s+/u);
  if (parts.length !== 2) return null;
  const leftText = parts[0]!.trim();
  const at = text.indexOf(parts[1]!.trim(), leftText.length);
  if (!leftText || at < 0) return null;
  return [{ text: leftText, at: text.indexOf(leftText) }, { text: parts[1]!.trim(), at }];
}

/** The period formed by consecutive dates ("janvier – mars 2026"); otherwise the last date is the deadline. */
function periodOf(found: Found[], text: string): { first: Found; last: Found; text: string } {
  const last = found[found.length - 1]!;
  let first = last;
  for (let i = found.length - 2; i >= 0; i--) {
    const gap = text.slice(found[i]!.index + found[i]!.text.length, first.index);
    if (/^\s*(?:[-–—/]|à|au|et|puis|jusqu'(?:à|au|en))?\s*$/iu.test(gap)) first = found[i]!;
    else break;
  }
  return { first, last, text: text.slice(first.index, last.index + last.text.length).trim() };
}

/** "En continu", "À définir", "2e semestre" that the parser could not date: a deadline wording, not a task. */
function isDeadlineWording(text: string): boolean {
  return text.split(/\s+/).length <= 5 && /\b(continu|permanent|définir|preciser|préciser|déterminer|annuel|semestre|trimestre|durée|pérenne|fil de l'eau|long)\b/iu.test(text);
}

/** Removes what is left around a cut-out date: separators, orphan prepositions, numbering. */
export function cleanLabel(s: string): string {
  let t = s.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 4; i++) {
    const before = t;
    t = t
      .replace(/^\d{1,2}[.)]\s+/u, '')
      .replace(/^[\s:;,.–—\-/|()]+|[\s:;,.–—\-/|(]+$/gu, '')
      .replace(/\(\s*\)/g, '')
      .replace(/\s+(?:d'ici|d’ici|jusqu'(?:à|au|en)|à partir d[ue']|dès|avant|après|pour|en|au|à|le|la|les|du|de|des|courant|fin|début|mi|prévue?s?|prévu(?:e|es|s)? (?:en|pour|au|à|le))$/iu, '')
      .replace(/^(?:en|au|à|pour|dès|d'ici|d’ici)\s+(?=\p{Ll})/u, '')
      .trim();
    if (t === before) break;
  }
  if (/^\)/.test(t)) t = t.slice(1).trim();
  if (/\($/.test(t) || (t.split('(').length > t.split(')').length)) t = t.replace(/\s*\([^)]*$/u, '').trim();
  return t.replace(/^\p{Ll}/u, (c) => c.toUpperCase());
}

const HEADER_WORDS = /^(?:étapes?|actions?|jalons?|livrables?|échéances?|échéancier|dates?|périodes?|calendrier|délais?|quand|responsables?|pilotes?|porteurs?|acteurs?|trimestres?|années?|objectifs?|tâches?|activités?|description|intitulé|n°|statut|état)$/iu;

/**
 * A calendar table → milestones. Header rows ("Étape | Échéance | Responsable")
 * tell which column holds the date; the responsible column is not a label.
 */
export function milestonesFromRows(rows: string[][], ref: string, fallbackLabel: string | null): FicheMilestone[] {
  if (!rows.length) return [];
  let dateCol = -1;
  const skipCols = new Set<number>();
  let body = rows;
  const header = rows[0]!;
  if (header.every((c) => !datesIn(c, ref).length) && header.filter(Boolean).every((c) => HEADER_WORDS.test(c.trim()))) {
    body = rows.slice(1);
    header.forEach((c, i) => {
      if (/^(?:échéances?|échéancier|dates?|périodes?|calendrier|délais?|quand|trimestres?|années?)$/iu.test(c.trim())) dateCol = i;
      if (/^(?:responsables?|pilotes?|porteurs?|acteurs?|statut|état)$/iu.test(c.trim())) skipCols.add(i);
    });
  }
  const out: FicheMilestone[] = [];
  for (const r of body) {
    const cells = r.map((c) => c.replace(/\s*\n\s*/g, ' ').trim());
    if (!cells.some(Boolean)) continue;
    let col = dateCol >= 0 && cells[dateCol] && datesIn(cells[dateCol]!, ref).length ? dateCol : cells.findIndex((c) => datesIn(c, ref).length > 0);
    if (col < 0) col = dateCol;
    const labelText = cells.filter((c, i) => i !== col && !skipCols.has(i) && c).join(' — ');
    const dateText = col >= 0 ? cells[col] ?? '' : '';
    if (!dateText) {
      out.push({ label: labelText, dueText: '', due: null, start: null, precision: 'unresolved' });
      continue;
    }
    const m = milestoneFromText(dateText, ref, null);
    const own = m.label && m.label !== DEFAULT_MILESTONE_LABEL && m.due ? m.label : '';
    out.push({
      ...m,
      // The date cell may say "T2 2025 (comité)": keep its words with the row label.
      label: [labelText, own].filter(Boolean).join(' — ') || fallbackLabel || DEFAULT_MILESTONE_LABEL,
      dueText: m.due ? m.dueText : dateText,
    });
  }
  return out;
}

/** Whether a line holds a date (steps with dates give milestones when there is no calendar section). */
export function hasDate(text: string, ref: string): boolean {
  return datesIn(text, ref).length > 0;
}
