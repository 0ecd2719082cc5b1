import crypto from 'node:crypto';
import { PtsmError } from '../core/errors.js';
import { Fiche } from '../core/fiche.js';
import type { DocumentRecord } from '../core/types.js';
import type { SnapshotView } from '../search/snapshot.js';
import { ensureSchema, type SqliteDb } from '../storage/sqlite.js';
import { analyze } from '../text/french.js';
import { parseFichesInDocument } from './parse/fiche-parser.js';

/**
 * The fiche registry: every fiche action the knowledge base holds, parsed
 * into `Fiche` and kept in SQLite so the answering service, the milestone
 * reminders and the renderers read one structured copy.
 *
 * Two origins live side by side: fiches parsed from indexed documents
 * (re-synced after each index, removed when their document leaves it) and
 * fiches saved by a coordinator (validated drafts, edits), which no sync
 * ever overwrites or removes.
 */

export interface SyncReport { added: number; updated: number; removed: number; total: number }

type Origin = 'document' | 'saved';

interface Row {
  id: string;
  number: number | null;
  title: string;
  status: string;
  origin: Origin;
  source_path: string | null;
  doc_id: string | null;
  content_hash: string;
  json: string;
  updated_at: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS fiche_registry (
  id TEXT PRIMARY KEY,
  number INTEGER,
  title TEXT NOT NULL,
  status TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('document', 'saved')),
  source_path TEXT,
  doc_id TEXT,
  content_hash TEXT NOT NULL,
  json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fiche_registry_number ON fiche_registry(number);
CREATE INDEX IF NOT EXISTS fiche_registry_source ON fiche_registry(source_path);
`;

export function ensureFicheSchema(db: SqliteDb): void {
  ensureSchema(db, 'fiches', SCHEMA);
}

/** Kinds of documents fiches are read from: fiche files, and the fiche annexes of PTSM documents. */
const FICHE_KINDS = new Set<DocumentRecord['kind']>(['fiche', 'ptsm']);

/**
 * Re-parses the fiches of the current snapshot and brings the registry in
 * line: new fiches added, changed ones updated (their `updatedAt` set to
 * `now`), fiches whose document left the index removed. Saved fiches stay.
 */
export function syncRegistry(db: SqliteDb, snapshot: Pick<SnapshotView, 'manifest' | 'blocks'> | null, now: string): SyncReport {
  ensureFicheSchema(db);
  const parsed = snapshot ? parseSnapshot(snapshot, now) : new Map<string, Parsed>();
  const existing = new Map((db.prepare('SELECT * FROM fiche_registry').all() as Row[]).map((r) => [r.id, r]));
  const report: SyncReport = { added: 0, updated: 0, removed: 0, total: 0 };

  const insert = db.prepare(`INSERT INTO fiche_registry (id, number, title, status, origin, source_path, doc_id, content_hash, json, updated_at)
    VALUES (@id, @number, @title, @status, 'document', @source_path, @doc_id, @content_hash, @json, @updated_at)
    ON CONFLICT(id) DO UPDATE SET number = excluded.number, title = excluded.title, status = excluded.status, origin = 'document',
      source_path = excluded.source_path, doc_id = excluded.doc_id, content_hash = excluded.content_hash, json = excluded.json, updated_at = excluded.updated_at`);
  const remove = db.prepare('DELETE FROM fiche_registry WHERE id = ?');

  db.transaction(() => {
    for (const [id, p] of parsed) {
      const row = existing.get(id);
      if (row?.origin === 'saved') continue; // a coordinator's version wins over the document
      const hash = contentHash(p.fiche);
      if (row && row.content_hash === hash && row.doc_id === p.docId) continue;
      const fiche = Fiche.parse({ ...p.fiche, updatedAt: now });
      insert.run(toRow(fiche, p.docId, hash));
      if (row) report.updated++;
      else report.added++;
    }
    for (const row of existing.values()) {
      if (row.origin === 'document' && !parsed.has(row.id)) {
        remove.run(row.id);
        report.removed++;
      }
    }
  })();
  report.total = (db.prepare('SELECT COUNT(*) AS n FROM fiche_registry').get() as { n: number }).n;
  return report;
}

interface Parsed { fiche: Fiche; docId: string; kind: DocumentRecord['kind']; date: string | null; source: string }

function parseSnapshot(snapshot: Pick<SnapshotView, 'manifest' | 'blocks'>, now: string): Map<string, Parsed> {
  const out = new Map<string, Parsed>();
  for (const record of snapshot.manifest.documents) {
    if (!FICHE_KINDS.has(record.kind)) continue;
    const blocks = snapshot.blocks.get(record.id);
    if (!blocks?.length) continue;
    for (const fiche of parseFichesInDocument({ record, blocks }, { now })) {
      const candidate: Parsed = { fiche, docId: record.id, kind: record.kind, date: record.date, source: record.source };
      const prev = out.get(fiche.id);
      if (!prev || prefer(candidate, prev)) out.set(fiche.id, candidate);
    }
  }
  return out;
}

/**
 * Two documents give the same fiche (its own file and the PTSM annex, or two
 * versions): the fiche file wins, then the more recent document, then the
 * fuller fiche; the path decides last so every sync picks the same one.
 */
function prefer(a: Parsed, b: Parsed): boolean {
  if (a.kind !== b.kind) return a.kind === 'fiche';
  if ((a.date ?? '') !== (b.date ?? '')) return (a.date ?? '') > (b.date ?? '');
  const fa = JSON.stringify(a.fiche).length;
  const fb = JSON.stringify(b.fiche).length;
  if (fa !== fb) return fa > fb;
  return a.source < b.source;
}

/** What changes a fiche, `updatedAt` aside: a re-sync of the same document is not an update. */
function contentHash(fiche: Fiche): string {
  const { updatedAt: _ignored, ...rest } = fiche;
  return crypto.createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

function toRow(fiche: Fiche, docId: string | null, hash: string): Omit<Row, 'origin'> {
  return {
    id: fiche.id,
    number: fiche.number,
    title: fiche.title,
    status: fiche.status,
    source_path: fiche.source?.path ?? null,
    doc_id: docId,
    content_hash: hash,
    json: JSON.stringify(fiche),
    updated_at: fiche.updatedAt,
  };
}

/**
 * Stores a fiche validated or edited by a coordinator. It is kept across
 * syncs, even when no document holds it, and replaces a parsed fiche of the
 * same id.
 */
export function saveFiche(db: SqliteDb, fiche: Fiche): Fiche {
  ensureFicheSchema(db);
  let valid: Fiche;
  try {
    valid = Fiche.parse(fiche);
  } catch (cause) {
    throw new PtsmError('USAGE', `Fiche invalide, non enregistrée : ${describeZod(cause)}`, { input: String((fiche as { id?: unknown }).id ?? ''), cause });
  }
  db.prepare(`INSERT INTO fiche_registry (id, number, title, status, origin, source_path, doc_id, content_hash, json, updated_at)
    VALUES (@id, @number, @title, @status, 'saved', @source_path, NULL, @content_hash, @json, @updated_at)
    ON CONFLICT(id) DO UPDATE SET number = excluded.number, title = excluded.title, status = excluded.status, origin = 'saved',
      source_path = excluded.source_path, doc_id = NULL, content_hash = excluded.content_hash, json = excluded.json, updated_at = excluded.updated_at`)
    .run({ ...toRow(valid, null, contentHash(valid)), doc_id: null });
  return valid;
}

function describeZod(e: unknown): string {
  const issues = (e as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues;
  if (!issues?.length) return (e as Error).message;
  return issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || 'fiche'} (${i.message})`).join(' ; ');
}

