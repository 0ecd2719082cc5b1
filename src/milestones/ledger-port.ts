import type { SqliteDb } from '../storage/sqlite.js';
import {
  beginAttempt, claimAlert, claimableAlerts, claimNudge, enqueueAlert, listNudges, markFailed, markSent, nudgeStatesSince,
  type AlertRecord, type ClaimHandle, type NudgeClaimInput, type NudgeRecord,
} from './ledger.js';

/**
 * The delivery ledger as the scheduler sees it: exactly the claim → attempt →
 * sent | failed protocol of ledger.ts (see its header for the guarantee), for
 * nudges and the coordinator outbox. Two implementations: SQLite (the file
 * every instance on one machine shares, the default) and PostgreSQL
 * (pg-ledger.ts: several replicas on several machines).
 */
export interface AlertInput {
  key: string;
  kind: string;
  milestoneId: string | null;
  payload: Record<string, unknown>;
}

export type NudgeStates = Map<string, Pick<NudgeRecord, 'status' | 'claimedAt'>>;

export interface DeliveryLedger {
  /** 'sqlite' when the ledger lives in the scheduler's own SQLite file; anything else is shared elsewhere. */
  readonly kind: 'sqlite' | 'postgres';
  /** Claims a nudge for one recipient; null when another owner holds it or it is already settled. */
  claimNudge(input: NudgeClaimInput, nowIso: string, leaseMs: number): Promise<ClaimHandle | null>;
  /** Renews the lease and counts the attempt; false when the claim was taken over (do not send). */
  beginAttempt(h: ClaimHandle, nowIso: string): Promise<boolean>;
  /** False when another owner took the claim meanwhile (possible duplicate). */
  markSent(h: ClaimHandle, nowIso: string): Promise<boolean>;
  markFailed(h: ClaimHandle, nowIso: string, error: string): Promise<boolean>;
  /** Adds a coordinator message to the outbox; false when that key was already enqueued. */
  enqueueAlert(alert: AlertInput, nowIso: string): Promise<boolean>;
  /** Outbox rows ready to be claimed now (pending, or claimed by an owner whose lease ran out). */
  claimableAlerts(nowIso: string, leaseMs: number): Promise<AlertRecord[]>;
  claimAlert(key: string, nowIso: string, leaseMs: number): Promise<ClaimHandle | null>;
  /** States of every delivery whose key date is after `afterKeyDate`, keyed by `${key}\u0000${recipient}`. */
  nudgeStatesSince(afterKeyDate: string): Promise<NudgeStates>;
  /** Nudges recorded `failed` (the weekly digest lists them). */
  failedNudges(): Promise<NudgeRecord[]>;
}

/** The SQLite ledger (ledger.ts) behind the port: same file, same statements. */
export class SqliteDeliveryLedger implements DeliveryLedger {
  readonly kind = 'sqlite' as const;
  constructor(readonly db: SqliteDb) {}

  async claimNudge(input: NudgeClaimInput, nowIso: string, leaseMs: number): Promise<ClaimHandle | null> {
    return claimNudge(this.db, input, nowIso, leaseMs);
  }

  async beginAttempt(h: ClaimHandle, nowIso: string): Promise<boolean> {
    return beginAttempt(this.db, h, nowIso);
  }

  async markSent(h: ClaimHandle, nowIso: string): Promise<boolean> {
    return markSent(this.db, h, nowIso);
  }

  async markFailed(h: ClaimHandle, nowIso: string, error: string): Promise<boolean> {
    return markFailed(this.db, h, nowIso, error);
  }

  async enqueueAlert(alert: AlertInput, nowIso: string): Promise<boolean> {
    return enqueueAlert(this.db, alert, nowIso);
  }

  async claimableAlerts(nowIso: string, leaseMs: number): Promise<AlertRecord[]> {
    return claimableAlerts(this.db, nowIso, leaseMs);
  }

  async claimAlert(key: string, nowIso: string, leaseMs: number): Promise<ClaimHandle | null> {
    return claimAlert(this.db, key, nowIso, leaseMs);
  }

  async nudgeStatesSince(afterKeyDate: string): Promise<NudgeStates> {
    return nudgeStatesSince(this.db, afterKeyDate);
  }

  async failedNudges(): Promise<NudgeRecord[]> {
    return listNudges(this.db, { status: 'failed' });
  }
}
