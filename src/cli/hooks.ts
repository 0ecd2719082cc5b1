import { AccessPolicy, describeUnmatched } from '../app/access.js';
import { SCOPES_FILE, loadScopeConfig } from '../app/scopes.js';
import { describeError } from '../core/errors.js';
import { syncWithIndex } from '../app/index-sync.js';
import { trackedFiches } from '../decisions/index.js';
import type { IndexReport } from '../ingestion/indexer.js';
import { syncMilestones } from '../milestones/index.js';
import { readSnapshot } from '../search/snapshot.js';
import { databasePath, openDatabase } from '../storage/sqlite.js';
import type { CommandContext } from './context.js';

/**
 * What runs after each indexing: the fiche registry and the milestones are
 * brought in sync with the new snapshot (a moved date moves its reminders, a
 * deleted fiche cancels them); the decisions register is re-read from the
 * minutes, and its dated action items join the milestones. Returns a summary line.
 */
export async function afterIndex(ctx: CommandContext, report: IndexReport): Promise<{ summary?: string; fiches?: number; milestones?: number; scopeWarnings?: string[] }> {
  if (!report.generation) return {};
  const snap = readSnapshot(ctx.config.dataDir);
  const scopeWarnings = checkScopes(ctx, snap?.manifest.documents ?? []);
  const db = openDatabase(databasePath(ctx.config.dataDir));
  try {
    const now = new Date().toISOString();
    const { registry: reg, decisions } = syncWithIndex(db, snap, now, { force: true })!;
    const tracked = trackedFiches(db, now);
    syncMilestones(db, tracked, now);
    const count = tracked.reduce((n, f) => n + f.milestones.length, 0);
    return {
      summary: `Fiches actions : ${reg.total} (${reg.added} nouvelles, ${reg.updated} modifiées, ${reg.removed} retirées) — ${count} jalons suivis.`
        + `\nRelevés de décisions : ${decisions.meetings} réunions, ${decisions.total} décisions et suites à donner (${decisions.actions} actions).`
        + decisions.errors.map((e) => `\n  ${e.source} : ${e.message}`).join(''),
      fiches: reg.total,
      milestones: count,
      ...(scopeWarnings.length ? { scopeWarnings } : {}),
    };
  } finally {
    db.close();
    snap?.close();
  }
}

/**
 * A scope pattern that matches none of the indexed documents protects nothing
 * (`ptsm serve` refuses to start with one): said at once, naming the rule.
 */
function checkScopes(ctx: CommandContext, documents: ReadonlyArray<{ source: string; absPath: string }>): string[] {
  let warnings: string[];
  try {
    const policy = new AccessPolicy(loadScopeConfig(ctx.config.dataDir), documents, ctx.config.corpusRoot);
    warnings = policy.unmatchedPatterns().map(describeUnmatched);
    if (warnings.length) warnings.unshift(`Périmètres (${SCOPES_FILE}) : des motifs ne correspondent à aucun document indexé (racine du corpus : ${ctx.config.corpusRoot}, PTSM_CORPUS_ROOT) ; ptsm serve refusera de démarrer :`);
  } catch (e) {
    warnings = [`Périmètres : ${describeError(e)}`];
  }
  warnings.forEach((w, i) => ctx.stderr(i ? `  ${w}\n` : `Attention : ${w}\n`));
  return warnings;
}
