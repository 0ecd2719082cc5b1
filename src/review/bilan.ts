import type { Fiche } from '../core/fiche.js';
import type { Block, DocumentRecord } from '../core/types.js';
import { ACTION_ID_PREFIX, fichesIn, listDecisions, trackedFiches } from '../decisions/index.js';
import { listFiches } from '../fiches/registry.js';
import { splitSentences } from '../ingestion/chunker.js';
import { listMilestones, milestoneHistory, type MilestoneStatus, type MilestoneView } from '../milestones/index.js';
import type { SnapshotView } from '../search/snapshot.js';
import type { SqliteDb } from '../storage/sqlite.js';
import { analyze } from '../text/french.js';

/**
 * The yearly review (bilan annuel) of the PTSM, built from the stores the
 * rest of the product keeps: the fiche registry, the milestones and the
 * pilots' answers to nudges, the decisions register, and the indexed
 * documents of the year for indicator values. No copy of any of them.
 * `ptsm bilan --json` prints this shape: a stable interface.
 */
export interface Bilan {
  year: number;
  generatedAt: string;
  fiches: BilanFiche[];
  axes: AxisSummary[];
  missing: {
    withoutPilot: FicheRef[];
    withoutIndicatorValue: FicheRef[];
    overdueWithoutAnswer: Array<FicheRef & { milestone: string; due: string | null; pilots: string[] }>;
  };
}

export interface FicheRef { ficheId: string; number: number | null; title: string }

export interface BilanFiche extends FicheRef {
  axis: string | null;
  pilots: string[];
  status: string;
  milestones: BilanMilestone[];
  counts: Record<'done' | 'late' | 'postponed' | 'upcoming' | 'abandoned', number>;
  indicators: Array<{ label: string; target: string | null; values: IndicatorValue[] }>;
  decisions: Array<{ id: string; kind: string; meeting: string; date: string | null; decision: string; source: string; page: number | null }>;
}

export interface BilanMilestone {
  id: string;
  label: string;
  dueText: string;
  /** Effective due date (a pilot's postponement included). */
  due: string | null;
  /** Due date as the fiche wrote it. */
  ficheDue: string | null;
  status: MilestoneStatus;
  /** The fiche's date was moved (by the pilot's answer or a changed fiche). */
  postponed: boolean;
  statusReason: string | null;
  /** From the minutes' action items, not from the fiche itself. */
  fromMinutes: boolean;
  /** What the pilots answered to the nudges: done, postponed (to when, why), help asked. */
  answers: Array<{ at: string; by: string; event: string; detail: string }>;
}

export interface IndicatorValue { value: string; quote: string; source: string; page: number | null; date: string | null }

export interface AxisSummary {
  axis: string;
  fiches: number;
  milestones: number;
  done: number;
  late: number;
  postponed: number;
  upcoming: number;
  withIndicatorValue: number;
}

const PILOT_EVENTS = new Set(['fait', 'reporté', 'aide demandée']);
const NO_AXIS = 'Sans axe';

export interface BilanInput {
  db: SqliteDb;
  /** The indexed documents, for indicator values; null when there is no index. */
  snapshot: Pick<SnapshotView, 'manifest' | 'blocks'> | null;
  year: number;
  /** Reference instant for "en retard". */
  now: string;
  /** What the asker may see (src/app/access.ts): a private scope's fiches, minutes and documents stay out of a review built for another channel. */
  visible?: { fiche: (f: Fiche) => boolean; source: (source: string) => boolean };
}

