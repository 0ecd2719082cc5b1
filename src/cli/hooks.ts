import { listFiches, syncRegistry } from '../fiches/registry.js';
import type { IndexReport } from '../ingestion/indexer.js';
import { syncMilestones } from '../milestones/index.js';
import { readSnapshot } from '../search/snapshot.js';
import { databasePath, openDatabase } from '../storage/sqlite.js';
import type { CommandContext } from './context.js';

/**
 * What runs after each indexing: the fiche registry and the milestones are
 * brought in sync with the new snapshot (a moved date moves its reminders, a
 * deleted fiche cancels them). Returns a summary line.
 */
export async function afterIndex(ctx: CommandContext, report: IndexReport): Promise<{ summary?: string; fiches?: number; milestones?: number }> {
  if (!report.generation) return {};
  const snap = readSnapshot(ctx.config.dataDir);
  const db = openDatabase(databasePath(ctx.config.dataDir));
  try {
    const now = new Date().toISOString();
    const reg = syncRegistry(db, snap, now);
    const fiches = listFiches(db);
    syncMilestones(db, fiches, now);
    const count = fiches.reduce((n, f) => n + f.milestones.length, 0);
    return {
      summary: `Fiches actions : ${reg.total} (${reg.added} nouvelles, ${reg.updated} modifiées, ${reg.removed} retirées) — ${count} jalons suivis.`,
      fiches: reg.total,
      milestones: count,
    };
  } finally {
    db.close();
  }
}
