import { randomUUID } from 'node:crypto';
import type { SqliteDb } from '../storage/sqlite.js';
import { ensureMilestoneSchema } from './schema.js';
import { stmt } from './statements.js';

/**
 * The delivery ledger: claim → attempt → sent | failed, for nudges
 * (`nudge_sent`, one row per nudge key and recipient) and coordinator
 * messages (`nudge_alert`, an outbox keyed by alert key).
 *
 * Delivery guarantee, honestly:
 * - A claim is taken in an IMMEDIATE transaction before anything is sent, so
 *   two instances (threads, processes) on one file never both hold it.
 * - A claim with no `sent_at` older than the lease is re-claimable: a crash
 *   between claim and send, or during the send, does not lose the nudge.
 * - The lease is renewed before every attempt (retries, backoff), and writes
 *   after a send check the claim token, so a slow instance cannot overwrite a
 *   newer owner.
 * - Residual at-least-once window: if the process dies after the channel
 *   accepted the message but before `sent_at` is written (one synchronous
 *   SQLite write after the await), or if a single send outlives the lease, the
 *   next owner sends again. The resumed claim is flagged (`resumed`) so a
 *   channel able to look up its own messages by the idempotency key can skip
 *   the duplicate. We chose at-least-once over at-most-once: a lost reminder
 *   is the failure the product exists to prevent; a rare duplicate is not.
 *
 * The scheduler reaches this ledger through the DeliveryLedger port
 * (ledger-port.ts); pg-ledger.ts implements the same protocol in PostgreSQL
 * for several replicas on several machines.
 */
export type LedgerTable = 'nudge_sent' | 'nudge_alert';

export interface ClaimHandle {
  table: LedgerTable;
  key: string;
  /** Recipient id for nudges; '' for alerts. */
  recipient: string;
  token: string;
  /** Attempts made by earlier owners: > 0 means an earlier send may have reached the recipient. */
  previousAttempts: number;
  resumed: boolean;
}

export interface NudgeClaimInput {
  key: string;
  recipient: string;
  recipientName?: string;
  milestoneId: string;
  kind: string;
  keyDate: string;
  milestoneDue: string;
}

export type NudgeStatus = 'claimed' | 'sent' | 'failed';

export interface NudgeRecord {
  key: string;
  recipient: string;
  recipientName: string;
  milestoneId: string;
  kind: string;
  keyDate: string;
  milestoneDue: string;
  status: NudgeStatus;
  attempts: number;
  claimedAt: string;
  sentAt: string | null;
  error: string | null;
  updatedAt: string;
}

export type AlertStatus = 'pending' | 'claimed' | 'sent' | 'failed';

export interface AlertRecord {
  key: string;
  kind: string;
  milestoneId: string | null;
  payload: Record<string, unknown>;
  status: AlertStatus;
  attempts: number;
  claimedAt: string | null;
  sentAt: string | null;
  error: string | null;
  createdAt: string;
}

function cutoff(nowIso: string, leaseMs: number): string {
  return new Date(Date.parse(nowIso) - leaseMs).toISOString();
}

/** Claims a nudge for one recipient; null when another owner holds it or it is already settled. */
export function claimNudge(db: SqliteDb, input: NudgeClaimInput, nowIso: string, leaseMs: number): ClaimHandle | null {
  ensureMilestoneSchema(db);
  const token = randomUUID();
  const run = db.transaction((): ClaimHandle | null => {
    const inserted = stmt(db, `INSERT INTO nudge_sent
        (key, recipient, recipient_name, milestone_id, kind, key_date, milestone_due, status, claim_token, claimed_at, attempts, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, 'claimed', ?, ?, 0, ?)
        ON CONFLICT (key, recipient) DO NOTHING`)
      .run(input.key, input.recipient, input.recipientName ?? input.recipient, input.milestoneId, input.kind, input.keyDate, input.milestoneDue, token, nowIso, nowIso);
    if (inserted.changes === 1) {
      return { table: 'nudge_sent', key: input.key, recipient: input.recipient, token, previousAttempts: 0, resumed: false };
    }
    // Take over a claim whose owner vanished (crash, kill) without settling it.
    const taken = stmt(db, `UPDATE nudge_sent SET claim_token = ?, claimed_at = ?, updated_at = ?
        WHERE key = ? AND recipient = ? AND status = 'claimed' AND sent_at IS NULL AND claimed_at < ?`)
      .run(token, nowIso, nowIso, input.key, input.recipient, cutoff(nowIso, leaseMs));
    if (taken.changes !== 1) return null;
    const row = stmt(db, 'SELECT attempts FROM nudge_sent WHERE key = ? AND recipient = ?').get(input.key, input.recipient) as { attempts: number };
    return { table: 'nudge_sent', key: input.key, recipient: input.recipient, token, previousAttempts: row.attempts, resumed: true };
  });
  return run.immediate();
}

