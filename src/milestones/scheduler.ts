import { describeError } from '../core/errors.js';
import type { Pilot } from '../core/fiche.js';
import type { Logger } from '../core/logger.js';
import type { SqliteDb } from '../storage/sqlite.js';
import { digestKey, failedAlertKey, renderAlert, unlinkedAlertKey } from './alerts.js';
import { buildDigest } from './digest.js';
import type { PilotDirectory } from './directory.js';
import {
  claimAlert, claimableAlerts, markSent as markSentLocally, nudgeStatesSince, type ClaimHandle,
} from './ledger.js';
import { SqliteDeliveryLedger, type DeliveryLedger, type NudgeStates } from './ledger-port.js';
import { addDays, daysBetween, localParts, mondayOf } from './local-time.js';
import { renderNudgeText } from './messages.js';
import { normalizeName } from './normalize.js';
import { COORDINATOR, nudgeActions, type MilestoneRef, type NudgeMessage, type Notifier, type Recipient } from './notifier.js';
import { dueNudges, isWorkingSlot, lookaheadDays, type NudgeKind, type ReminderPlan } from './plan.js';
import { ensureMilestoneSchema } from './schema.js';
import { getMilestone, listRemindable, type MilestoneView } from './store.js';

/**
 * One scheduler tick: find the nudges due now, claim each in the ledger
 * before sending (so restarts and concurrent instances never send one twice),
 * send with retries, settle. Then flush the coordinator outbox (alerts, weekly
 * digest) with the same protocol. See ledger.ts for the delivery guarantee.
 * Milestones, plan and directory are read from SQLite (`db`); the ledger is
 * a port: SQLite over `db` by default, PostgreSQL for several replicas.
 */
export interface SchedulerDeps {
  db: SqliteDb;
  /** Where claims and the coordinator outbox live (default: the SQLite ledger over `db`). */
  ledger?: DeliveryLedger;
  notifier: Notifier;
  directory: PilotDirectory;
  clock: () => Date;
  plan: ReminderPlan;
  logger: Logger;
  /** Compute what would be sent; claim and send nothing. */
  dryRun?: boolean;
  /** Tries per message before recording `failed` (default 4). */
  maxAttempts?: number;
  /** First backoff delay; doubles each retry (default 2 s: 2, 4, 8 s). */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** A claim older than this without `sent_at` is presumed dead (default 10 min). Keep it well above one send's timeout. */
  leaseMs?: number;
  /** Where digests go (default: the coordination channel). */
  coordinator?: Recipient;
  /** Runs first in every working-slot pass (replicas: apply the pilots' answers other instances recorded). */
  beforeTick?: () => Promise<unknown>;
}

/** One message the tick would send (dry run) or tried to send. */
export interface PlannedDelivery extends MilestoneRef {
  key: string;
  kind: NudgeKind;
  due: string;
  keyDate: string;
  pilot: Pilot;
  recipient: Recipient;
}

export interface UnlinkedNotice {
  milestoneId: string;
  pilot: string | null;
  reason: string;
}

export interface TickResult {
  at: string;
  workingSlot: boolean;
  dryRun: boolean;
  /** Nudges due now (one per milestone at most), before expanding to recipients. */
  due: number;
  sent: { key: string; recipient: string }[];
  failed: { key: string; recipient: string; error: string }[];
  /** Deliveries held or settled by another owner (already sent, or in flight elsewhere). */
  skipped: number;
  /** Dry run: what would be sent now. */
  wouldSend: PlannedDelivery[];
  unlinked: UnlinkedNotice[];
  alertsSent: string[];
  alertsFailed: string[];
  digestSent: boolean;
}

export const DEFAULT_LEASE_MS = 10 * 60_000;
const DEFAULT_MAX_ATTEMPTS = 4;
const DEFAULT_BACKOFF_MS = 2_000;

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface DuePlan {
  deliveries: PlannedDelivery[];
  unlinked: (UnlinkedNotice & { pilotKey: string; candidates: string[] })[];
  due: number;
}

/**
 * Due nudges at `now` expanded to recipients. With `ignoreHours`, treats now as
 * a working slot (the CLI listing "what goes out today" at night).
 */
