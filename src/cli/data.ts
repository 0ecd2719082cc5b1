import fs from 'node:fs';
import { PtsmError } from '../core/errors.js';
import { databasePath, openDatabase, type SqliteDb } from '../storage/sqlite.js';
import type { CommandContext } from './context.js';

/** The data directory's SQLite file (registry, milestones), which `ptsm index` creates. */
export function openDataDb(ctx: CommandContext, what: string): SqliteDb {
  const file = databasePath(ctx.config.dataDir);
  if (!fs.existsSync(file)) {
    throw new PtsmError('INDEX_MISSING', `Aucun ${what} dans ${ctx.config.dataDir} : lancez d'abord « ptsm index <dossier> ».`, { input: file });
  }
  return openDatabase(file);
}
