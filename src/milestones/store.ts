import { PtsmError } from '../core/errors.js';
import type { Fiche, Pilot } from '../core/fiche.js';
import type { SqliteDb } from '../storage/sqlite.js';
import { enqueueAlert } from './ledger.js';
import { addDays, isIsoDate, localDate } from './local-time.js';
import { fold, slugify } from './normalize.js';
import { resolveReportDate, type ParseDate } from './reporter-date.js';
import { ensureMilestoneSchema } from './schema.js';
import { stmt } from './statements.js';

/**
 * Milestones as the reminder feature remembers them: one row per échéance of
 * every fiche, keyed by (fiche id, key derived from the label), with an
 * append-only history. Nothing is ever deleted.
 */
export type StoredStatus = 'à venir' | 'fait' | 'reporté' | 'abandonné';
/** `en retard` is derived: due date passed and not done. */
export type MilestoneStatus = StoredStatus | 'en retard';
export const MILESTONE_STATUSES: readonly MilestoneStatus[] = ['à venir', 'fait', 'reporté', 'en retard', 'abandonné'];

export interface MilestoneView {
  id: string;
  ficheId: string;
  ficheNumber: number | null;
  ficheTitle: string;
  key: string;
  position: number;
  label: string;
  dueText: string;
  /** Effective due date (YYYY-MM-DD): the fiche's, or the pilot's postponement. */
  due: string | null;
  start: string | null;
  precision: string;
  /** Due date as last read from the fiche. */
  ficheDue: string | null;
  remindFrom: string;
  status: MilestoneStatus;
  storedStatus: StoredStatus;
  statusReason: string | null;
  /** Why no nudge can be planned (no date, impossible date), else null. */
  flag: string | null;
  pilots: Pilot[];
  doneAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface HistoryEntry {
  milestoneId: string;
  at: string;
  event: string;
  by: string;
  detail: Record<string, unknown>;
}

interface MilestoneRow {
  id: string; fiche_id: string; key: string; position: number; fiche_number: number | null; fiche_title: string;
  label: string; due_text: string; due: string | null; start: string | null; precision: string; fiche_due: string | null;
  remind_from: string; status: StoredStatus; status_reason: string | null; flag: string | null; pilots_json: string;
  done_at: string | null; created_at: string; updated_at: string;
}

export const DEFAULT_TIMEZONE = 'Europe/Paris';

/** Stable id of a milestone: readable in logs, usable as a button value. */
export function milestoneId(ficheId: string, key: string): string {
  return `${ficheId}#${key}`;
}

/** Derived status: a passed due date on an open milestone is `en retard`. */
export function deriveStatus(stored: StoredStatus, due: string | null, today: string): MilestoneStatus {
  if ((stored === 'à venir' || stored === 'reporté') && due !== null && due < today) return 'en retard';
  return stored;
}

function toView(r: MilestoneRow, today: string): MilestoneView {
  return {
    id: r.id, ficheId: r.fiche_id, ficheNumber: r.fiche_number, ficheTitle: r.fiche_title, key: r.key, position: r.position,
    label: r.label, dueText: r.due_text, due: r.due, start: r.start, precision: r.precision, ficheDue: r.fiche_due,
    remindFrom: r.remind_from, status: deriveStatus(r.status, r.due, today), storedStatus: r.status,
    statusReason: r.status_reason, flag: r.flag, pilots: JSON.parse(r.pilots_json) as Pilot[], doneAt: r.done_at,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

function addHistory(db: SqliteDb, id: string, at: string, event: string, by: string, detail: Record<string, unknown> = {}): void {
  stmt(db, 'INSERT INTO milestone_history (milestone_id, at, event, by, detail_json) VALUES (?, ?, ?, ?, ?)')
    .run(id, at, event, by, JSON.stringify(detail));
}

/** Keys of a fiche's milestones, in order; a repeated label gets "-2", "-3". */
export function milestoneKeys(milestones: Fiche['milestones']): string[] {
  const seen = new Map<string, number>();
  return milestones.map((m, i) => {
    const base = slugify(m.label) || slugify(m.dueText) || `jalon-${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

interface CheckedDates { due: string | null; start: string | null; flag: string | null }

/** Keeps only real calendar dates; says why a milestone cannot be reminded. */
function checkDates(m: Fiche['milestones'][number]): CheckedDates {
  const start = isIsoDate(m.start) ? m.start : null;
  if (m.due === null || m.due === undefined || m.due === '') {
    return { due: null, start, flag: `échéance non datée : « ${m.dueText || '(vide)'} »` };
  }
  if (!isIsoDate(m.due)) return { due: null, start, flag: `date impossible : « ${m.due} » (échéance écrite « ${m.dueText} »)` };
  return { due: m.due, start, flag: null };
}

export interface SyncReport {
  created: string[];
  moved: { id: string; from: string | null; to: string | null }[];
  cancelled: { id: string; reason: string }[];
  reactivated: string[];
  /** Milestones kept but without a usable date: no nudge until fixed. */
  flagged: { id: string; flag: string }[];
  unchanged: number;
}

export interface SyncOptions {
  timezone?: string;
  /** Who is syncing, for the history ("registre" by default). */
  by?: string;
  /**
   * `all` (default): the list is the whole registry, so a fiche missing from it
   * was deleted. `listed`: only reconcile the fiches given.
   */
  scope?: 'all' | 'listed';
}

const REASON_FICHE_GONE = 'fiche supprimée du registre';
const REASON_MILESTONE_GONE = 'échéance retirée de la fiche';
const REASON_FICHE_ABANDONED = 'fiche abandonnée';
const REASON_FICHE_DONE = 'fiche réalisée';

/**
 * Upserts every échéance of every fiche. A changed date in the fiche moves the
 * milestone (its reminders follow, as nudge keys carry the date); a vanished
 * milestone or fiche is cancelled (`abandonné`, reason kept), never deleted.
 */
export function syncMilestones(db: SqliteDb, fiches: Fiche[], now: string, opts: SyncOptions = {}): SyncReport {
  ensureMilestoneSchema(db);
  const tz = opts.timezone ?? DEFAULT_TIMEZONE;
  const by = opts.by ?? 'registre';
  const today = localDate(now, tz);
  const report: SyncReport = { created: [], moved: [], cancelled: [], reactivated: [], flagged: [], unchanged: 0 };

  const seenFiches = new Set<string>();
  for (const f of fiches) {
    if (seenFiches.has(f.id)) {
      throw new PtsmError('INPUT_CORRUPT', `Deux fiches portent le même identifiant « ${f.id} » : impossible de savoir laquelle suivre.`, { input: f.id });
    }
    seenFiches.add(f.id);
  }

  const cancel = (row: MilestoneRow, reason: string): void => {
    stmt(db, "UPDATE milestone_items SET status = 'abandonné', status_reason = ?, updated_at = ? WHERE id = ?").run(reason, now, row.id);
    addHistory(db, row.id, now, 'abandonné', by, { raison: reason, statutPrécédent: row.status });
    report.cancelled.push({ id: row.id, reason });
  };

  const run = db.transaction(() => {
    for (const fiche of fiches) {
      const existing = new Map<string, MilestoneRow>();
      for (const r of stmt(db, 'SELECT * FROM milestone_items WHERE fiche_id = ?').all(fiche.id) as MilestoneRow[]) existing.set(r.id, r);
      const milestones = fiche.milestones ?? [];
      const keys = milestoneKeys(milestones);
      const ficheAbandoned = fiche.status === 'abandonnée';
      const ficheDone = fiche.status === 'réalisée';
      const kept = new Set<string>();

      milestones.forEach((m, i) => {
        const key = keys[i]!;
        const id = milestoneId(fiche.id, key);
        kept.add(id);
        const dates = checkDates(m);
        if (dates.flag) report.flagged.push({ id, flag: dates.flag });
        const pilotsJson = JSON.stringify(fiche.pilots ?? []);
        const row = existing.get(id);

        if (!row) {
          const status: StoredStatus = ficheAbandoned ? 'abandonné' : ficheDone ? 'fait' : 'à venir';
          stmt(db, `INSERT INTO milestone_items (id, fiche_id, key, position, fiche_number, fiche_title, label, due_text, due, start,
              precision, fiche_due, remind_from, status, status_reason, flag, pilots_json, done_at, created_at, updated_at)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
            .run(id, fiche.id, key, i, fiche.number ?? null, fiche.title ?? '', m.label, m.dueText, dates.due, dates.start,
              m.precision ?? 'unresolved', dates.due, today, status,
              ficheAbandoned ? REASON_FICHE_ABANDONED : ficheDone ? REASON_FICHE_DONE : null, dates.flag,
              pilotsJson, ficheDone ? now : null, now, now);
          addHistory(db, id, now, 'créé', by, { échéance: m.dueText, date: dates.due });
          report.created.push(id);
          return;
        }

        let status = row.status;
        let reason = row.status_reason;
        let due = row.due;
        let dueText = row.due_text;
        let remindFrom = row.remind_from;
        let doneAt = row.done_at;
        let changed = false;

        // The fiche's date changed: the coordinator's edit wins over an earlier postponement.
        if (dates.due !== row.fiche_due) {
          report.moved.push({ id, from: row.due, to: dates.due });
          addHistory(db, id, now, 'date modifiée', by, { de: row.due, à: dates.due, source: 'fiche', échéance: m.dueText });
          due = dates.due;
          dueText = m.dueText;
          remindFrom = today;
          if (status === 'reporté') status = 'à venir';
          changed = true;
        } else if (status !== 'reporté' && dueText !== m.dueText) {
          dueText = m.dueText;
          changed = true;
        }

        if (ficheDone && (status === 'à venir' || status === 'reporté')) {
          // A fiche marked réalisée closes its open échéances: nobody should be nudged about it.
          addHistory(db, id, now, 'fait', by, { raison: REASON_FICHE_DONE });
          status = 'fait';
          reason = REASON_FICHE_DONE;
          doneAt = now;
          changed = true;
        }
        if (ficheAbandoned && status !== 'abandonné') {
          addHistory(db, id, now, 'abandonné', by, { raison: REASON_FICHE_ABANDONED, statutPrécédent: status });
          report.cancelled.push({ id, reason: REASON_FICHE_ABANDONED });
          status = 'abandonné';
          reason = REASON_FICHE_ABANDONED;
          changed = true;
        } else if (!ficheAbandoned && status === 'abandonné' && reason !== null && SYNC_REASONS.has(reason)) {
          // Back in the registry (or the fiche was revived): reminders resume from today.
          status = row.done_at ? 'fait' : 'à venir';
          reason = null;
          remindFrom = today;
          addHistory(db, id, now, 'réactivé', by, {});
          report.reactivated.push(id);
          changed = true;
        }

        const meta = [fiche.number ?? null, fiche.title ?? '', m.label, dates.start, m.precision ?? 'unresolved', dates.flag, pilotsJson, i];
        const metaBefore = [row.fiche_number, row.fiche_title, row.label, row.start, row.precision, row.flag, row.pilots_json, row.position];
        if (meta.some((v, j) => v !== metaBefore[j])) changed = true;

        if (!changed) {
          report.unchanged++;
          return;
        }
        stmt(db, `UPDATE milestone_items SET fiche_number = ?, fiche_title = ?, label = ?, start = ?, precision = ?, flag = ?,
            pilots_json = ?, position = ?, due = ?, due_text = ?, fiche_due = ?, remind_from = ?, status = ?, status_reason = ?,
            done_at = ?, updated_at = ? WHERE id = ?`)
          .run(...meta, due, dueText, dates.due, remindFrom, status, reason, doneAt, now, id);
      });

      for (const row of existing.values()) {
        if (!kept.has(row.id) && row.status !== 'abandonné') cancel(row, REASON_MILESTONE_GONE);
      }
    }

    if ((opts.scope ?? 'all') === 'all') {
      const gone = stmt(db, "SELECT * FROM milestone_items WHERE status != 'abandonné'").all() as MilestoneRow[];
      for (const row of gone) if (!seenFiches.has(row.fiche_id)) cancel(row, REASON_FICHE_GONE);
    }
  });
  run.immediate();
  return report;
}

