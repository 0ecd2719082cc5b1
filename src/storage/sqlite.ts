import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDb = Database.Database;

/**
 * Opens the product's SQLite file (fiche registry, milestones, nudges,
 * feedback). WAL + busy timeout so two processes (a CLI and `ptsm serve`)
 * can share one file safely.
 */
export function openDatabase(file: string): SqliteDb {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}

/** The database file inside a data directory. */
export function databasePath(dataDir: string): string {
  return path.join(dataDir, 'ptsm.sqlite');
}

const applied = new WeakMap<SqliteDb, Set<string>>();

/**
 * Runs a capability's CREATE … IF NOT EXISTS script once per connection:
 * idempotent, safe with concurrent processes, and free on the hot path.
 */
export function ensureSchema(db: SqliteDb, name: string, ddl: string): void {
  let done = applied.get(db);
  if (!done) applied.set(db, (done = new Set()));
  if (done.has(name)) return;
  db.exec(ddl);
  done.add(name);
}
