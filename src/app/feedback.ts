import { ensureSchema, type SqliteDb } from '../storage/sqlite.js';
import type { FeedbackInput } from './assistant.js';

/** 👍/👎 on answers, kept to tune the answerer and to show the coordinator what fails. */
export function ensureFeedbackSchema(db: SqliteDb): void {
  ensureSchema(db, 'feedback', `CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    ref TEXT
  )`);
}

export function recordFeedback(db: SqliteDb, f: FeedbackInput, at: string): void {
  db.prepare('INSERT INTO feedback (at, platform, user_id, question, answer, rating, ref) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(at, f.user.platform, f.user.id, f.question, f.answer, f.rating, f.ref ?? null);
}

export function listFeedback(db: SqliteDb): Array<{ at: string; platform: string; user_id: string; question: string; rating: string }> {
  return db.prepare('SELECT at, platform, user_id, question, rating FROM feedback ORDER BY id').all() as Array<{ at: string; platform: string; user_id: string; question: string; rating: string }>;
}
