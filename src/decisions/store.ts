import { Fiche } from '../core/fiche.js';
import type { SnapshotView } from '../search/snapshot.js';
import { ensureSchema, type SqliteDb } from '../storage/sqlite.js';
import { extractDecisions, isMinutes } from './extract.js';
import type { DecisionEntry } from './types.js';

/**
 * The decisions register: entries read from the minutes of the current
 * snapshot, kept in SQLite beside the fiche registry. Derived data: each sync
 * replaces the entries of the index, so a corrected compte rendu corrects the
 * register and a removed one leaves it.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS decision_register (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  meeting TEXT NOT NULL,
  date TEXT,
  source TEXT NOT NULL,
  json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decision_register_meeting ON decision_register(meeting, date);
CREATE TABLE IF NOT EXISTS decision_fiches (
  decision_id TEXT NOT NULL REFERENCES decision_register(id) ON DELETE CASCADE,
  fiche_number INTEGER NOT NULL,
  PRIMARY KEY (decision_id, fiche_number)
);
`;

export function ensureDecisionSchema(db: SqliteDb): void {
  ensureSchema(db, 'decisions', SCHEMA);
}

export interface DecisionSyncReport {
  total: number;
  meetings: number;
  actions: number;
  /** Minutes that could not be read: named, skipped, the rest of the register is kept. */
  errors: Array<{ source: string; message: string }>;
}

/** Re-reads every compte rendu of the snapshot and replaces the register with what they say. */
export function syncDecisions(db: SqliteDb, snapshot: Pick<SnapshotView, 'manifest' | 'blocks'> | null, now: string): DecisionSyncReport {
  ensureDecisionSchema(db);
  const entries: DecisionEntry[] = [];
  const errors: DecisionSyncReport['errors'] = [];
  for (const record of snapshot?.manifest.documents ?? []) {
    // Blocks are read from disk: only the minutes' are worth reading.
    if (!isMinutes(record)) continue;
    const blocks = snapshot!.blocks.get(record.id);
    if (!blocks?.length) continue;
    try {
      entries.push(...extractDecisions({ record, blocks }));
    } catch (e) {
      errors.push({ source: record.source, message: `Relevé de décisions illisible : ${(e as Error).message}` });
    }
  }
  const insert = db.prepare('INSERT INTO decision_register (id, kind, meeting, date, source, json, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const link = db.prepare('INSERT OR IGNORE INTO decision_fiches (decision_id, fiche_number) VALUES (?, ?)');
  db.transaction(() => {
    db.prepare('DELETE FROM decision_fiches').run();
    db.prepare('DELETE FROM decision_register').run();
    for (const e of entries) {
      insert.run(e.id, e.kind, e.meeting, e.date, e.source, JSON.stringify(e), now);
      for (const n of e.fiches) link.run(e.id, n);
    }
  })();
  return { total: entries.length, meetings: new Set(entries.map((e) => e.source)).size, actions: entries.filter((e) => e.kind === 'action').length, errors };
}

export interface DecisionFilter {
  /** COPIL, COTECH, plénière, groupe de travail… (case and accents ignored). */
  meeting?: string;
  /** Meetings on or after this date: "2026", "2026-01", "2026-01-15". */
  since?: string;
  /** Meetings before this date (exclusive), same forms. */
  until?: string;
  fiche?: number;
  kind?: DecisionEntry['kind'];
}

/** Register entries, in meeting order then in the order of the minutes. */
export function listDecisions(db: SqliteDb, filter: DecisionFilter = {}): DecisionEntry[] {
  ensureDecisionSchema(db);
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.since) { where.push('date >= ?'); args.push(filter.since); }
  if (filter.until) { where.push('date < ?'); args.push(filter.until); }
  if (filter.kind) { where.push('kind = ?'); args.push(filter.kind); }
  if (filter.fiche !== undefined) { where.push('id IN (SELECT decision_id FROM decision_fiches WHERE fiche_number = ?)'); args.push(filter.fiche); }
  const rows = db.prepare(`SELECT json FROM decision_register ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY date IS NULL, date, source, rowid`)
    .all(...args) as Array<{ json: string }>;
  let out = rows.map((r) => JSON.parse(r.json) as DecisionEntry);
  if (filter.meeting) {
    const wanted = fold(filter.meeting);
    out = out.filter((e) => fold(e.meeting) === wanted || fold(e.meeting).startsWith(wanted));
  }
  return out;
}

/** The meetings the register holds minutes of: one per document. */
export function listMeetings(db: SqliteDb): Array<{ meeting: string; meetingTitle: string; date: string | null; source: string; entries: number }> {
  const byDoc = new Map<string, { meeting: string; meetingTitle: string; date: string | null; source: string; entries: number }>();
  for (const e of listDecisions(db)) {
    const m = byDoc.get(e.source) ?? { meeting: e.meeting, meetingTitle: e.meetingTitle, date: e.date, source: e.source, entries: 0 };
    m.entries++;
    byDoc.set(e.source, m);
  }
  return [...byDoc.values()];
}

const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().trim();

/** Prefix of the milestone "fiches" made from action items: never a real fiche id. */
export const ACTION_ID_PREFIX = 'releve-';

/**
 * Action items with an owner and a deadline, shaped as one-milestone fiches
 * so the milestone store, the reminders and the dashboard follow them like a
 * fiche's échéances (the owner is the pilot who gets the nudges).
 */
export function actionItemsAsFiches(db: SqliteDb, now: string): Fiche[] {
  return listDecisions(db, { kind: 'action' }).filter((e) => e.who.length && e.due).map((e) => Fiche.parse({
    id: `${ACTION_ID_PREFIX}${e.id}`,
    number: e.fiches.length === 1 ? e.fiches[0] : null,
    title: `${e.meeting === 'réunion' ? 'Réunion' : e.meeting} du ${e.date ?? 'date inconnue'} — suite à donner`,
    pilots: e.who.map((name) => ({ name })),
    milestones: [{ label: e.decision.length > 140 ? `${e.decision.slice(0, 139)}…` : e.decision, dueText: e.dueText ?? '', due: e.due, precision: 'day' }],
    status: 'en cours',
    updatedAt: now,
    source: { path: e.source, title: e.title, page: e.page },
  }));
}
