import { randomUUID } from 'node:crypto';
import { openPostgres, type PostgresDb } from '../storage/postgres.js';
import {
  toAlertRecord, toNudgeRecord,
  type AlertRecord, type AlertRow, type AlertStatus, type ClaimHandle, type NudgeClaimInput, type NudgeFilter, type NudgeRecord, type NudgeRow, type NudgeStatus,
} from './ledger.js';
import type { AlertInput, DeliveryLedger, NudgeStates } from './ledger-port.js';

/**
 * The delivery ledger in PostgreSQL, shared by several replicas of `ptsm
 * serve`: the same tables and the same protocol as the SQLite ledger
 * (ledger.ts explains the guarantee and its residual at-least-once window).
 *
 * Why each claim is exactly-once across processes:
 * - A first claim is `INSERT … ON CONFLICT DO NOTHING RETURNING`: the primary
 *   key lets exactly one inserter win.
 * - A re-claim is `UPDATE … WHERE sent_at IS NULL AND claimed_at < cutoff
 *   RETURNING` with a fresh token: under READ COMMITTED a concurrent second
 *   UPDATE waits for the first, then re-checks its WHERE on the new row
 *   (claimed_at is now fresh) and matches nothing.
 * - Every later write (attempt, sent, failed) is guarded by the claim token.
 *
 * Instants are stored as ISO-8601 text, as in SQLite: they come from the
 * scheduler's injected clock (not the server's), and compare as strings
 * (byte order, `COLLATE "C"`, whatever the database's locale).
 */
const DDL = `
CREATE TABLE IF NOT EXISTS nudge_sent (
  key            TEXT NOT NULL,
  recipient      TEXT NOT NULL,
  recipient_name TEXT NOT NULL DEFAULT '',
  milestone_id   TEXT NOT NULL,
  kind           TEXT NOT NULL,
  key_date       TEXT COLLATE "C" NOT NULL,
  milestone_due  TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
  claim_token    TEXT NOT NULL,
  claimed_at     TEXT COLLATE "C" NOT NULL,
  attempts       INTEGER NOT NULL DEFAULT 0,
  sent_at        TEXT COLLATE "C",
  error          TEXT,
  updated_at     TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (key, recipient)
);
CREATE INDEX IF NOT EXISTS nudge_sent_milestone ON nudge_sent (milestone_id);
CREATE INDEX IF NOT EXISTS nudge_sent_status ON nudge_sent (status);
CREATE INDEX IF NOT EXISTS nudge_sent_key_date ON nudge_sent (key_date);

CREATE TABLE IF NOT EXISTS nudge_alert (
  key          TEXT PRIMARY KEY,
  kind         TEXT NOT NULL,
  milestone_id TEXT,
  payload_json TEXT NOT NULL DEFAULT '{}',
  status       TEXT NOT NULL CHECK (status IN ('pending', 'claimed', 'sent', 'failed')),
  claim_token  TEXT,
  claimed_at   TEXT COLLATE "C",
  attempts     INTEGER NOT NULL DEFAULT 0,
  sent_at      TEXT COLLATE "C",
  error        TEXT,
  created_at   TEXT COLLATE "C" NOT NULL,
  updated_at   TEXT COLLATE "C" NOT NULL
);
CREATE INDEX IF NOT EXISTS nudge_alert_status ON nudge_alert (status);
`;

function cutoff(nowIso: string, leaseMs: number): string {
  return new Date(Date.parse(nowIso) - leaseMs).toISOString();
}

function whereOwned(h: ClaimHandle): { sql: string; args: string[] } {
  return h.table === 'nudge_sent'
    ? { sql: "key = $3 AND recipient = $4 AND claim_token = $5 AND status = 'claimed'", args: [h.key, h.recipient, h.token] }
    : { sql: "key = $3 AND claim_token = $4 AND status = 'claimed'", args: [h.key, h.token] };
}

export class PostgresDeliveryLedger implements DeliveryLedger {
  readonly kind = 'postgres' as const;
  private constructor(readonly pg: PostgresDb) {}

