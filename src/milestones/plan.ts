import { z } from 'zod';
import { PtsmError } from '../core/errors.js';
import { addDays, assertTimeZone, daysBetween, isIsoDate, localParts } from './local-time.js';
import type { StoredStatus } from './store.js';

/**
 * The reminder plan and the pure computation of which nudge is due now.
 * Everything is reasoned in local calendar days of the plan's time zone, so a
 * DST change never moves a nudge to another day.
 */
const hour = z.number().int().min(0).max(24);

export const ReminderPlanSchema = z.object({
  /** Days before the due date: 14 → "J-14". */
  offsetsDays: z.array(z.number().int().min(1).max(366)).default([14, 7, 1]),
  /** Overdue nudges on due+1, then every N days until done; 0 disables them. */
  overdueEveryDays: z.number().int().min(0).max(366).default(7),
  /** Local hours [start, end): a nudge waits for this window. */
  workingHours: z.object({ start: hour, end: hour }).refine((w) => w.start < w.end, { message: 'start doit précéder end' })
    .default({ start: 9, end: 18 }),
  timezone: z.string().refine((tz) => { try { assertTimeZone(tz); return true; } catch { return false; } }, { message: 'fuseau horaire inconnu' })
    .default('Europe/Paris'),
  skipWeekends: z.boolean().default(true),
  /** Extra non-working days (jours fériés, fermetures), YYYY-MM-DD. */
  holidays: z.array(z.string().refine(isIsoDate, { message: 'date attendue au format AAAA-MM-JJ' })).default([]),
  /** When the weekly coordinator digest goes out (ISO weekday 1 = lundi); null: no digest. */
  digest: z.object({ weekday: z.number().int().min(1).max(7), hour: z.number().int().min(0).max(23) }).nullable()
    .default({ weekday: 1, hour: 9 }),
});
export type ReminderPlan = z.infer<typeof ReminderPlanSchema>;
export type ReminderPlanInput = z.input<typeof ReminderPlanSchema>;

export const DEFAULT_PLAN: ReminderPlan = ReminderPlanSchema.parse({});

/** Validates a plan (from a settings file or the CLI); French error naming the field. */
export function parsePlan(input: unknown, source = 'plan de relance'): ReminderPlan {
  const r = ReminderPlanSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `- ${i.path.join('.') || '(racine)'} : ${i.message}`);
  throw new PtsmError('CONFIG_INVALID', `Plan de relance invalide (${source}) :\n${lines.join('\n')}`, { input: source });
}

export type NudgeKind = `J-${number}` | 'overdue';

export const NUDGE_KIND_LABELS: Record<string, string> = { overdue: 'en retard' };

/** What the planner needs of a milestone (a MilestoneView fits). */
export interface PlanMilestone {
  id: string;
  due: string | null;
  remindFrom: string;
  storedStatus: StoredStatus;
}

export interface PlannedNudge {
  /** `${milestoneId}:${kind}:${keyDate}`: unique per nudge, the ledger's key. */
  key: string;
  milestoneId: string;
  kind: NudgeKind;
  /** Due date for J-n nudges, occurrence date for overdue ones. */
  keyDate: string;
  milestoneDue: string;
  /** The day the plan puts the nudge on, before working-day shifting. */
  nominalDate: string;
  /** First working day on or after the nominal date. */
  sendOn: string;
}

export function nudgeKey(milestoneId: string, kind: NudgeKind, keyDate: string): string {
  return `${milestoneId}:${kind}:${keyDate}`;
}

export function isWorkingDay(date: string, plan: ReminderPlan): boolean {
  if (plan.skipWeekends) {
    const wd = localWeekday(date);
    if (wd >= 6) return false;
  }
  return !plan.holidays.includes(date);
}

function localWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** First working day on or after `date`. */
export function nextWorkingDay(date: string, plan: ReminderPlan): string {
  let d = date;
  for (let i = 0; i < 400 && !isWorkingDay(d, plan); i++) d = addDays(d, 1);
  return d;
}

/** True when `now` is a working day within working hours, in the plan's time zone. */
export function isWorkingSlot(now: Date, plan: ReminderPlan): boolean {
  const p = localParts(now, plan.timezone);
  return isWorkingDay(p.date, plan) && p.hour >= plan.workingHours.start && p.hour < plan.workingHours.end;
}

function isOpen(m: PlanMilestone): m is PlanMilestone & { due: string } {
  return (m.storedStatus === 'à venir' || m.storedStatus === 'reporté') && m.due !== null;
}

function planned(m: PlanMilestone & { due: string }, kind: NudgeKind, keyDate: string, nominal: string, plan: ReminderPlan): PlannedNudge {
  return {
    key: nudgeKey(m.id, kind, keyDate), milestoneId: m.id, kind, keyDate, milestoneDue: m.due,
    nominalDate: nominal, sendOn: nextWorkingDay(nominal, plan),
  };
}

function sortedOffsets(plan: ReminderPlan): number[] {
  return [...new Set(plan.offsetsDays)].sort((a, b) => a - b);
}

/**
 * The latest nudge of a milestone whose day has come by `today`, or null.
 * Only the latest: after downtime, stale nudges are superseded, not sent in a
 * burst. Nudges dated before `remindFrom` (already past when the date was set)
 * never count.
 */
export function latestNudgeOn(m: PlanMilestone, today: string, plan: ReminderPlan): PlannedNudge | null {
  if (!isOpen(m)) return null;
  const due = m.due;
  if (today > due && plan.overdueEveryDays > 0) {
    const k = Math.floor((daysBetween(due, today) - 1) / plan.overdueEveryDays);
    const occ = addDays(due, 1 + k * plan.overdueEveryDays);
    // Every J-n nudge is earlier than the overdue one: nothing else can qualify.
    return occ >= m.remindFrom ? planned(m, 'overdue', occ, occ, plan) : null;
  }
  for (const o of sortedOffsets(plan)) {
    const d = addDays(due, -o);
    if (d > today) continue;
    return d >= m.remindFrom ? planned(m, `J-${o}`, due, d, plan) : null;
  }
  return null;
}

/** Nudges due at `now`: none outside working slots (they wait), at most one per milestone. */
export function dueNudges(milestones: readonly PlanMilestone[], now: Date, plan: ReminderPlan): PlannedNudge[] {
  if (!isWorkingSlot(now, plan)) return [];
  const today = localParts(now, plan.timezone).date;
  const out: PlannedNudge[] = [];
  for (const m of milestones) {
    const n = latestNudgeOn(m, today, plan);
    if (n) out.push(n);
  }
  return out;
}

/** Every nudge the plan foresees for a milestone, up to `until` (overdue ones repeat). */
export function scheduleNudges(m: PlanMilestone, plan: ReminderPlan, until: string): PlannedNudge[] {
  if (!isOpen(m)) return [];
  const out: PlannedNudge[] = [];
  for (const o of sortedOffsets(plan).reverse()) {
    const d = addDays(m.due, -o);
    if (d >= m.remindFrom && d <= until) out.push(planned(m, `J-${o}`, m.due, d, plan));
  }
  if (plan.overdueEveryDays > 0) {
    for (let d = addDays(m.due, 1); d <= until; d = addDays(d, plan.overdueEveryDays)) {
      if (d >= m.remindFrom) out.push(planned(m, 'overdue', d, d, plan));
    }
  }
  return out;
}

/** How far ahead the scheduler must look for J-n nudges. */
export function lookaheadDays(plan: ReminderPlan): number {
  return Math.max(0, ...plan.offsetsDays);
}
