import type { IndexReport } from '../ingestion/indexer.js';
import type { CommandContext } from './context.js';

/**
 * What runs after each indexing: derived stores (fiche registry, milestones)
 * are brought in sync with the new snapshot. Returns a summary line.
 */
export async function afterIndex(_ctx: CommandContext, _report: IndexReport): Promise<{ summary?: string }> {
  return {};
}
