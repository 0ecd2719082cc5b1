import { syncDecisions, type DecisionSyncReport } from '../decisions/index.js';
import { syncRegistry, type SyncReport } from '../fiches/registry.js';
import type { SnapshotView } from '../search/snapshot.js';
import { ensureSchema, type SqliteDb } from '../storage/sqlite.js';

const DDL = `CREATE TABLE IF NOT EXISTS index_sync (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  generation TEXT NOT NULL,
  synced_at TEXT NOT NULL
);`;

export interface IndexSyncReport { registry: SyncReport; decisions: DecisionSyncReport }

/**
 * The fiche registry and the decisions register are derived from the
 * index: they are re-read from it when its generation changed since they
 * last were (or when `force`), so a server restarting on an index of a
 * whole region does not re-parse every fiche and every set of minutes.
 * Returns null when nothing had to be re-read.
 */
export function syncWithIndex(db: SqliteDb, snapshot: SnapshotView | null, now: string, opts: { force?: boolean } = {}): IndexSyncReport | null {
  ensureSchema(db, 'index_sync', DDL);
  const generation = snapshot?.generation ?? null;
  const last = db.prepare('SELECT generation FROM index_sync WHERE id = 1').pluck().get() as string | undefined;
  if (!opts.force && generation !== null && last === generation) return null;
  const report = { registry: syncRegistry(db, snapshot, now), decisions: syncDecisions(db, snapshot, now) };
  if (generation !== null) {
    db.prepare('INSERT INTO index_sync (id, generation, synced_at) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET generation = excluded.generation, synced_at = excluded.synced_at')
      .run(generation, now);
  }
  return report;
}