/** Cancellations made by sync itself, undone when the fiche or échéance comes back. */
const SYNC_REASONS = new Set([REASON_FICHE_GONE, REASON_MILESTONE_GONE, REASON_FICHE_ABANDONED]);

export type AnswerKind = 'fait' | 'reporter' | 'aide';

export interface PilotAnswer {
  kind: AnswerKind;
  /** New due date, YYYY-MM-DD ("Reporter"). */
  newDue?: string;
  /** New due date in words ("fin septembre 2026"), parsed with the French date parser. */
  newDueText?: string;
  /** Who answered (name or chat id). */
  by: string;
  /** ISO instant of the answer. */
  at: string;
  /** Free text the pilot added ("besoin d'un contact à la MDPH"). */
  comment?: string;
}

export interface AnswerOptions {
  timezone?: string;
  /** Injected for tests; defaults to the project's French date parser. */
  parseDate?: ParseDate;
}

export interface AnswerResult {
  milestone: MilestoneView;
  /** Key of the coordinator alert enqueued ("Besoin d'aide"), when one was. */
  alertKey: string | null;
}

export function getMilestone(db: SqliteDb, id: string, now: string = new Date().toISOString(), timezone = DEFAULT_TIMEZONE): MilestoneView | undefined {
  ensureMilestoneSchema(db);
  const row = stmt(db, 'SELECT * FROM milestone_items WHERE id = ?').get(id) as MilestoneRow | undefined;
  return row ? toView(row, localDate(now, timezone)) : undefined;
}

