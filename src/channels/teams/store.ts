import crypto from 'node:crypto';
import { FicheDraft, Fiche } from '../../core/fiche.js';
import { Answer, type ConversationTurn } from '../../core/types.js';
import type { SqliteDb } from '../../storage/sqlite.js';
import { isLegacyReference } from './identity.js';

/**
 * What the Teams app must remember across restarts, in the product's SQLite
 * file (tables prefixed `teams_`): recent exchanges per conversation (follow-up
 * questions, 👍/👎), drafts (their buttons carry the draft id), conversation
 * references (proactive messages need them) and nudges already delivered.
 */
export type DraftStatus = 'brouillon' | 'validation' | 'validée';

export interface DraftRecord {
  id: string;
  conversationId: string;
  draft: FicheDraft;
  status: DraftStatus;
  /** Registry id of the validated fiche. */
  ficheId: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface ExchangeRecord {
  id: number;
  conversationId: string;
  userId: string;
  question: string;
  answer: Answer;
  at: string;
}

/** A conversation the bot can post to later: a channel, a group chat or a 1:1 chat. */
export interface ConversationRecord {
  id: string;
  kind: 'personal' | 'groupChat' | 'channel';
  name: string | null;
  ref: Record<string, unknown>;
  updatedAt: string;
}

/** A person seen by the bot, with what it takes to reach them in a 1:1 chat. */
export interface UserRecord {
  /** AAD object id when Teams gives one, else the Teams user id ("29:…"). */
  key: string;
  teamsId: string;
  aadObjectId: string | null;
  name: string | null;
  tenantId: string | null;
  serviceUrl: string;
  bot: { id: string; name?: string };
  /** Reference of the 1:1 chat with the bot, once it exists. */
  personalRef: Record<string, unknown> | null;
}

/** How many exchanges a conversation keeps: enough for follow-ups and late 👍/👎. */
const KEPT_EXCHANGES = 50;
const EXPORT_RETENTION_MS = 7 * 86_400_000;

export function newDraftId(): string {
  return `d${crypto.randomBytes(8).toString('hex')}`;
}

export class TeamsStore {
  constructor(private readonly db: SqliteDb, private readonly now: () => Date = () => new Date()) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS teams_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL, user_id TEXT NOT NULL,
        question TEXT NOT NULL, answer_json TEXT NOT NULL, at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS teams_history_conversation ON teams_history (conversation_id, id);
      CREATE TABLE IF NOT EXISTS teams_drafts (
        id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, draft_json TEXT NOT NULL, status TEXT NOT NULL,
        fiche_id TEXT, created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS teams_refs (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT, ref_json TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS teams_users (
        key TEXT PRIMARY KEY, teams_id TEXT NOT NULL, aad_object_id TEXT, name TEXT, tenant_id TEXT,
        service_url TEXT NOT NULL, bot_json TEXT NOT NULL, personal_ref_json TEXT, updated_at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS teams_users_teams_id ON teams_users (teams_id);
      CREATE TABLE IF NOT EXISTS teams_exports (
        id TEXT PRIMARY KEY, draft_id TEXT NOT NULL, name TEXT NOT NULL, docx BLOB NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS teams_nudges (
        key TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, activity_id TEXT, milestone_id TEXT NOT NULL, at TEXT NOT NULL);
    `);
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  // ── Exchanges ────────────────────────────────────────────────────────────

  addExchange(conversationId: string, userId: string, question: string, answer: Answer): number {
    const id = Number(this.db.prepare('INSERT INTO teams_history (conversation_id, user_id, question, answer_json, at) VALUES (?, ?, ?, ?, ?)')
      .run(conversationId, userId, question, JSON.stringify(answer), this.stamp()).lastInsertRowid);
    this.db.prepare(`DELETE FROM teams_history WHERE conversation_id = ? AND id NOT IN
        (SELECT id FROM teams_history WHERE conversation_id = ? ORDER BY id DESC LIMIT ?)`).run(conversationId, conversationId, KEPT_EXCHANGES);
    return id;
  }

  getExchange(id: number): ExchangeRecord | null {
    const row = this.db.prepare('SELECT * FROM teams_history WHERE id = ?').get(id) as HistoryRow | undefined;
    return row ? toExchange(row) : null;
  }

  /** The last exchanges of a conversation, oldest first, as turns for the answerer. */
  history(conversationId: string, maxExchanges: number, since: Date): ConversationTurn[] {
    const rows = this.db.prepare('SELECT * FROM teams_history WHERE conversation_id = ? AND at >= ? ORDER BY id DESC LIMIT ?')
      .all(conversationId, since.toISOString(), maxExchanges) as HistoryRow[];
    return rows.reverse().flatMap((r) => [
      { role: 'user' as const, content: r.question },
      { role: 'assistant' as const, content: toExchange(r).answer.answer },
    ]);
  }

  // ── Drafts ───────────────────────────────────────────────────────────────

  saveDraft(conversationId: string, draft: FicheDraft, createdBy: string): DraftRecord {
    const id = newDraftId();
    const at = this.stamp();
    this.db.prepare(`INSERT INTO teams_drafts (id, conversation_id, draft_json, status, fiche_id, created_by, created_at, updated_at)
        VALUES (?, ?, ?, 'brouillon', NULL, ?, ?, ?)`).run(id, conversationId, JSON.stringify(draft), createdBy, at, at);
    return this.getDraft(id)!;
  }

  getDraft(id: string): DraftRecord | null {
    const row = this.db.prepare('SELECT * FROM teams_drafts WHERE id = ?').get(id) as DraftRow | undefined;
    if (!row) return null;
    return {
      id: row.id, conversationId: row.conversation_id, draft: FicheDraft.parse(JSON.parse(row.draft_json)), status: row.status,
      ficheId: row.fiche_id, createdBy: row.created_by, createdAt: row.created_at, updatedAt: row.updated_at,
    };
  }

  /** Claims a draft for validation: false when it is already validated or being validated (double click). */
  claimValidation(id: string): boolean {
    return this.db.prepare("UPDATE teams_drafts SET status = 'validation', updated_at = ? WHERE id = ? AND status = 'brouillon'")
      .run(this.stamp(), id).changes === 1;
  }

  releaseValidation(id: string): void {
    this.db.prepare("UPDATE teams_drafts SET status = 'brouillon', updated_at = ? WHERE id = ? AND status = 'validation'").run(this.stamp(), id);
  }

  markValidated(id: string, fiche: Fiche): void {
    const row = this.getDraft(id);
    if (!row) return;
    const draft: FicheDraft = { ...row.draft, fiche };
    this.db.prepare("UPDATE teams_drafts SET status = 'validée', fiche_id = ?, draft_json = ?, updated_at = ? WHERE id = ?")
      .run(fiche.id, JSON.stringify(draft), this.stamp(), id);
  }

  // ── Conversations and people ─────────────────────────────────────────────

  saveConversation(id: string, kind: ConversationRecord['kind'], name: string | null, ref: Record<string, unknown>): void {
    this.db.prepare(`INSERT INTO teams_refs (id, kind, name, ref_json, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = COALESCE(excluded.name, teams_refs.name),
        ref_json = excluded.ref_json, updated_at = excluded.updated_at`).run(id, kind, name, JSON.stringify(ref), this.stamp());
  }

  getConversation(id: string): ConversationRecord | null {
    const row = this.db.prepare('SELECT * FROM teams_refs WHERE id = ?').get(id) as RefRow | undefined;
    return row ? { id: row.id, kind: row.kind, name: row.name, ref: JSON.parse(row.ref_json) as Record<string, unknown>, updatedAt: row.updated_at } : null;
  }

  /**
   * Rewrites conversation references saved by the botbuilder version (the
   * bot under `bot`) into the Agents SDK's shape (`agent`), once; readers
   * also accept the old shape (directory entries learned elsewhere). Returns
   * how many were rewritten.
   */
  migrateLegacyReferences(): number {
    const rewrite = (json: string): string | null => {
      let ref: Record<string, unknown>;
      try { ref = JSON.parse(json) as Record<string, unknown>; } catch { return null; }
      if (!ref || typeof ref !== 'object' || !isLegacyReference(ref)) return null;
      const { bot, ...rest } = ref;
      return JSON.stringify({ ...rest, agent: bot });
    };
    let count = 0;
    this.db.transaction(() => {
      for (const row of this.db.prepare("SELECT id, ref_json FROM teams_refs WHERE ref_json LIKE '%\"bot\"%'").all() as Array<{ id: string; ref_json: string }>) {
        const next = rewrite(row.ref_json);
        if (next) { this.db.prepare('UPDATE teams_refs SET ref_json = ? WHERE id = ?').run(next, row.id); count += 1; }
      }
      for (const row of this.db.prepare("SELECT key, personal_ref_json FROM teams_users WHERE personal_ref_json LIKE '%\"bot\"%'").all() as Array<{ key: string; personal_ref_json: string }>) {
        const next = rewrite(row.personal_ref_json);
        if (next) { this.db.prepare('UPDATE teams_users SET personal_ref_json = ? WHERE key = ?').run(next, row.key); count += 1; }
      }
    })();
    return count;
  }

  forgetConversation(id: string): void {
    this.db.prepare('DELETE FROM teams_refs WHERE id = ?').run(id);
  }

  /** Records a person; a known 1:1 reference is kept when this sighting has none. */
  saveUser(u: UserRecord): void {
    this.db.prepare(`INSERT INTO teams_users (key, teams_id, aad_object_id, name, tenant_id, service_url, bot_json, personal_ref_json, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET teams_id = excluded.teams_id, aad_object_id = COALESCE(excluded.aad_object_id, teams_users.aad_object_id),
        name = COALESCE(excluded.name, teams_users.name), tenant_id = COALESCE(excluded.tenant_id, teams_users.tenant_id),
        service_url = excluded.service_url, bot_json = excluded.bot_json,
        personal_ref_json = COALESCE(excluded.personal_ref_json, teams_users.personal_ref_json), updated_at = excluded.updated_at`)
      .run(u.key, u.teamsId, u.aadObjectId, u.name, u.tenantId, u.serviceUrl, JSON.stringify(u.bot),
        u.personalRef ? JSON.stringify(u.personalRef) : null, this.stamp());
  }

  /** Finds a person by AAD object id or Teams user id (case-insensitive: directories are typed by hand). */
  findUser(idOrKey: string): UserRecord | null {
    const id = idOrKey.trim().toLowerCase();
    const row = this.db.prepare(`SELECT * FROM teams_users WHERE lower(key) = ? OR lower(teams_id) = ? OR lower(aad_object_id) = ?
        ORDER BY updated_at DESC LIMIT 1`).get(id, id, id) as UserRow | undefined;
    if (!row) return null;
    return {
      key: row.key, teamsId: row.teams_id, aadObjectId: row.aad_object_id, name: row.name, tenantId: row.tenant_id,
      serviceUrl: row.service_url, bot: JSON.parse(row.bot_json) as UserRecord['bot'],
      personalRef: row.personal_ref_json ? JSON.parse(row.personal_ref_json) as Record<string, unknown> : null,
    };
  }

  setPersonalRef(key: string, ref: Record<string, unknown>): void {
    this.db.prepare('UPDATE teams_users SET personal_ref_json = ?, updated_at = ? WHERE key = ?').run(JSON.stringify(ref), this.stamp(), key);
  }

  // ── Exports offered, awaiting the user's consent ──────────────────────────

  /** Keeps the exact file the user is asked to accept; offers older than a week are dropped. */
  saveExport(draftId: string, name: string, docx: Buffer): string {
    const id = `x${crypto.randomBytes(8).toString('hex')}`;
    const at = this.now();
    this.db.prepare('DELETE FROM teams_exports WHERE created_at < ?').run(new Date(at.getTime() - EXPORT_RETENTION_MS).toISOString());
    this.db.prepare('INSERT INTO teams_exports (id, draft_id, name, docx, created_at) VALUES (?, ?, ?, ?, ?)').run(id, draftId, name, docx, at.toISOString());
    return id;
  }

  getExport(id: string): { draftId: string; name: string; docx: Buffer } | null {
    const row = this.db.prepare('SELECT draft_id, name, docx FROM teams_exports WHERE id = ?').get(id) as { draft_id: string; name: string; docx: Buffer } | undefined;
    return row ? { draftId: row.draft_id, name: row.name, docx: row.docx } : null;
  }

  // ── Nudges ───────────────────────────────────────────────────────────────

  sentNudge(key: string): { conversationId: string; activityId: string | null } | null {
    const row = this.db.prepare('SELECT conversation_id, activity_id FROM teams_nudges WHERE key = ?').get(key) as { conversation_id: string; activity_id: string | null } | undefined;
    return row ? { conversationId: row.conversation_id, activityId: row.activity_id } : null;
  }

  recordNudge(key: string, conversationId: string, activityId: string | null, milestoneId: string): void {
    this.db.prepare('INSERT OR REPLACE INTO teams_nudges (key, conversation_id, activity_id, milestone_id, at) VALUES (?, ?, ?, ?, ?)')
      .run(key, conversationId, activityId, milestoneId, this.stamp());
  }
}

interface HistoryRow { id: number; conversation_id: string; user_id: string; question: string; answer_json: string; at: string }
interface DraftRow {
  id: string; conversation_id: string; draft_json: string; status: DraftStatus; fiche_id: string | null;
  created_by: string; created_at: string; updated_at: string;
}
interface RefRow { id: string; kind: ConversationRecord['kind']; name: string | null; ref_json: string; updated_at: string }
interface UserRow {
  key: string; teams_id: string; aad_object_id: string | null; name: string | null; tenant_id: string | null;
  service_url: string; bot_json: string; personal_ref_json: string | null; updated_at: string;
}

function toExchange(r: HistoryRow): ExchangeRecord {
  return { id: r.id, conversationId: r.conversation_id, userId: r.user_id, question: r.question, answer: Answer.parse(JSON.parse(r.answer_json)), at: r.at };
}
