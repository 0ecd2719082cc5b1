import type { Fiche, Pilot } from '../../src/core/fiche.js';
import { fiche, ms, parisWall, pilot, plusDays } from './support.js';

/**
 * The two-month simulation shared by the in-process and multi-process
 * exactly-once tests: ~30 milestones over 10 fiches, and an oracle computing
 * the expected nudges from the plan's rules independently of src/ (own Paris
 * DST rule, own date arithmetic, own pilot → recipient mapping).
 */
export const SIM_START = Date.parse('2026-03-02T00:00:00Z');
export const SIM_END = Date.parse('2026-05-01T00:00:00Z');
export const STEP_MS = 15 * 60_000;
export const SYNC_AT = '2026-03-02T00:00:00.000Z';
export const REMIND_FROM = '2026-03-02';

/** Both instances down over Easter: nudges missed then are caught up once. */
export const DOWN_FROM = Date.parse('2026-04-03T15:00:00Z');
export const DOWN_UNTIL = Date.parse('2026-04-07T09:00:00Z');

/** Pilot as written in a fiche, and the recipient id the directory must resolve it to (null: unlinked). */
const POOL: { pilot: Pilot; recipient: string | null }[] = [
  { pilot: pilot('Dr Paul Martin'), recipient: 'martin paul' },
  { pilot: pilot('Hélène Dupont', { email: 'helene.dupont@unafam.example' }), recipient: 'dupont helene' },
  { pilot: pilot('K. Benali'), recipient: 'benali karim' },
  { pilot: pilot('Mme Leroy'), recipient: 'leroy sophie' },
  { pilot: pilot('Nadia Haddad', { chatIds: { slack: 'U0777' } }), recipient: 'haddad nadia' },
  { pilot: pilot('Dr Jeanne Morel'), recipient: null },
];

const DUES: (string | null)[] = [
  '2026-02-20', '2026-03-01', '2026-03-06', '2026-03-08', '2026-03-10', '2026-03-14', '2026-03-17', '2026-03-20',
  '2026-03-23', '2026-03-29', '2026-03-30', '2026-03-31', '2026-04-02', '2026-04-05', '2026-04-06', '2026-04-08',
  '2026-04-10', '2026-04-13', '2026-04-15', '2026-04-18', '2026-04-20', '2026-04-22', '2026-04-24', '2026-04-27',
  '2026-04-30', '2026-05-05', '2026-05-12', '2026-05-20', null, '2026-02-30',
];
const LABELS = ['Lancement', 'Premier comité de suivi', 'Bilan intermédiaire'];

/** A milestone marked done in the middle of the simulation: its nudges stop. */
export const DONE = { id: 'fa-1#bilan-intermediaire', at: '2026-04-01T10:00:00.000Z' };

export interface SimMilestone {
  id: string;
  due: string | null;
  recipients: string[];
}

export function simFiches(): Fiche[] {
  const out: Fiche[] = [];
  for (let k = 0; k < 10; k++) {
    const pilots = [POOL[k % POOL.length]!.pilot];
    if (k % 2 === 0) pilots.push(POOL[(k + 2) % POOL.length]!.pilot);
    out.push(fiche(`fa-${k + 1}`, k + 1, LABELS.map((label, j) => ms(label, DUES[3 * k + j]!, `échéance ${3 * k + j}`)), pilots));
  }
  return out;
}

function slug(label: string): string {
  return label.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

export function simMilestones(): SimMilestone[] {
  const out: SimMilestone[] = [];
  for (let k = 0; k < 10; k++) {
    const recipients = [POOL[k % POOL.length]!.recipient];
    if (k % 2 === 0) recipients.push(POOL[(k + 2) % POOL.length]!.recipient);
    LABELS.forEach((label, j) => {
      const due = DUES[3 * k + j]!;
      const real = due !== null && !Number.isNaN(Date.parse(`${due}T00:00:00Z`)) && new Date(`${due}T00:00:00Z`).toISOString().startsWith(due);
      out.push({ id: `fa-${k + 1}#${slug(label)}`, due: real ? due : null, recipients: recipients.filter((r): r is string => r !== null) });
    });
  }
  return out;
}

export function isUp(t: number): boolean {
  return t < DOWN_FROM || t >= DOWN_UNTIL;
}

export function simTicks(end = SIM_END): number[] {
  const out: number[] = [];
  for (let t = SIM_START; t < end; t += STEP_MS) out.push(t);
  return out;
}

/** The latest nudge whose day has come (independent re-implementation of the plan's rule). */
function latestKey(m: SimMilestone, today: string): string | null {
  if (!m.due) return null;
  const cands: { date: string; key: string }[] = [14, 7, 1].map((o) => ({ date: plusDays(m.due!, -o), key: `${m.id}:J-${o}:${m.due}` }));
  for (let d = plusDays(m.due, 1); d <= today; d = plusDays(d, 7)) cands.push({ date: d, key: `${m.id}:overdue:${d}` });
  const newest = cands.filter((c) => c.date <= today).sort((a, b) => (a.date < b.date ? -1 : 1)).at(-1);
  // Only the newest counts; if it was already past when the milestone was synced, nothing is sent.
  return newest && newest.date >= REMIND_FROM ? newest.key : null;
}

export function isParisWorkingSlot(t: number): boolean {
  const w = parisWall(new Date(t));
  return w.weekday <= 5 && w.hour >= 9 && w.hour < 18;
}

/** `${key}|${recipient}` of every nudge the plan requires over the ticks the bot was up. */
export function expectedDeliveries(ticks: number[]): Set<string> {
  const doneAt = Date.parse(DONE.at);
  const out = new Set<string>();
  const milestones = simMilestones();
  for (const t of ticks) {
    if (!isUp(t) || !isParisWorkingSlot(t)) continue;
    const today = parisWall(new Date(t)).date;
    for (const m of milestones) {
      if (m.id === DONE.id && t >= doneAt) continue;
      const key = latestKey(m, today);
      if (key) for (const r of m.recipients) out.add(`${key}|${r}`);
    }
  }
  return out;
}

/** Weeks (their Monday, Paris) with at least one working slot while up: one digest each. */
export function expectedDigestWeeks(ticks: number[]): string[] {
  const weeks = new Set<string>();
  for (const t of ticks) {
    if (!isUp(t) || !isParisWorkingSlot(t)) continue;
    const w = parisWall(new Date(t));
    weeks.add(plusDays(w.date, 1 - w.weekday));
  }
  return [...weeks].sort();
}
