import crypto from 'node:crypto';
import { FicheDraft } from '../../core/fiche.js';
import type Database from 'better-sqlite3';
import type { SqliteDb } from '../../storage/sqlite.js';

/**
 * What the Slack app must remember across restarts, in the product's SQLite
 * file (tables prefixed `slack_`): threads it answers in, messages already
 * handled (Slack retries events), answers (for 👍/👎), pending drafts (their
 * buttons carry the draft id) and nudges already delivered.
 */
export type DraftStatus = 'brouillon' | 'validation' | 'validée';

export interface DraftRecord {
  id: string;
  channel: string;
  threadTs: string;
  userId: string;
  draft: FicheDraft;
  status: DraftStatus;
  /** ts of the messages that show the draft, in order. */
  messages: string[];
  createdAt: string;
  updatedAt: string;
}

export interface AnswerRecord {
  id: string;
  channel: string;
  threadTs: string;
  messageTs: string | null;
  userId: string;
  question: string;
  answer: string;
}

interface DraftRow {
  id: string; channel: string; thread_ts: string; user_id: string; draft_json: string; status: DraftStatus;
  messages_json: string; created_at: string; updated_at: string;
}

/** Handled-message markers older than this are pruned: Slack stops retrying after minutes. */
const SEEN_RETENTION_DAYS = 7;

export function newId(prefix: string): string {
  return `${prefix}${crypto.randomBytes(8).toString('hex')}`;
}

export class SlackStore {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: SqliteDb, private readonly now: () => Date = () => new Date()) {
    db.pragma('synchronous = NORMAL');
    db.exec(`
      CREATE TABLE IF NOT EXISTS slack_threads (
        channel TEXT NOT NULL, thread_ts TEXT NOT NULL, created_at TEXT NOT NULL,
        PRIMARY KEY (channel, thread_ts));
      CREATE TABLE IF NOT EXISTS slack_seen (
        channel TEXT NOT NULL, ts TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (channel, ts));
      CREATE TABLE IF NOT EXISTS slack_answers (
        id TEXT PRIMARY KEY, channel TEXT NOT NULL, thread_ts TEXT NOT NULL, message_ts TEXT,
        user_id TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS slack_drafts (
        id TEXT PRIMARY KEY, channel TEXT NOT NULL, thread_ts TEXT NOT NULL, user_id TEXT NOT NULL,
        draft_json TEXT NOT NULL, status TEXT NOT NULL, messages_json TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS slack_nudges (
        key TEXT PRIMARY KEY, channel TEXT NOT NULL, ts TEXT NOT NULL, milestone_id TEXT NOT NULL, at TEXT NOT NULL);
    `);
    const cutoff = new Date(this.now().getTime() - SEEN_RETENTION_DAYS * 86_400_000).toISOString();
    db.prepare('DELETE FROM slack_seen WHERE at < ?').run(cutoff);
  }

  /** Prepared once: a burst of events must not re-compile the same SQL each time. */
  private sql(text: string): Database.Statement {
    let st = this.statements.get(text);
    if (!st) { st = this.db.prepare(text); this.statements.set(text, st); }
    return st;
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  /** True the first time a message is seen; false for a retry or a second event about it. */
  markSeen(channel: string, ts: string): boolean {
    return this.sql('INSERT OR IGNORE INTO slack_seen (channel, ts, at) VALUES (?, ?, ?)').run(channel, ts, this.stamp()).changes === 1;
  }

  rememberThread(channel: string, threadTs: string): void {
    this.sql('INSERT OR IGNORE INTO slack_threads (channel, thread_ts, created_at) VALUES (?, ?, ?)').run(channel, threadTs, this.stamp());
  }

  isBotThread(channel: string, threadTs: string): boolean {
    return this.sql('SELECT 1 FROM slack_threads WHERE channel = ? AND thread_ts = ?').get(channel, threadTs) !== undefined;
  }

  saveAnswer(a: Omit<AnswerRecord, 'id' | 'messageTs'>): string {
    const id = newId('a');
    this.sql('INSERT INTO slack_answers (id, channel, thread_ts, message_ts, user_id, question, answer, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?)')
      .run(id, a.channel, a.threadTs, a.userId, a.question, a.answer, this.stamp());
    return id;
  }

  setAnswerMessage(id: string, messageTs: string): void {
    this.sql('UPDATE slack_answers SET message_ts = ? WHERE id = ?').run(messageTs, id);
  }

  getAnswer(id: string): AnswerRecord | null {
    const r = this.sql('SELECT id, channel, thread_ts, message_ts, user_id, question, answer FROM slack_answers WHERE id = ?').get(id) as
      { id: string; channel: string; thread_ts: string; message_ts: string | null; user_id: string; question: string; answer: string } | undefined;
    return r ? { id: r.id, channel: r.channel, threadTs: r.thread_ts, messageTs: r.message_ts, userId: r.user_id, question: r.question, answer: r.answer } : null;
  }

  saveDraft(d: { channel: string; threadTs: string; userId: string; draft: FicheDraft }): string {
    const id = newId('d');
    const at = this.stamp();
    this.sql(`INSERT INTO slack_drafts (id, channel, thread_ts, user_id, draft_json, status, messages_json, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, 'brouillon', '[]', ?, ?)`).run(id, d.channel, d.threadTs, d.userId, JSON.stringify(d.draft), at, at);
    return id;
  }

  getDraft(id: string): DraftRecord | null {
    const r = this.sql('SELECT * FROM slack_drafts WHERE id = ?').get(id) as DraftRow | undefined;
    if (!r) return null;
    return {
      id: r.id, channel: r.channel, threadTs: r.thread_ts, userId: r.user_id,
      draft: FicheDraft.parse(JSON.parse(r.draft_json)), status: r.status,
      messages: JSON.parse(r.messages_json) as string[], createdAt: r.created_at, updatedAt: r.updated_at,
    };
  }

  updateDraft(id: string, draft: FicheDraft): void {
    this.sql('UPDATE slack_drafts SET draft_json = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(draft), this.stamp(), id);
  }

  setDraftMessages(id: string, messages: string[]): void {
    this.sql('UPDATE slack_drafts SET messages_json = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(messages), this.stamp(), id);
  }

  /** Atomic status move: two clicks on "Valider" validate once. */
  moveDraft(id: string, from: DraftStatus, to: DraftStatus): boolean {
    return this.sql('UPDATE slack_drafts SET status = ?, updated_at = ? WHERE id = ? AND status = ?').run(to, this.stamp(), id, from).changes === 1;
  }

  nudgeDelivered(key: string): boolean {
    return this.sql('SELECT 1 FROM slack_nudges WHERE key = ?').get(key) !== undefined;
  }

  recordNudge(key: string, channel: string, ts: string, milestoneId: string): void {
    this.sql('INSERT OR REPLACE INTO slack_nudges (key, channel, ts, milestone_id, at) VALUES (?, ?, ?, ?, ?)').run(key, channel, ts, milestoneId, this.stamp());
  }
}