export function buildBilan({ db, snapshot, year, now, visible }: BilanInput): Bilan {
  const y = String(year);
  const inYear = (d: string | null): boolean => d !== null && d.startsWith(y);
  const fiches = listFiches(db).filter((f) => !visible || visible.fiche(f));
  // Action items of minutes are milestones too: one from a minute the asker may not see stays out.
  const visibleIds = visible ? new Set(trackedFiches(db, now).filter(visible.fiche).map((f) => f.id)) : null;
  const allMilestones = listMilestones(db, { now }).filter((m) => !visibleIds || visibleIds.has(m.ficheId));
  const decisions = listDecisions(db, { since: `${y}-01-01`, until: `${year + 1}-01-01` }).filter((d) => !visible || visible.source(d.source));
  const sentences = yearSentences(snapshot, y).filter((s) => !visible || visible.source(s.record.source));

  const rows: BilanFiche[] = fiches.map((f) => {
    const own = allMilestones.filter((m) => (m.ficheId === f.id || (m.ficheId.startsWith(ACTION_ID_PREFIX) && f.number !== null && m.ficheNumber === f.number))
      && (inYear(m.due) || inYear(m.ficheDue)));
    const milestones = own.map((m) => toBilanMilestone(db, m));
    return {
      ficheId: f.id, number: f.number, title: f.title, axis: f.axis, pilots: f.pilots.map((p) => p.name), status: f.status,
      milestones,
      counts: {
        done: milestones.filter((m) => m.status === 'fait').length,
        late: milestones.filter((m) => m.status === 'en retard').length,
        postponed: milestones.filter((m) => m.postponed || m.status === 'reporté').length,
        upcoming: milestones.filter((m) => m.status === 'à venir').length,
        abandoned: milestones.filter((m) => m.status === 'abandonné').length,
      },
      indicators: f.indicators.map((i) => ({ label: i.label, target: i.target, values: indicatorValues(f, i.label, sentences) })),
      decisions: decisions.filter((d) => f.number !== null && d.fiches.includes(f.number))
        .map((d) => ({ id: d.id, kind: d.kind, meeting: d.meeting, date: d.date, decision: d.decision, source: d.source, page: d.page })),
    };
  });

  return { year, generatedAt: now, fiches: rows, axes: summarise(rows), missing: missingOf(rows) };
}

function toBilanMilestone(db: SqliteDb, m: MilestoneView): BilanMilestone {
  const answers = milestoneHistory(db, m.id).filter((h) => PILOT_EVENTS.has(h.event) && h.by !== 'registre').map((h) => ({
    at: h.at, by: h.by, event: h.event,
    detail: [h.detail['texte'] ? `au ${String(h.detail['texte'])}` : h.detail['à'] ? `au ${String(h.detail['à'])}` : null, h.detail['commentaire'] ? String(h.detail['commentaire']) : null]
      .filter(Boolean).join(' — '),
  }));
  return {
    id: m.id, label: m.label, dueText: m.dueText, due: m.due, ficheDue: m.ficheDue, status: m.status,
    postponed: m.storedStatus === 'reporté' || (m.due !== null && m.ficheDue !== null && m.due !== m.ficheDue),
    statusReason: m.statusReason, fromMinutes: m.ficheId.startsWith(ACTION_ID_PREFIX), answers,
  };
}

function summarise(rows: BilanFiche[]): AxisSummary[] {
  const by = new Map<string, AxisSummary>();
  for (const r of rows) {
    const axis = axisKey(r.axis);
    const s = by.get(axis) ?? { axis, fiches: 0, milestones: 0, done: 0, late: 0, postponed: 0, upcoming: 0, withIndicatorValue: 0 };
    s.fiches++;
    s.milestones += r.milestones.length;
    s.done += r.counts.done;
    s.late += r.counts.late;
    s.postponed += r.counts.postponed;
    s.upcoming += r.counts.upcoming;
    if (r.indicators.some((i) => i.values.length)) s.withIndicatorValue++;
    by.set(axis, s);
  }
  return [...by.values()];
}

/** Fiches write their axis in many ways ("Axe 2 — …", "Priorité 2 du décret — axe 2 du PTSM"): grouped by its number. */
function axisKey(axis: string | null): string {
  if (!axis) return NO_AXIS;
  const n = /\baxe\s*(\d+)/i.exec(axis);
  return n ? `Axe ${n[1]}` : axis;
}

