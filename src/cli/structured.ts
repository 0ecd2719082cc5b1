import fs from 'node:fs';
import type { StructuredAnswerer } from '../answers/answer-service.js';
import { FicheAnswerer } from '../answers/fiche-answerer.js';
import { DecisionAnswerer } from '../decisions/answerer.js';
import type { KnowledgeBase } from '../search/knowledge-base.js';
import { databasePath, openDatabase } from '../storage/sqlite.js';

/**
 * Opens the fiche registry and the decisions register (kept in sync by
 * `ptsm index`) as structured answerers; none when the data directory has no database yet.
 */
export function openStructuredAnswerer(dataDir: string, kb: KnowledgeBase): { answerer: StructuredAnswerer; decisions: StructuredAnswerer; close: () => void } | null {
  const file = databasePath(dataDir);
  if (!fs.existsSync(file)) return null;
  const db = openDatabase(file);
  return { answerer: new FicheAnswerer(db, kb), decisions: new DecisionAnswerer(db), close: () => db.close() };
}
