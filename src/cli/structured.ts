import fs from 'node:fs';
import type { StructuredAnswerer } from '../answers/answer-service.js';
import { FicheAnswerer } from '../answers/fiche-answerer.js';
import { syncRegistry } from '../fiches/registry.js';
import type { KnowledgeBase } from '../search/knowledge-base.js';
import { databasePath, openDatabase } from '../storage/sqlite.js';

/**
 * Opens the fiche registry as a structured answerer. The registry is brought
 * in sync with the knowledge base first (cheap: fiches are re-parsed from
 * stored blocks), so a data directory indexed by an older version still works.
 */
export function openStructuredAnswerer(dataDir: string, kb: KnowledgeBase): { answerer: StructuredAnswerer; close: () => void } | null {
  if (!fs.existsSync(dataDir)) return null;
  const db = openDatabase(databasePath(dataDir));
  syncRegistry(db, kb.snapshot, new Date().toISOString());
  return { answerer: new FicheAnswerer(db, kb), close: () => db.close() };
}