/** Every fiche, numbered ones first in number order. */
export function listFiches(db: SqliteDb): Fiche[] {
  ensureFicheSchema(db);
  const rows = db.prepare('SELECT json FROM fiche_registry ORDER BY number IS NULL, number, id').all() as Array<{ json: string }>;
  return rows.map((r) => readFiche(r.json));
}

function readFiche(json: string): Fiche {
  return Fiche.parse(JSON.parse(json));
}

/** "4", "fa-4", "FA4", "FA 4", "fiche 4", "fiche action n° 4", "fa-1.2", or any stored id. */
export function getFiche(db: SqliteDb, idOrNumber: string): Fiche | null {
  ensureFicheSchema(db);
  const raw = idOrNumber.trim();
  if (!raw) return null;
  const byId = db.prepare('SELECT json FROM fiche_registry WHERE id = ? COLLATE NOCASE').get(raw) as { json: string } | undefined;
  if (byId) return readFiche(byId.json);
  const m = /^(?:fa|fiche(?:[\s-]*action)?)?[\s_-]*(?:n\s*[°º]\s*|no\.?\s*|numéro\s*)?(\d{1,3})(?:[.-](\d{1,2}))?$/iu.exec(raw);
  if (!m) return null;
  if (m[2] !== undefined) {
    const compound = db.prepare('SELECT json FROM fiche_registry WHERE id = ? COLLATE NOCASE').get(`fa-${Number(m[1])}.${Number(m[2])}`) as { json: string } | undefined;
    return compound ? readFiche(compound.json) : null;
  }
  const n = Number(m[1]);
  const row = db.prepare(`SELECT json FROM fiche_registry WHERE number = ? ORDER BY (id = ?) DESC, origin = 'saved' DESC, id LIMIT 1`).get(n, `fa-${n}`) as { json: string } | undefined;
  return row ? readFiche(row.json) : null;
}