/**
 * Records a pilot's answer to a nudge. `fait` stops the reminders, `reporter`
 * moves the due date (and so the reminders), `aide` queues an alert to the
 * coordinator (sent by the next tick, once per pilot, milestone and day).
 */
export function recordAnswer(db: SqliteDb, id: string, answer: PilotAnswer, opts: AnswerOptions = {}): AnswerResult {
  ensureMilestoneSchema(db);
  const tz = opts.timezone ?? DEFAULT_TIMEZONE;
  const today = localDate(answer.at, tz);
  const row = stmt(db, 'SELECT * FROM milestone_items WHERE id = ?').get(id) as MilestoneRow | undefined;
  if (!row) throw new PtsmError('INPUT_NOT_FOUND', `Échéance introuvable : « ${id} ». Elle a peut-être été renommée ou retirée de la fiche.`, { input: id });
  if (row.status === 'abandonné' && answer.kind !== 'aide') {
    throw new PtsmError('USAGE', `L'échéance « ${row.label} » (fiche ${row.fiche_id}) a été abandonnée (${row.status_reason ?? 'sans motif'}) : elle n'attend plus de réponse.`, { input: id });
  }
  // A second click on "Fait" (or a channel retrying the event) changes nothing.
  if (answer.kind === 'fait' && row.status === 'fait') return { milestone: toView(row, today), alertKey: null };
  let alertKey: string | null = null;

  const run = db.transaction(() => {
    if (answer.kind === 'fait') {
      stmt(db, "UPDATE milestone_items SET status = 'fait', status_reason = NULL, done_at = ?, updated_at = ? WHERE id = ?").run(answer.at, answer.at, id);
      addHistory(db, id, answer.at, 'fait', answer.by, answer.comment ? { commentaire: answer.comment } : {});
    } else if (answer.kind === 'reporter') {
      const target = resolveReportDate(answer, today, opts.parseDate);
      if (target.due <= today) {
        throw new PtsmError('USAGE', `La nouvelle échéance (${target.due}) n'est pas dans le futur : indiquez une date après aujourd'hui.`, { input: target.text });
      }
      // Reminders restart tomorrow at the earliest: no nudge right after the pilot answered.
      stmt(db, `UPDATE milestone_items SET status = 'reporté', status_reason = NULL, due = ?, due_text = ?, remind_from = ?,
          done_at = NULL, updated_at = ? WHERE id = ?`)
        .run(target.due, target.text, addDays(today, 1), answer.at, id);
      addHistory(db, id, answer.at, 'reporté', answer.by, { de: row.due, à: target.due, texte: target.text, ...(answer.comment ? { commentaire: answer.comment } : {}) });
    } else {
      addHistory(db, id, answer.at, 'aide demandée', answer.by, answer.comment ? { commentaire: answer.comment } : {});
      const key = `aide:${id}:${slugify(answer.by)}:${today}`;
      const queued = enqueueAlert(db, {
        key, kind: 'besoin-aide', milestoneId: id,
        payload: { by: answer.by, at: answer.at, comment: answer.comment ?? null },
      }, answer.at);
      if (queued) alertKey = key;
    }
  });
  run.immediate();
  return { milestone: getMilestone(db, id, answer.at, tz)!, alertKey };
}

