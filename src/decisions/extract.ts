import type { Block, DocumentRecord } from '../core/types.js';
import { splitSentences } from '../ingestion/chunker.js';
import { dueDate, findDateExpressions } from '../milestones/french-dates.js';
import { slugify } from '../milestones/normalize.js';
import { foldForMatch } from '../text/fold.js';
import {
  ASSIGNMENT_CUES, CIVILITIES, DEADLINE_MARKERS, MEETING_CUES, MINUTES_CUES, NOT_DECISION_CUES, ROLES, SECTION_CUES,
  NEXT_MEETING_CUES, SENTENCE_CUES, TABLE_COLUMNS, type SectionKind,
} from './cues.js';
import type { DecisionEntry } from './types.js';

/**
 * Reads the decisions and action items of one compte rendu. The engine walks
 * the blocks once: a heading opens a section (decisions, actions, skipped, or
 * other, from `SECTION_CUES`); every item of a decisions or actions section
 * is an entry; elsewhere only sentences carrying a cue of `SENTENCE_CUES`
 * are. Owners and deadlines are read per sentence, the deadline against the
 * meeting's date.
 */
export function extractDecisions(doc: { record: DocumentRecord; blocks: readonly Block[] }): DecisionEntry[] {
  const { record, blocks } = doc;
  if (!isMinutes(record)) return [];
  const opening = blocks.slice(0, 4).map((b) => b.text).join(' ');
  const meeting = meetingOf(`${record.title} ${record.source.replace(/[-_/]/g, ' ')}`) ?? meetingOf(opening) ?? 'réunion';
  const ref = record.date ?? undefined;
  // A working group's minutes are about its fiche: "chargé du suivi de la fiche action n° 4".
  const docFiches = meeting === 'groupe de travail' ? uniqueFiche(blocks.slice(0, 5).filter((b) => b.type !== 'list' || (b.items?.length ?? 0) < 2)) : [];
  const base = { meeting, meetingTitle: record.title, date: record.date, source: record.source, title: record.title };
  const slug = slugify(record.source.split('/').pop()!.replace(/\.[a-z0-9]+$/i, ''), 50);

  const out: DecisionEntry[] = [];
  let section: { kind: Kind | null; heading: string | null } = { kind: null, heading: null };
  let previousWasItems = false;
  const firstHeading = blocks.find((b) => b.type === 'heading');

  const push = (text: string, b: Block, kind: Kind | null, extra: Partial<DecisionEntry> = {}): void => {
    const decision = cleanItem(text);
    if (decision.length < 8) return;
    const read = readItem(decision, ref, kind === 'actions');
    const fiches = fichesIn(decision);
    const entry: DecisionEntry = {
      ...base,
      id: `${slug}-${out.length + 1}`,
      kind: kind === 'actions' || read.cueKind === 'action' || (read.who.length > 0 && read.due !== null) ? 'action' : 'décision',
      decision,
      who: read.who,
      dueText: read.dueText,
      due: read.due,
      fiches: fiches.length ? fiches : docFiches,
      postponed: read.postpones,
      page: b.page,
      section: section.heading,
      ...extra,
    };
    if (entry.who.length === 0 && entry.due === null && extra.who === undefined) entry.kind = kind === 'actions' ? 'action' : entry.kind;
    out.push(entry);
  };

  for (const b of blocks) {
    const heading = headingText(b);
    if (heading !== null) {
      // The document's own title ("Relevé de décisions du 10 février 2026") opens no section: the sections below it do.
      const isTitle = b === firstHeading && (b.level ?? 1) <= 1;
      section = { kind: isTitle ? 'other' : sectionKind(heading), heading };
      previousWasItems = false;
      continue;
    }
    if (b.type === 'paragraph' && NEXT_MEETING_RE.test(foldForMatch(b.text.slice(0, 40)))) {
      section = { kind: 'other', heading: section.heading };
      previousWasItems = false;
      continue;
    }
    const inSection = section.kind === 'decisions' || section.kind === 'actions';
    // Participants and agenda lists hold no decision; a paragraph there may (a lost heading leaves prose under "Ordre du jour").
    if (section.kind === 'skip' && b.type !== 'paragraph') continue;
    if (b.type === 'table') {
      for (const row of tableEntries(b)) {
        if (!row.what) continue;
        const dueRead = row.dueText ? readDue(row.dueText, ref, true) : { due: null, dueText: null };
        if (!inSection && !row.who.length && !row.decisionTable && !matchesCue(row.what, ref)) continue;
        push(row.what, b, inSection ? section.kind : row.who.length ? 'actions' : null, {
          ...(row.who.length ? { who: row.who } : {}),
          ...(dueRead.dueText ? { dueText: dueRead.dueText, due: dueRead.due } : {}),
          ...(row.who.length ? { kind: 'action' } : {}),
        });
      }
      previousWasItems = false;
      continue;
    }
    if (inSection) {
      if (b.type === 'paragraph' && previousWasItems && !startsEnumerated(b.text) && out.length) {
        // A PDF breaks a long item in two: the paragraph continues the item above it.
        const last = out[out.length - 1]!;
        const merged = `${last.decision} ${cleanItem(b.text)}`;
        out[out.length - 1] = { ...last, ...mergeRead(last, merged, ref, section.kind === 'actions') };
        continue;
      }
      const items = b.type === 'list' ? b.items ?? [b.text] : splitEnumerated(b.text);
      for (const item of items) {
        if (section.kind === 'actions' && isCalendarLine(item)) continue;
        push(item, b, section.kind);
      }
      previousWasItems = b.type === 'list';
      continue;
    }
    previousWasItems = false;
    const units = b.type === 'list' ? b.items ?? [b.text] : splitSentences(b.text);
    for (const unit of units) if (matchesCue(unit, ref)) push(unit, b, null);
  }
  return out;
}