  /** The ledger over an open pool; creates its tables when missing (idempotent, safe with concurrent replicas). */
  static async open(pg: PostgresDb): Promise<PostgresDeliveryLedger> {
    await pg.ensureSchema('delivery-ledger', DDL);
    return new PostgresDeliveryLedger(pg);
  }

  async claimNudge(input: NudgeClaimInput, nowIso: string, leaseMs: number): Promise<ClaimHandle | null> {
    const token = randomUUID();
    // One round trip: insert the claim, or take over a stale one. ON CONFLICT … DO UPDATE locks the
    // existing row and evaluates its WHERE on the latest version, so of two concurrent claimers only
    // one matches. `xmax = 0` tells a freshly inserted row from a taken-over one.
    const r = await this.pg.query<{ attempts: number; inserted: boolean }>(`INSERT INTO nudge_sent AS n
        (key, recipient, recipient_name, milestone_id, kind, key_date, milestone_due, status, claim_token, claimed_at, attempts, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, 'claimed', $8, $9, 0, $9)
        ON CONFLICT (key, recipient) DO UPDATE SET claim_token = EXCLUDED.claim_token, claimed_at = EXCLUDED.claimed_at, updated_at = EXCLUDED.updated_at
          WHERE n.status = 'claimed' AND n.sent_at IS NULL AND n.claimed_at < $10
        RETURNING n.attempts, (n.xmax = 0) AS inserted`,
    [input.key, input.recipient, input.recipientName ?? input.recipient, input.milestoneId, input.kind, input.keyDate, input.milestoneDue, token, nowIso,
      cutoff(nowIso, leaseMs)]);
    const row = r.rows[0];
    if (!row) return null;
    return row.inserted
      ? { table: 'nudge_sent', key: input.key, recipient: input.recipient, token, previousAttempts: 0, resumed: false }
      // Taken over from an owner that vanished (crash, kill) without settling it.
      : { table: 'nudge_sent', key: input.key, recipient: input.recipient, token, previousAttempts: row.attempts, resumed: true };
  }

  async beginAttempt(h: ClaimHandle, nowIso: string): Promise<boolean> {
    const w = whereOwned(h);
    const r = await this.pg.query(`UPDATE ${h.table} SET claimed_at = $1, attempts = attempts + 1, updated_at = $2 WHERE ${w.sql}`, [nowIso, nowIso, ...w.args]);
    return r.rowCount === 1;
  }

  async markSent(h: ClaimHandle, nowIso: string): Promise<boolean> {
    const w = whereOwned(h);
    const r = await this.pg.query(`UPDATE ${h.table} SET status = 'sent', sent_at = $1, error = NULL, updated_at = $2 WHERE ${w.sql}`, [nowIso, nowIso, ...w.args]);
    return r.rowCount === 1;
  }

  async markFailed(h: ClaimHandle, nowIso: string, error: string): Promise<boolean> {
    const w = whereOwned(h);
    const r = await this.pg.query(`UPDATE ${h.table} SET status = 'failed', error = $1, updated_at = $2 WHERE ${w.sql}`, [error, nowIso, ...w.args]);
    return r.rowCount === 1;
  }

  async enqueueAlert(alert: AlertInput, nowIso: string): Promise<boolean> {
    const r = await this.pg.query(`INSERT INTO nudge_alert (key, kind, milestone_id, payload_json, status, attempts, created_at, updated_at)
        VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5) ON CONFLICT (key) DO NOTHING`,
    [alert.key, alert.kind, alert.milestoneId, JSON.stringify(alert.payload), nowIso]);
    return r.rowCount === 1;
  }

  async claimableAlerts(nowIso: string, leaseMs: number): Promise<AlertRecord[]> {
    const r = await this.pg.query<AlertRow>(`SELECT * FROM nudge_alert
        WHERE status = 'pending' OR (status = 'claimed' AND sent_at IS NULL AND claimed_at < $1)
        ORDER BY created_at, key`, [cutoff(nowIso, leaseMs)]);
    return r.rows.map(toAlertRecord);
  }