export interface MilestoneFilter {
  ficheId?: string;
  status?: MilestoneStatus | MilestoneStatus[];
  /** Matches a pilot's name (accents and case ignored) or e-mail. */
  pilot?: string;
  /** Only milestones due on or before / after this date (YYYY-MM-DD). */
  dueBefore?: string;
  dueAfter?: string;
  /** Reference instant for `en retard` (default: now). */
  now?: string;
  timezone?: string;
}

export function listMilestones(db: SqliteDb, filter: MilestoneFilter = {}): MilestoneView[] {
  ensureMilestoneSchema(db);
  const today = localDate(filter.now ?? new Date().toISOString(), filter.timezone ?? DEFAULT_TIMEZONE);
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.ficheId !== undefined) { where.push('fiche_id = ?'); args.push(filter.ficheId); }
  if (filter.dueBefore !== undefined) { where.push('due IS NOT NULL AND due <= ?'); args.push(filter.dueBefore); }
  if (filter.dueAfter !== undefined) { where.push('due IS NOT NULL AND due >= ?'); args.push(filter.dueAfter); }
  const sql = `SELECT * FROM milestone_items ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY due IS NULL, due, fiche_number IS NULL, fiche_number, fiche_id, position`;
  let views = (db.prepare(sql).all(...args) as MilestoneRow[]).map((r) => toView(r, today));
  if (filter.status !== undefined) {
    const wanted = new Set(Array.isArray(filter.status) ? filter.status : [filter.status]);
    views = views.filter((v) => wanted.has(v.status));
  }
  if (filter.pilot !== undefined) {
    const needle = fold(filter.pilot.trim());
    views = views.filter((v) => v.pilots.some((p) => fold(p.name).includes(needle) || (p.email !== null && fold(p.email) === needle)));
  }
  return views;
}