/** Adds a coordinator message to the outbox; false when that key was already enqueued (sent once per key). */
export function enqueueAlert(
  db: SqliteDb,
  alert: { key: string; kind: string; milestoneId: string | null; payload: Record<string, unknown> },
  nowIso: string,
): boolean {
  ensureMilestoneSchema(db);
  return stmt(db, `INSERT INTO nudge_alert (key, kind, milestone_id, payload_json, status, attempts, created_at, updated_at)
      VALUES (?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (key) DO NOTHING`)
    .run(alert.key, alert.kind, alert.milestoneId, JSON.stringify(alert.payload), nowIso, nowIso).changes === 1;
}

/** Outbox rows ready to be claimed now (pending, or claimed by an owner whose lease ran out). */
export function claimableAlerts(db: SqliteDb, nowIso: string, leaseMs: number): AlertRecord[] {
  ensureMilestoneSchema(db);
  const rows = stmt(db, `SELECT * FROM nudge_alert
      WHERE status = 'pending' OR (status = 'claimed' AND sent_at IS NULL AND claimed_at < ?)
      ORDER BY created_at, key`).all(cutoff(nowIso, leaseMs)) as AlertRow[];
  return rows.map(toAlertRecord);
}

export function claimAlert(db: SqliteDb, key: string, nowIso: string, leaseMs: number): ClaimHandle | null {
  ensureMilestoneSchema(db);
  const token = randomUUID();
  const run = db.transaction((): ClaimHandle | null => {
    const before = stmt(db, 'SELECT status, attempts FROM nudge_alert WHERE key = ?').get(key) as { status: AlertStatus; attempts: number } | undefined;
    if (!before) return null;
    const taken = stmt(db, `UPDATE nudge_alert SET status = 'claimed', claim_token = ?, claimed_at = ?, updated_at = ?
        WHERE key = ? AND (status = 'pending' OR (status = 'claimed' AND sent_at IS NULL AND claimed_at < ?))`)
      .run(token, nowIso, nowIso, key, cutoff(nowIso, leaseMs));
    if (taken.changes !== 1) return null;
    return { table: 'nudge_alert', key, recipient: '', token, previousAttempts: before.attempts, resumed: before.status === 'claimed' };
  });
  return run.immediate();
}

function whereOwned(h: ClaimHandle): { sql: string; args: string[] } {
  return h.table === 'nudge_sent'
    ? { sql: "key = ? AND recipient = ? AND claim_token = ? AND status = 'claimed'", args: [h.key, h.recipient, h.token] }
    : { sql: "key = ? AND claim_token = ? AND status = 'claimed'", args: [h.key, h.token] };
}

/**
 * Renews the lease and counts the attempt, right before calling the channel.
 * False when the claim was taken over (we were too slow): do not send.
 */
export function beginAttempt(db: SqliteDb, h: ClaimHandle, nowIso: string): boolean {
  const w = whereOwned(h);
  return stmt(db, `UPDATE ${h.table} SET claimed_at = ?, attempts = attempts + 1, updated_at = ? WHERE ${w.sql}`)
    .run(nowIso, nowIso, ...w.args).changes === 1;
}

/** False when another owner took the claim meanwhile (the send outlived the lease: possible duplicate). */
export function markSent(db: SqliteDb, h: ClaimHandle, nowIso: string): boolean {
  const w = whereOwned(h);
  return stmt(db, `UPDATE ${h.table} SET status = 'sent', sent_at = ?, error = NULL, updated_at = ? WHERE ${w.sql}`)
    .run(nowIso, nowIso, ...w.args).changes === 1;
}

export function markFailed(db: SqliteDb, h: ClaimHandle, nowIso: string, error: string): boolean {
  const w = whereOwned(h);
  return stmt(db, `UPDATE ${h.table} SET status = 'failed', error = ?, updated_at = ? WHERE ${w.sql}`)
    .run(error, nowIso, ...w.args).changes === 1;
}