export function planDeliveries(
  deps: Pick<SchedulerDeps, 'db' | 'directory' | 'plan'>,
  now: Date,
  opts: { ignoreHours?: boolean } = {},
): DuePlan {
  const { db, plan } = deps;
  ensureMilestoneSchema(db);
  if (!opts.ignoreHours && !isWorkingSlot(now, plan)) return { deliveries: [], unlinked: [], due: 0 };
  const today = localParts(now, plan.timezone).date;
  const milestones = listRemindable(db, addDays(today, lookaheadDays(plan)));
  const byId = new Map(milestones.map((m) => [m.id, m]));
  const slot = opts.ignoreHours ? { ...plan, workingHours: { start: 0, end: 24 }, skipWeekends: false, holidays: [] } : plan;
  const due = dueNudges(milestones, now, slot);
  const deliveries: PlannedDelivery[] = [];
  const unlinked: DuePlan['unlinked'] = [];
  for (const n of due) {
    const m = byId.get(n.milestoneId)!;
    if (m.pilots.length === 0) {
      unlinked.push({ milestoneId: m.id, pilot: null, pilotKey: '-', reason: 'aucun pilote', candidates: [] });
      continue;
    }
    const seen = new Set<string>();
    for (const pilot of m.pilots) {
      const r = deps.directory.resolvePilot(pilot);
      if (r.status === 'unlinked') {
        unlinked.push({ milestoneId: m.id, pilot: pilot.name, pilotKey: normalizeName(pilot.name) || '-', reason: r.reason, candidates: r.candidates });
        continue;
      }
      if (seen.has(r.recipient.id)) continue; // "Dr Martin" and "P. Martin" on one fiche: one person, one nudge
      seen.add(r.recipient.id);
      deliveries.push({
        key: n.key, kind: n.kind, milestoneId: m.id, ficheId: m.ficheId, ficheNumber: m.ficheNumber, ficheTitle: m.ficheTitle,
        milestone: m.label, dueText: m.dueText, due: m.due!, keyDate: n.keyDate, pilot, recipient: r.recipient,
      });
    }
  }
  return { deliveries, unlinked, due: due.length };
}

/**
 * The due deliveries not yet settled in the ledger (never claimed, or claimed
 * by an owner whose lease ran out): what a tick would send now. Read-only, so
 * dry runs and the CLI can call it; most due nudges were settled on an earlier
 * tick and are dropped here without a write transaction.
 */
export function pendingDeliveries(
  deps: Pick<SchedulerDeps, 'db' | 'directory' | 'plan' | 'leaseMs'>,
  now: Date,
  due: DuePlan = planDeliveries(deps, now),
): PlannedDelivery[] {
  return selectPending(due, nudgeStatesSince(deps.db, statesSince(deps.plan, now)), now, deps.leaseMs);
}

/** pendingDeliveries against the scheduler's ledger (the injected one, e.g. PostgreSQL, or SQLite over `db`). */
export async function pendingDeliveriesIn(
  deps: Pick<SchedulerDeps, 'db' | 'ledger' | 'directory' | 'plan' | 'leaseMs'>,
  now: Date,
  due: DuePlan = planDeliveries(deps, now),
): Promise<PlannedDelivery[]> {
  return selectPending(due, await ledgerOf(deps).nudgeStatesSince(statesSince(deps.plan, now)), now, deps.leaseMs);
}

/**
 * Every due key dates from the last overdue period at the earliest (J-n keys carry the due
 * date, which is not past; overdue keys their latest occurrence): one range scan covers them.
 */
function statesSince(plan: ReminderPlan, now: Date): string {
  const today = localParts(now, plan.timezone).date;
  return plan.overdueEveryDays > 0 ? addDays(today, -plan.overdueEveryDays) : '0000-00-00';
}

function selectPending(due: DuePlan, states: NudgeStates, now: Date, leaseMs: number | undefined): PlannedDelivery[] {
  const staleBefore = new Date(now.getTime() - (leaseMs ?? DEFAULT_LEASE_MS)).toISOString();
  return due.deliveries.filter((d) => {
    const s = states.get(`${d.key}\u0000${d.recipient.id}`);
    return !s || (s.status === 'claimed' && s.claimedAt < staleBefore);
  });
}

function nudgeMessage(d: PlannedDelivery, today: string, claim: ClaimHandle, attempt: number): NudgeMessage {
  const daysLeft = daysBetween(today, d.due);
  return {
    key: d.key, kind: d.kind, milestoneId: d.milestoneId, ficheId: d.ficheId, ficheNumber: d.ficheNumber, ficheTitle: d.ficheTitle,
    milestone: d.milestone, dueText: d.dueText, due: d.due, daysLeft,
    text: renderNudgeText({
      recipientName: d.recipient.name, milestone: d.milestone, ficheNumber: d.ficheNumber, ficheId: d.ficheId,
      ficheTitle: d.ficheTitle, dueText: d.dueText, due: d.due, daysLeft,
    }),
    actions: nudgeActions(d.milestoneId),
    delivery: { attempt, resumed: claim.previousAttempts > 0 },
  };
}