  async claimAlert(key: string, nowIso: string, leaseMs: number): Promise<ClaimHandle | null> {
    const token = randomUUID();
    return this.pg.transaction(async (c) => {
      // The row lock makes the status read and the take-over one step against a concurrent claimer.
      const before = await c.query<{ status: AlertStatus; attempts: number }>('SELECT status, attempts FROM nudge_alert WHERE key = $1 FOR UPDATE', [key]);
      const row = before.rows[0];
      if (!row) return null;
      const taken = await c.query(`UPDATE nudge_alert SET status = 'claimed', claim_token = $1, claimed_at = $2, updated_at = $2
          WHERE key = $3 AND (status = 'pending' OR (status = 'claimed' AND sent_at IS NULL AND claimed_at < $4))`,
      [token, nowIso, key, cutoff(nowIso, leaseMs)]);
      if (taken.rowCount !== 1) return null;
      return { table: 'nudge_alert', key, recipient: '', token, previousAttempts: row.attempts, resumed: row.status === 'claimed' } satisfies ClaimHandle;
    });
  }

  async nudgeStatesSince(afterKeyDate: string): Promise<NudgeStates> {
    const r = await this.pg.query<{ key: string; recipient: string; status: NudgeStatus; claimed_at: string }>(
      'SELECT key, recipient, status, claimed_at FROM nudge_sent WHERE key_date > $1', [afterKeyDate]);
    const out: NudgeStates = new Map();
    for (const row of r.rows) out.set(`${row.key}\u0000${row.recipient}`, { status: row.status, claimedAt: row.claimed_at });
    return out;
  }

  async failedNudges(): Promise<NudgeRecord[]> {
    return this.listNudges({ status: 'failed' });
  }

  /** Every nudge ever claimed, sent or failed (inspection, tests). */
  async listNudges(filter: NudgeFilter = {}): Promise<NudgeRecord[]> {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.status !== undefined) {
      const list = Array.isArray(filter.status) ? filter.status : [filter.status];
      where.push(`status IN (${list.map((s) => { args.push(s); return `$${args.length}`; }).join(', ')})`);
    }
    if (filter.milestoneId !== undefined) {
      args.push(filter.milestoneId);
      where.push(`milestone_id = $${args.length}`);
    }
    const sql = `SELECT * FROM nudge_sent ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY claimed_at, key, recipient`;
    return (await this.pg.query<NudgeRow>(sql, args)).rows.map(toNudgeRecord);
  }

  async listAlerts(filter: { status?: AlertStatus; kind?: string } = {}): Promise<AlertRecord[]> {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.status) { args.push(filter.status); where.push(`status = $${args.length}`); }
    if (filter.kind) { args.push(filter.kind); where.push(`kind = $${args.length}`); }
    const sql = `SELECT * FROM nudge_alert ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at, key`;
    return (await this.pg.query<AlertRow>(sql, args)).rows.map(toAlertRecord);
  }
}

export interface PostgresLedgerHandle {
  ledger: PostgresDeliveryLedger;
  /** The URL without its password. */
  label: string;
  /** One trivial query: the readiness probe. */
  ping: () => Promise<unknown>;
  close: () => Promise<void>;
}

/**
 * The PostgreSQL schema of a territory's ledger: `ptsm_t_` and the id, every
 * character outside [a-z0-9] written as `_` and its hex code, so that two ids
 * never share a schema (« ght-sud » → ptsm_t_ght_2dsud).
 */
export function territorySchema(territory: string): string {
  return `ptsm_t_${territory.replace(/[^a-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)}`;
}

/**
 * Opens PTSM_DATABASE_URL and the ledger in it (tables created when missing);
 * close() ends the pool. A territory's ledger lives in its own schema; a
 * single-PTSM deployment keeps the default one.
 */
export async function openPostgresLedger(url: string, opts: { territory?: string | undefined } = {}): Promise<PostgresLedgerHandle> {
  const pg = await openPostgres(url, opts.territory ? { schema: territorySchema(opts.territory) } : {});
  try {
    const ledger = await PostgresDeliveryLedger.open(pg);
    return { ledger, label: pg.label, ping: () => pg.pool.query('SELECT 1'), close: () => pg.close() };
  } catch (e) {
    await pg.close();
    throw e;
  }
}