/** A ledger row as both engines store it (same columns in SQLite and PostgreSQL). */
export interface NudgeRow {
  key: string; recipient: string; recipient_name: string; milestone_id: string; kind: string; key_date: string; milestone_due: string;
  status: NudgeStatus; attempts: number; claimed_at: string; sent_at: string | null; error: string | null; updated_at: string;
}

export interface AlertRow {
  key: string; kind: string; milestone_id: string | null; payload_json: string; status: AlertStatus;
  attempts: number; claimed_at: string | null; sent_at: string | null; error: string | null; created_at: string;
}

export function toNudgeRecord(r: NudgeRow): NudgeRecord {
  return {
    key: r.key, recipient: r.recipient, recipientName: r.recipient_name, milestoneId: r.milestone_id, kind: r.kind, keyDate: r.key_date,
    milestoneDue: r.milestone_due, status: r.status, attempts: r.attempts, claimedAt: r.claimed_at,
    sentAt: r.sent_at, error: r.error, updatedAt: r.updated_at,
  };
}

export function toAlertRecord(r: AlertRow): AlertRecord {
  return {
    key: r.key, kind: r.kind, milestoneId: r.milestone_id, payload: JSON.parse(r.payload_json) as Record<string, unknown>,
    status: r.status, attempts: r.attempts, claimedAt: r.claimed_at, sentAt: r.sent_at, error: r.error, createdAt: r.created_at,
  };
}

/** Ledger state of one delivery, for dry runs. */
export function nudgeState(db: SqliteDb, key: string, recipient: string): NudgeRecord | undefined {
  ensureMilestoneSchema(db);
  const row = stmt(db, 'SELECT * FROM nudge_sent WHERE key = ? AND recipient = ?').get(key, recipient) as NudgeRow | undefined;
  return row ? toNudgeRecord(row) : undefined;
}

/**
 * Ledger states of every delivery whose key date is after `afterKeyDate`, in
 * one range scan (a tick checks thousands): map keyed by `${key}\u0000${recipient}`.
 */
export function nudgeStatesSince(db: SqliteDb, afterKeyDate: string): Map<string, Pick<NudgeRecord, 'status' | 'claimedAt'>> {
  ensureMilestoneSchema(db);
  const out = new Map<string, Pick<NudgeRecord, 'status' | 'claimedAt'>>();
  const rows = stmt(db, 'SELECT key, recipient, status, claimed_at FROM nudge_sent WHERE key_date > ?').raw(true)
    .all(afterKeyDate) as [string, string, NudgeStatus, string][];
  for (const [key, recipient, status, claimedAt] of rows) out.set(`${key}\u0000${recipient}`, { status, claimedAt });
  return out;
}

export interface NudgeFilter {
  status?: NudgeStatus | NudgeStatus[];
  milestoneId?: string;
}

/** Every nudge ever claimed, sent or failed (failed ones are never dropped). */
export function listNudges(db: SqliteDb, filter: NudgeFilter = {}): NudgeRecord[] {
  ensureMilestoneSchema(db);
  const where: string[] = [];
  const args: string[] = [];
  if (filter.status !== undefined) {
    const list = Array.isArray(filter.status) ? filter.status : [filter.status];
    where.push(`status IN (${list.map(() => '?').join(', ')})`);
    args.push(...list);
  }
  if (filter.milestoneId !== undefined) {
    where.push('milestone_id = ?');
    args.push(filter.milestoneId);
  }
  const sql = `SELECT * FROM nudge_sent ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY claimed_at, key, recipient`;
  return (db.prepare(sql).all(...args) as NudgeRow[]).map(toNudgeRecord);
}

export function listAlerts(db: SqliteDb, filter: { status?: AlertStatus; kind?: string } = {}): AlertRecord[] {
  ensureMilestoneSchema(db);
  const where: string[] = [];
  const args: string[] = [];
  if (filter.status) { where.push('status = ?'); args.push(filter.status); }
  if (filter.kind) { where.push('kind = ?'); args.push(filter.kind); }
  const sql = `SELECT * FROM nudge_alert ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at, key`;
  return (db.prepare(sql).all(...args) as AlertRow[]).map(toAlertRecord);
}
