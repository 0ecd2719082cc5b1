import type Database from 'better-sqlite3';
import type { SqliteDb } from '../storage/sqlite.js';

type Statement = Database.Statement<unknown[], unknown>;

const cache = new WeakMap<SqliteDb, Map<string, Statement>>();

/** Prepared statements cached per connection: a tick runs the same few queries thousands of times. */
export function stmt(db: SqliteDb, sql: string): Statement {
  let byDb = cache.get(db);
  if (!byDb) {
    byDb = new Map();
    cache.set(db, byDb);
  }
  let s = byDb.get(sql);
  if (!s) {
    s = db.prepare(sql);
    byDb.set(sql, s);
  }
  return s;
}