// --- compiled vocabulary -------------------------------------------------

const words = (cues: readonly string[]): RegExp => new RegExp(`(?:^|[^a-z0-9])(?:${cues.map(escape).join('|')})s?(?![a-z0-9])`);
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const MINUTES_RE = words(MINUTES_CUES);
const MEETING_RES = MEETING_CUES.map((m) => ({ meeting: m.meeting, re: words(m.cues.map((c) => c.trim())) }));
const SECTION_RES = SECTION_CUES.map((s) => ({ kind: s.kind, re: words(s.cues) }));
const SENTENCE_RES = SENTENCE_CUES.map((c) => ({ ...c, re: new RegExp(c.pattern) }));
const NOT_DECISION_RES = NOT_DECISION_CUES.map((p) => new RegExp(p));
const DEADLINE_RE = new RegExp(`^(?:${DEADLINE_MARKERS.map(escape).join('|')})\\b`);
const DEADLINE_BEFORE_RE = new RegExp(`(?:${DEADLINE_MARKERS.map(escape).join('|')})\\s*(?:le|la|l'|du|de)?\\s*$`);
const CIVILITY = `(?:${CIVILITIES.map((c) => `${c[0]!.toUpperCase()}${escape(c.slice(1))}|${escape(c)}`).join('|')})\\.?`;
const NAME_WORD = "[A-ZÀ-Ý][\\p{L}'’-]+";
const PERSON = `(?:(?:le|la|les|l')\\s*)?${CIVILITY}\\s+(?:${NAME_WORD}|[A-Z]\\.)(?:\\s+${NAME_WORD}){0,2}`;
const ROLE = `(?:(?:le|la|les|l'|[Cc]haque)\\s*)?(?:${ROLES.map(escape).join('|')})(?![\\p{L}])(?:\\s+(?:(?:de la|du|des)\\s+|de l'\\s*)[\\p{L}-]+(?:\\s+\\d+)?)?`;
const ACRONYM = '(?:l\')?[A-Z]{2,6}(?![\\p{L}])';
const OWNER = `(?:${PERSON}|${ROLE}|${ACRONYM})`;
const OWNER_ALONE_RE = new RegExp(`^(?:${OWNER}|(?:${ROLES.map(escape).join('|')}))$`, 'u');
const NEXT_MEETING_RE = words(NEXT_MEETING_CUES);
const OWNER_LIST_RE = new RegExp(`^\\s*(${OWNER}(?:\\s*(?:,|et|/)\\s*${OWNER})*)`, 'u');
const ASSIGNMENT_RE = new RegExp(`(?:^|\\s)(?:${ASSIGNMENT_CUES.map(escape).join('|')})\\s+(?=${OWNER})`, 'giu');
/** A subject about to act: "Mme Vasseur informera", "la coordinatrice prépare", "X relancera". */
const SUBJECT_RE = new RegExp(`^(?:Le |La )?(${OWNER}(?:\\s*(?:,|et)\\s*${OWNER})*)(?:\\s*\\([^)]*\\))?\\s+(?:se charge|s'engage|va|doit|doivent|prépare|transmet|envoie|adresse|rédige|organise|contacte|relance|sollicite|[\\p{Ll}]+(?:era|ira|dra|ra|eront|iront|dront|ront))(?![\\p{L}])`, 'u');
const FICHE_RE = /\b(?:fa|fiches?(?: actions?)?)\s*(?:n°|no|numero|n)?\s*(\d{1,2}(?:\s*(?:,|et)\s*\d{1,2})*)\b/g;
const ENUMERATOR_RE = /(?:^|\s)(?:([a-z])?(\d{1,2})[.)]|([a-z])\))\s+(?=\S)/gi;