type Outcome = { ok: true } | { ok: false; error: string } | { ok: 'lost' };

/** Sends under a claim: renew the lease before each try, back off exponentially, settle. */
async function deliver(deps: SchedulerDeps, ledger: DeliveryLedger, claim: ClaimHandle, send: (attempt: number) => Promise<void>): Promise<Outcome> {
  const max = Math.max(1, deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const base = deps.backoffMs ?? DEFAULT_BACKOFF_MS;
  const sleep = deps.sleep ?? realSleep;
  const now = (): string => deps.clock().toISOString();
  let lastError = '';
  for (let attempt = 1; attempt <= max; attempt++) {
    if (!(await ledger.beginAttempt(claim, now()))) {
      deps.logger.warn('Réservation reprise par une autre instance : envoi abandonné ici', { key: claim.key, recipient: claim.recipient });
      return { ok: 'lost' };
    }
    try {
      await send(claim.previousAttempts + attempt);
    } catch (e) {
      lastError = describeError(e);
      deps.logger.warn('Échec d’envoi, nouvel essai prévu', { key: claim.key, recipient: claim.recipient, attempt, error: lastError });
      if (attempt < max) await sleep(base * 2 ** (attempt - 1));
      continue;
    }
    // Outside the try: the channel accepted the message, so a ledger error here (database
    // unreachable) must not count as a failed send and send it again. It ends the tick; the claim
    // stays unsettled and is resumed, flagged, once its lease runs out (ledger.ts's residual window).
    if (!(await ledger.markSent(claim, now()))) {
      // Our send outlived the lease and someone else re-claimed: a duplicate is possible.
      deps.logger.warn('Envoi terminé après expiration de la réservation : doublon possible', { key: claim.key, recipient: claim.recipient });
    }
    return { ok: true };
  }
  await ledger.markFailed(claim, now(), lastError);
  return { ok: false, error: lastError };
}

function isDigestDue(now: Date, plan: ReminderPlan): boolean {
  if (!plan.digest) return false;
  const p = localParts(now, plan.timezone);
  return p.weekday > plan.digest.weekday || (p.weekday === plan.digest.weekday && p.hour >= plan.digest.hour);
}

/** The ledger a tick claims in: the injected one, or SQLite over `deps.db`. */
export function ledgerOf(deps: Pick<SchedulerDeps, 'db' | 'ledger'>): DeliveryLedger {
  return deps.ledger ?? new SqliteDeliveryLedger(deps.db);
}

export async function tick(deps: SchedulerDeps): Promise<TickResult> {
  const { db, plan, logger } = deps;
  const ledger = ledgerOf(deps);
  ensureMilestoneSchema(db);
  const start = deps.clock();
  const result: TickResult = {
    at: start.toISOString(), workingSlot: isWorkingSlot(start, plan), dryRun: deps.dryRun === true, due: 0,
    sent: [], failed: [], skipped: 0, wouldSend: [], unlinked: [], alertsSent: [], alertsFailed: [], digestSent: false,
  };
  if (!result.workingSlot) return result; // nudges and alerts wait for the next working slot
  if (deps.beforeTick) {
    try {
      await deps.beforeTick();
    } catch (e) {
      deps.logger.warn('Réponses des autres instances non relues avant le passage', { error: describeError(e) });
    }
  }
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const today = localParts(start, plan.timezone).date;
  deps.directory.refresh();
  const due = planDeliveries(deps, start);
  result.due = due.due;
  result.unlinked = due.unlinked.map(({ milestoneId, pilot, reason }) => ({ milestoneId, pilot, reason }));

  const pending = selectPending(due, await ledger.nudgeStatesSince(statesSince(plan, start)), start, deps.leaseMs);
  result.skipped = due.deliveries.length - pending.length;

  if (deps.dryRun) {
    result.wouldSend = pending;
    return result;
  }

  // Unlinked pilots: no send, the coordinator is told once per milestone and pilot.
  for (const u of due.unlinked) {
    await ledger.enqueueAlert({
      key: unlinkedAlertKey(u.milestoneId, u.pilotKey), kind: u.pilot === null ? 'sans-pilote' : 'pilote-non-relié',
      milestoneId: u.milestoneId, payload: { pilot: u.pilot, reason: u.reason, candidates: u.candidates },
    }, start.toISOString());
  }

  for (const d of pending) {
    const claim = await ledger.claimNudge({
      key: d.key, recipient: d.recipient.id, recipientName: d.recipient.name, milestoneId: d.milestoneId, kind: d.kind,
      keyDate: d.keyDate, milestoneDue: d.due,
    }, deps.clock().toISOString(), leaseMs);
    if (!claim) {
      result.skipped++;
      continue;
    }
    if (claim.resumed) logger.warn('Reprise d’une relance interrompue', { key: d.key, recipient: d.recipient.id, previousAttempts: claim.previousAttempts });
    const outcome = await deliver(deps, ledger, claim, (attempt) => deps.notifier.sendNudge(nudgeMessage(d, today, claim, attempt), d.recipient));
    if (outcome.ok === true) {
      result.sent.push({ key: d.key, recipient: d.recipient.id });
      logger.info('Relance envoyée', { key: d.key, recipient: d.recipient.id });
    } else if (outcome.ok === false) {
      result.failed.push({ key: d.key, recipient: d.recipient.id, error: outcome.error });
      logger.error('Relance non délivrée après plusieurs essais', { key: d.key, recipient: d.recipient.id, error: outcome.error });
      await ledger.enqueueAlert({
        key: failedAlertKey(d.key, d.recipient.id), kind: 'relance-échouée', milestoneId: d.milestoneId,
        payload: { nudgeKey: d.key, kind: d.kind, recipient: d.recipient.id, recipientName: d.recipient.name, attempts: deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, error: outcome.error },
      }, deps.clock().toISOString());
    } else {
      result.skipped++;
    }
  }

  if (isDigestDue(start, plan)) {
    await ledger.enqueueAlert({ key: digestKey(mondayOf(today)), kind: 'digest', milestoneId: null, payload: {} }, start.toISOString());
  }
  if (ledger.kind !== 'sqlite') await relayLocalAlerts(deps, ledger, leaseMs);
  await flushOutbox(deps, ledger, result, leaseMs);
  return result;
}

/**
 * With a shared ledger, coordinator messages enqueued in this replica's SQLite
 * file (a pilot's « besoin d'aide », recorded with the milestone in one
 * transaction) move to the shared outbox: claimed locally, enqueued there
 * (idempotent by key, so a crash between the two only re-enqueues), then
 * settled locally. Sending happens once, from the shared outbox.
 */
async function relayLocalAlerts(deps: SchedulerDeps, ledger: DeliveryLedger, leaseMs: number): Promise<void> {
  const { db } = deps;
  for (const record of claimableAlerts(db, deps.clock().toISOString(), leaseMs)) {
    const claim = claimAlert(db, record.key, deps.clock().toISOString(), leaseMs);
    if (!claim) continue;
    await ledger.enqueueAlert({ key: record.key, kind: record.kind, milestoneId: record.milestoneId, payload: record.payload }, record.createdAt);
    markSentLocally(db, claim, deps.clock().toISOString());
  }
}

/** Sends pending coordinator messages (alerts, digest) under the same claim protocol. */
async function flushOutbox(deps: SchedulerDeps, ledger: DeliveryLedger, result: TickResult, leaseMs: number): Promise<void> {
  const { db } = deps;
  for (const record of await ledger.claimableAlerts(deps.clock().toISOString(), leaseMs)) {
    const claim = await ledger.claimAlert(record.key, deps.clock().toISOString(), leaseMs);
    if (!claim) continue;
    let send: () => Promise<void>;
    if (record.kind === 'digest') {
      send = async () => {
        const failedNudges = await ledger.failedNudges();
        const digest = buildDigest(db, { now: deps.clock(), directory: deps.directory, timezone: deps.plan.timezone, failedNudges });
        await deps.notifier.sendDigest(digest, deps.coordinator ?? COORDINATOR);
      };
    } else {
      const milestone: MilestoneView | undefined = record.milestoneId
        ? getMilestone(db, record.milestoneId, deps.clock().toISOString(), deps.plan.timezone) : undefined;
      const alert = renderAlert(record, milestone);
      send = () => deps.notifier.sendCoordinatorAlert(alert);
    }
    const outcome = await deliver(deps, ledger, claim, send);
    if (outcome.ok === true) {
      if (record.kind === 'digest') result.digestSent = true;
      else result.alertsSent.push(record.key);
    } else if (outcome.ok === false) {
      result.alertsFailed.push(record.key);
      deps.logger.error('Message à la coordination non délivré', { key: record.key, error: outcome.error });
    }
  }
}