/** What the scheduler reads of a milestone (a lean row: a tick reads thousands). */
export type RemindableMilestone = Pick<MilestoneView,
  'id' | 'ficheId' | 'ficheNumber' | 'ficheTitle' | 'label' | 'dueText' | 'due' | 'remindFrom' | 'storedStatus' | 'pilots'>;

/** Milestones the scheduler may nudge: open, dated, due no later than `horizon` (or overdue). */
export function listRemindable(db: SqliteDb, horizon: string): RemindableMilestone[] {
  ensureMilestoneSchema(db);
  const rows = stmt(db, `SELECT id, fiche_id, fiche_number, fiche_title, label, due_text, due, remind_from, status, pilots_json
      FROM milestone_items
      WHERE status IN ('à venir', 'reporté') AND due IS NOT NULL AND due <= ?
      ORDER BY due, id`).raw(true).all(horizon) as [string, string, number | null, string, string, string, string, string, StoredStatus, string][];
  // Milestones of one fiche share their pilots: parse each distinct list once.
  const pilots = new Map<string, Pilot[]>();
  return rows.map(([id, ficheId, ficheNumber, ficheTitle, label, dueText, due, remindFrom, storedStatus, pilotsJson]) => {
    let p = pilots.get(pilotsJson);
    if (!p) {
      p = JSON.parse(pilotsJson) as Pilot[];
      pilots.set(pilotsJson, p);
    }
    return { id, ficheId, ficheNumber, ficheTitle, label, dueText, due, remindFrom, storedStatus, pilots: p };
  });
}

export function milestoneHistory(db: SqliteDb, id: string): HistoryEntry[] {
  ensureMilestoneSchema(db);
  const rows = stmt(db, 'SELECT milestone_id, at, event, by, detail_json FROM milestone_history WHERE milestone_id = ? ORDER BY id').all(id) as {
    milestone_id: string; at: string; event: string; by: string; detail_json: string;
  }[];
  return rows.map((r) => ({ milestoneId: r.milestone_id, at: r.at, event: r.event, by: r.by, detail: JSON.parse(r.detail_json) as Record<string, unknown> }));
}