export function isMinutes(record: Pick<DocumentRecord, 'kind' | 'title' | 'source'>): boolean {
  return record.kind === 'compte-rendu' || MINUTES_RE.test(foldForMatch(`${record.title} ${record.source.replace(/[-_]/g, ' ')}`));
}

/** The body a text names first (COPIL, COTECH…), null if none. */
export function meetingOf(text: string): string | null {
  const folded = foldForMatch(text);
  // The earliest mention, the longest at one place: "commission spécialisée en santé mentale" is the CTS's, not a working group.
  let best: { meeting: string; at: number; length: number } | null = null;
  for (const { meeting, re } of MEETING_RES) {
    const m = re.exec(folded);
    if (m && (!best || m.index < best.at || (m.index === best.at && m[0].length > best.length))) best = { meeting, at: m.index, length: m[0].length };
  }
  return best?.meeting ?? null;
}

type Kind = SectionKind | 'skip';

function sectionKind(heading: string): Kind {
  const folded = foldForMatch(heading).replace(/^[\s\d.)ivx-]+/, '');
  if (/^(participants|presents|excuses|absents|ordre du jour|propositions)/.test(folded)) return 'skip';
  for (const { kind, re } of SECTION_RES) if (re.test(folded)) return kind === 'proposals' ? 'skip' : kind;
  return 'other';
}

/** Headings, and the one-line lists some loaders make of plain-text headings ("4. DÉCISIONS"). */
function headingText(b: Block): string | null {
  if (b.type === 'heading') return b.text;
  if (b.type === 'list' && b.items?.length === 1) {
    const t = b.items[0]!.trim();
    if (t.length <= 80 && !/[.;:,]$/.test(t) && t === t.toUpperCase() && /\p{L}/u.test(t)) return t;
  }
  return null;
}

function matchesCue(text: string, ref: string | undefined): boolean {
  const folded = foldForMatch(text);
  if (NOT_DECISION_RES.some((re) => re.test(folded))) return false;
  if (SENTENCE_RES.some((c) => c.re.test(folded))) return true;
  // "Mme Roussel relancera la MDPH avant fin mars": someone, a task, a deadline.
  return SUBJECT_RE.test(text.trim()) && readDue(text, ref, false).dueText !== null;
}

function cueOf(text: string): { kind: 'décision' | 'action' | null; postpones: boolean } {
  const folded = foldForMatch(text);
  const hits = SENTENCE_RES.filter((c) => c.re.test(folded));
  return { kind: hits.find((c) => c.kind === 'action')?.kind ?? hits[0]?.kind ?? null, postpones: hits.some((c) => c.postpones) };
}

// --- items ----------------------------------------------------------------

function cleanItem(text: string): string {
  return text.replace(/\*\*|__/g, '').replace(/^\s*(?:[-•–*]|[a-z]?\d{1,2}[.)]|[a-z]\))\s*/i, '').replace(/\s+/g, ' ').trim();
}

