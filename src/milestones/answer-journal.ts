import { randomUUID } from 'node:crypto';
import { describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { PostgresDb } from '../storage/postgres.js';
import { ensureSchema, type SqliteDb } from '../storage/sqlite.js';
import { recordAnswer, type PilotAnswer } from './store.js';

/**
 * Pilots' answers (« fait », « reporter ») shared by several replicas of
 * `ptsm serve`. Milestones live in each replica's own SQLite file; the
 * replica that receives a click records it there and appends it to this
 * journal, and every replica applies the others' entries before each
 * reminder pass, so a milestone marked done on one replica is not nudged
 * again by another. « Besoin d'aide » needs no sharing: its alert already
 * goes through the shared delivery ledger.
 */
export interface JournalEntry {
  id: string;
  milestoneId: string;
  /** As recorded: a postponement carries the date it resolved to, never words relative to the day it was said. */
  answer: PilotAnswer;
}

export interface AnswerJournal {
  append(entry: JournalEntry): Promise<void>;
  /** Entries after a position of the journal, in order, and the position to ask from next. */
  since(position: number): Promise<{ entries: JournalEntry[]; position: number }>;
}

const PG_DDL = `
CREATE TABLE IF NOT EXISTS pilot_answers (
  position     BIGSERIAL PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  milestone_id TEXT NOT NULL,
  answer_json  TEXT NOT NULL
);`;

export class PostgresAnswerJournal implements AnswerJournal {
  private constructor(private readonly pg: PostgresDb) {}

  static async open(pg: PostgresDb): Promise<PostgresAnswerJournal> {
    await pg.ensureSchema('answer-journal', PG_DDL);
    return new PostgresAnswerJournal(pg);
  }

  async append(entry: JournalEntry): Promise<void> {
    await this.pg.query('INSERT INTO pilot_answers (id, milestone_id, answer_json) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
      [entry.id, entry.milestoneId, JSON.stringify(entry.answer)]);
  }

  async since(position: number): Promise<{ entries: JournalEntry[]; position: number }> {
    const r = await this.pg.query<{ position: string; id: string; milestone_id: string; answer_json: string }>(
      'SELECT position, id, milestone_id, answer_json FROM pilot_answers WHERE position > $1 ORDER BY position', [position]);
    const entries = r.rows.map((row) => ({ id: row.id, milestoneId: row.milestone_id, answer: JSON.parse(row.answer_json) as PilotAnswer }));
    return { entries, position: r.rows.length ? Number(r.rows[r.rows.length - 1]!.position) : position };
  }
}

/** Journal positions re-read behind the last one seen (answers are few: this costs nothing). */
const LOOKBACK = 1000;

const LOCAL_DDL = `
CREATE TABLE IF NOT EXISTS journal_applied (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS journal_position (k INTEGER PRIMARY KEY CHECK (k = 1), position INTEGER NOT NULL);
`;

/**
 * One replica's side of the journal: what it records is appended (and known
 * as applied here), what others recorded is applied once.
 */
export class ReplicaAnswers {
  constructor(private readonly db: SqliteDb, private readonly journal: AnswerJournal, private readonly logger: Logger, private readonly timezone: string) {
    ensureSchema(db, 'answer-journal', LOCAL_DDL);
  }

  /** After this replica recorded an answer in its own file: share it. A failure is logged; the answer stays recorded here. */
  async shared(milestoneId: string, answer: PilotAnswer): Promise<void> {
    if (answer.kind === 'aide') return;
    const id = randomUUID();
    this.db.prepare('INSERT OR IGNORE INTO journal_applied (id) VALUES (?)').run(id);
    try {
      await this.journal.append({ id, milestoneId, answer });
    } catch (e) {
      this.logger.warn('réponse de pilote non partagée avec les autres instances', { milestoneId, error: describeError(e) });
    }
  }

  /** Before a reminder pass: applies the answers recorded by other replicas. Returns how many were applied. */
  async catchUp(): Promise<number> {
    const from = (this.db.prepare('SELECT position FROM journal_position WHERE k = 1').pluck().get() as number | undefined) ?? 0;
    // Read a little behind the last position: an insert that took its number before a later one but committed
    // after it would otherwise be skipped for good. What was applied already is recognised by its id.
    const { entries, position } = await this.journal.since(Math.max(0, from - LOOKBACK));
    let applied = 0;
    const isApplied = this.db.prepare('SELECT 1 FROM journal_applied WHERE id = ?').pluck();
    for (const e of entries) {
      if (isApplied.get(e.id)) continue;
      try {
        recordAnswer(this.db, e.milestoneId, e.answer, { timezone: this.timezone });
        applied++;
      } catch (err) {
        // A milestone this replica does not know (yet) or no longer has: nothing to apply.
        this.logger.warn('réponse d’une autre instance non appliquée', { milestoneId: e.milestoneId, error: describeError(err) });
      }
      this.db.prepare('INSERT OR IGNORE INTO journal_applied (id) VALUES (?)').run(e.id);
    }
    this.db.prepare('INSERT INTO journal_position (k, position) VALUES (1, ?) ON CONFLICT(k) DO UPDATE SET position = MAX(position, excluded.position)').run(position);
    return applied;
  }
}