/** Like `getFiche`, but a missing fiche is an error naming what was asked. */
export function requireFiche(db: SqliteDb, idOrNumber: string): Fiche {
  const f = getFiche(db, idOrNumber);
  if (!f) throw new PtsmError('FICHE_NOT_FOUND', `Fiche introuvable : « ${idOrNumber} ».`, { input: idOrNumber });
  return f;
}

/**
 * Words of a question about a fiche that say which field is asked, not
 * which fiche: "qui pilote la fiche sur la pair-aidance ?" is about
 * pair-aidance.
 */
const FIELD_WORDS = [
  'fiche', 'fiches', 'action', 'actions', 'pilote', 'pilotes', 'piloter', 'pilotage', 'copilote', 'porte', 'porter', 'porteur', 'porteurs',
  'responsable', 'référent', 'partenaire', 'partenaires', 'indicateur', 'indicateurs', 'calendrier', 'échéance', 'échéances', 'échéancier',
  'objectif', 'objectifs', 'public', 'cible', 'budget', 'financement', 'moyens', 'étape', 'étapes', 'statut', 'axe', 'numéro', 'date',
  'concerne', 'parle', 'sujet', 'thème',
];
const FIELD_TERMS = new Set(FIELD_WORDS.flatMap((w) => analyze(w)));

const FIELD_WEIGHTS: ReadonlyArray<[(f: Fiche) => string, number]> = [
  [(f) => f.title, 3],
  [(f) => f.axis ?? '', 1],
  [(f) => f.context ?? '', 1],
  [(f) => [...f.objectives.general, ...f.objectives.operational].join(' '), 0.75],
  [(f) => Object.keys(f.extra).join(' '), 0.25],
];

/**
 * Fiches about the topic of a question, best first. Terms are matched after
 * French analysis (accents, plurals, stems), weighted by where they occur
 * (title first) and by how rare they are among the fiches. A fiche number in
 * the question ("la fiche 4") points to that fiche first.
 */
export function findFiches(db: SqliteDb, query: string): Array<{ fiche: Fiche; score: number }> {
  const fiches = listFiches(db);
  if (!fiches.length) return [];
  const numbered = numberInQuery(query);
  const terms = [...new Set(analyze(query).filter((t) => !FIELD_TERMS.has(t) && !/^\d+$/.test(t)))];
  const docs = fiches.map((f) => FIELD_WEIGHTS.map(([get, w]) => ({ terms: new Set(analyze(get(f))), w })));
  const idf = new Map<string, number>();
  for (const t of terms) {
    const df = docs.filter((fields) => fields.some((x) => x.terms.has(t))).length;
    idf.set(t, Math.log(1 + (fiches.length - df + 0.5) / (df + 0.5)));
  }
  const maxWeight = FIELD_WEIGHTS[0]![1];
  const norm = terms.reduce((n, t) => n + idf.get(t)! * maxWeight, 0);
  const out: Array<{ fiche: Fiche; score: number }> = [];
  fiches.forEach((fiche, i) => {
    let s = 0;
    for (const t of terms) {
      const best = Math.max(0, ...docs[i]!.filter((x) => x.terms.has(t)).map((x) => x.w));
      s += best * idf.get(t)!;
    }
    let score = norm > 0 ? s / norm : 0;
    if (numbered !== null && fiche.number === numbered) score += 1;
    if (score > 0) out.push({ fiche, score: Math.round(score * 1000) / 1000 });
  });
  return out.sort((a, b) => b.score - a.score || (a.fiche.number ?? 1e9) - (b.fiche.number ?? 1e9));
}

/** "la fiche 4", "FA 12", "fiche action n° 3" → the number. */
function numberInQuery(query: string): number | null {
  const m = /\b(?:fiche(?:[\s-]*action)?|fa)\s*(?:n\s*[°º]\s*)?(\d{1,3})\b/iu.exec(query);
  return m ? Number(m[1]) : null;
}