function startsEnumerated(text: string): boolean {
  return /^\s*(?:[-•–*]|[a-z]?\d{1,2}[.)]|[a-z]\))\s/i.test(text);
}

/** "D1. … D2. … D3. …" in one paragraph → the items, when the numbers follow each other. */
function splitEnumerated(text: string): string[] {
  const marks = [...text.matchAll(ENUMERATOR_RE)].map((m) => ({ at: m.index! + (m[0].startsWith(' ') ? 1 : 0), n: m[2] ? Number(m[2]) : (m[3]!.toLowerCase().charCodeAt(0) - 96) }));
  const chain: typeof marks = [];
  for (const m of marks) if (m.n === chain.length + 1) chain.push(m);
  if (chain.length < 2) return [text];
  const items = chain.map((m, i) => text.slice(m.at, chain[i + 1]?.at ?? text.length).trim());
  const lead = text.slice(0, chain[0]!.at).trim();
  return lead.length > 20 ? [lead, ...items] : items;
}

/** "COTECH : mardi 16 septembre 2025 à 9 h 30": a date in the calendar, not a task. */
function isCalendarLine(item: string): boolean {
  const head = item.split(/\s*:\s*/)[0]!;
  return meetingOf(head) !== null && head.split(/\s+/).length <= 4;
}

interface ItemRead { who: string[]; due: string | null; dueText: string | null; postpones: boolean; cueKind: 'décision' | 'action' | null }

function readItem(text: string, ref: string | undefined, isAction: boolean): ItemRead {
  const cue = cueOf(text);
  const sentences = splitSentences(text);
  // Owner and deadline of one sentence: "X interviendra en septembre. La convention sera signée avant juin." has no owner for June.
  for (const s of sentences) {
    const d = readDue(s, ref, isAction && sentences.length === 1);
    // The deadline's own sentence names no one: an assignment elsewhere in the item does ("rédigé par X. Signature avant juin.").
    if (d.dueText) return { who: orElse(ownersIn(s), () => ownersIn(text, false, false)), ...d, postpones: cue.postpones, cueKind: cue.kind };
  }
  const d = isAction ? readDue(text, ref, true) : { due: null, dueText: null };
  return { who: ownersIn(sentences.length === 1 ? text : sentences[0]!, isAction), ...d, postpones: cue.postpones, cueKind: cue.kind };
}

function orElse<T>(list: T[], fallback: () => T[]): T[] {
  return list.length ? list : fallback();
}

function mergeRead(last: DecisionEntry, merged: string, ref: string | undefined, isAction: boolean): Partial<DecisionEntry> {
  const read = readItem(merged, ref, isAction);
  return {
    decision: merged,
    who: last.who.length ? last.who : read.who,
    due: last.due ?? read.due,
    dueText: last.dueText ?? read.dueText,
    fiches: [...new Set([...last.fiches, ...fichesIn(merged)])],
    postponed: last.postponed || read.postpones,
  };
}

/** The deadline of a sentence: a date after "avant", "d'ici", "au plus tard"…; any date at all when `anyDate` (an action's cell). */
function readDue(text: string, ref: string | undefined, anyDate: boolean): { due: string | null; dueText: string | null } {
  let mentions;
  try {
    mentions = findDateExpressions(text, ref);
  } catch {
    return { due: null, dueText: null };
  }
  const usable = mentions.filter((m) => dueDate(m.parsed) !== null);
  const marked = usable.find((m) => DEADLINE_RE.test(foldForMatch(m.text)) || DEADLINE_BEFORE_RE.test(foldForMatch(text.slice(Math.max(0, m.index - 24), m.index))));
  const pick = marked ?? (anyDate ? usable.find((m) => !/^(?:a partir|a compter|depuis|des le)/.test(foldForMatch(text.slice(Math.max(0, m.index - 14), m.index)).trim())) ?? usable[0] : undefined);
  return pick ? { due: dueDate(pick.parsed), dueText: pick.text } : { due: null, dueText: null };
}