function missingOf(rows: BilanFiche[]): Bilan['missing'] {
  const ref = (r: BilanFiche): FicheRef => ({ ficheId: r.ficheId, number: r.number, title: r.title });
  return {
    withoutPilot: rows.filter((r) => !r.pilots.length).map(ref),
    withoutIndicatorValue: rows.filter((r) => !r.indicators.some((i) => i.values.length)).map(ref),
    overdueWithoutAnswer: rows.flatMap((r) => r.milestones.filter((m) => m.status === 'en retard' && !m.answers.length)
      .map((m) => ({ ...ref(r), milestone: m.label, due: m.due, pilots: r.pilots }))),
  };
}

// --- indicator values -----------------------------------------------------

interface YearSentence { text: string; terms: Set<string>; fiches: number[]; record: DocumentRecord; page: number | null }

/** Kinds whose figures are results: a fiche's or the PTSM's own targets are not values. */
const RESULT_KINDS = new Set<DocumentRecord['kind']>(['compte-rendu', 'autre']);

function yearSentences(snapshot: BilanInput['snapshot'], y: string): YearSentence[] {
  if (!snapshot) return [];
  const out: YearSentence[] = [];
  for (const record of snapshot.manifest.documents) {
    if (!RESULT_KINDS.has(record.kind) || !record.date?.startsWith(y)) continue;
    for (const b of snapshot.blocks.get(record.id) ?? []) {
      const blockFiches = fichesIn(b.text);
      for (const text of unitsOf(b)) {
        if (!/\d/.test(text)) continue;
        const own = fichesIn(text);
        out.push({ text, terms: new Set(analyze(text)), fiches: own.length ? own : blockFiches, record, page: b.page });
      }
    }
  }
  return out;
}

function unitsOf(b: Block): string[] {
  if (b.type === 'list') return b.items ?? [b.text];
  if (b.type === 'table') return (b.rows ?? []).map((r) => r.join(' | '));
  return splitSentences(b.text);
}

/** Words of an indicator's label that say what is counted, not that it is counted. */
const GENERIC = new Set(analyze('nombre part taux délai moyen médian cumul depuis par an année annuel de des du la le les en et à au aux dans sur avec pour suivi'));
/** A sentence about a target ("relever la cible de 100 à 120") gives no measured value. */
const TARGET_RE = /\b(cible|objectif de|objectifs? chiffr)/i;
const MONTH_WORDS = new Set(analyze('janvier février mars avril mai juin juillet août septembre octobre novembre décembre h heures ans'));

/**
 * Values of an indicator found in the year's documents: a figure followed by
 * a word of the indicator ("164 secouristes formés" for "Nombre de
 * secouristes PSSM formés"), in a sentence about the fiche (named, or most of
 * the indicator's words present).
 */
function indicatorValues(f: Fiche, label: string, sentences: YearSentence[]): IndicatorValue[] {
  const key = [...new Set(analyze(label).filter((t) => !GENERIC.has(t) && !/^\d+$/.test(t)))];
  if (!key.length) return [];
  const out: IndicatorValue[] = [];
  for (const s of sentences) {
    const cover = key.filter((t) => s.terms.has(t)).length / key.length;
    const aboutFiche = f.number !== null && s.fiches.includes(f.number);
    if (!(aboutFiche ? cover >= 0.5 : cover >= 0.75) || TARGET_RE.test(s.text)) continue;
    const value = figureBefore(s.text, key);
    if (!value) continue;
    out.push({ value, quote: s.text.length > 300 ? `${s.text.slice(0, 299)}…` : s.text, source: s.record.source, page: s.page, date: s.record.date });
  }
  return out;
}

function figureBefore(text: string, key: string[]): string | null {
  for (const m of text.matchAll(/(\d[\d\s\u202f\u00a0]*(?:,\d+)?)\s*(%|[\p{L}'’-]+)/gu)) {
    const digits = m[1]!.trim();
    if (/^(19|20)\d{2}$/.test(digits)) continue;
    const word = m[2]!;
    if (word === '%') continue;
    const stems = analyze(word);
    if (stems.some((t) => MONTH_WORDS.has(t))) continue;
    if (stems.some((t) => key.includes(t))) return `${digits} ${word}`;
  }
  return null;
}