/** Who is to act: "(coordinatrice)", "par le Dr Haddad et le commandant Arnaud", "confiée au groupe de travail", "Mme Vasseur informera". */
export function ownersIn(text: string, trailingParen = true, subjects = true): string[] {
  const found: string[] = [];
  const paren = trailingParen ? /\(([^()]+)\)\s*[.;]?\s*$/.exec(text) : null;
  if (paren) {
    for (const part of paren[1]!.split(/\s*(?:,|;|\bet\b)\s*/)) {
      const p = part.trim();
      if (!p || /\d/.test(p) || findDateExpressions(p).length) continue;
      if (!OWNER_ALONE_RE.test(p) && !OWNER_ALONE_RE.test(foldForMatch(p))) continue;
      found.push(p);
    }
    if (found.length) return dedupe(found);
  }
  // "Plénière du 27 novembre : chaque pilote prépare…": the subject may follow a label.
  const subject = subjects ? SUBJECT_RE.exec(text.trim()) ?? SUBJECT_RE.exec(text.replace(/^[^:]{1,60}:\s*/, '')) : null;
  if (subject) found.push(...splitOwners(subject[1]!));
  for (const m of text.matchAll(ASSIGNMENT_RE)) {
    const list = OWNER_LIST_RE.exec(text.slice(m.index! + m[0].length));
    if (list) found.push(...splitOwners(list[1]!));
  }
  return dedupe(found);
}

/** "le Dr Haddad" is "Dr Haddad" for the pilot directory; "la coordinatrice" keeps its article. */
const ARTICLE_BEFORE_CIVILITY_RE = new RegExp(`^(?:le|la|les|l')\\s*(?=${CIVILITY}\\s)`, 'u');

function splitOwners(list: string): string[] {
  return list.split(/\s*(?:,|\bet\b|\/)\s*/u)
    .map((s) => s.trim().replace(/^aux?\s+/i, '').replace(ARTICLE_BEFORE_CIVILITY_RE, ''))
    .filter((s) => s.length > 1);
}

function dedupe(list: string[]): string[] {
  const seen = new Set<string>();
  return list.filter((x) => {
    const k = foldForMatch(x).replace(/^(le|la|les|l')\s*/, '');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Fiche numbers named: "FA 4", "fiche 15", "fiches 8, 11, 13 et 15", "fiche action n° 17". */
export function fichesIn(text: string): number[] {
  const out = new Set<number>();
  for (const m of foldForMatch(text).matchAll(FICHE_RE)) for (const n of m[1]!.split(/\s*(?:,|et)\s*/)) if (n) out.add(Number(n));
  return [...out];
}

function uniqueFiche(blocks: readonly Block[]): number[] {
  const all = new Set(blocks.flatMap((b) => fichesIn(b.text)));
  return all.size === 1 ? [...all] : [];
}

// --- tables ---------------------------------------------------------------

interface TableRow { what: string; who: string[]; dueText: string | null; decisionTable: boolean }

/** Rows of a table of decisions or actions, read by their column headings (Action | Responsable | Échéance). */
function tableEntries(b: Block): TableRow[] {
  const rows = b.rows ?? [];
  if (rows.length < 2) return [];
  const header = rows[0]!.map((c) => foldForMatch(c).trim());
  const col = (names: readonly string[]): number => header.findIndex((h) => names.some((n) => h === n || h.startsWith(`${n} `) || h.startsWith(n)));
  const who = col(TABLE_COLUMNS.who);
  const due = col(TABLE_COLUMNS.due);
  let what = col(TABLE_COLUMNS.what);
  // A table with neither owner nor deadline is a relevé only when a column says "Décision".
  if (who < 0 && due < 0 && !header.some((h) => h.startsWith('decision'))) return [];
  if (who < 0 && due < 0) what = header.findIndex((h) => h.startsWith('decision'));
  if (what < 0) what = header.findIndex((_, i) => i !== who && i !== due);
  return rows.slice(1).map((r) => ({
    what: (r[what] ?? '').trim(),
    who: who >= 0 ? splitOwners(r[who] ?? '').filter((s) => !/^[-–—?]$/.test(s)) : [],
    dueText: due >= 0 && (r[due] ?? '').trim() ? (r[due] ?? '').trim() : null,
    decisionTable: header[what]?.startsWith('decision') ?? false,
  }));
}
