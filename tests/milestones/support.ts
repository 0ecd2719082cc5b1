import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Fiche, type FicheMilestone, type Pilot } from '../../src/core/fiche.js';
import { silentLogger } from '../../src/core/logger.js';
import { openDatabase, type SqliteDb } from '../../src/storage/sqlite.js';
import type { Digest } from '../../src/milestones/digest.js';
import { createDirectory, type DirectoryEntry, type PilotDirectory } from '../../src/milestones/directory.js';
import type { CoordinatorAlert, Notifier, NudgeMessage, Recipient } from '../../src/milestones/notifier.js';
import { DEFAULT_PLAN, type ReminderPlan } from '../../src/milestones/plan.js';
import type { SchedulerDeps } from '../../src/milestones/scheduler.js';

export function tempDir(prefix = 'ptsm-milestones-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function tempDb(): { db: SqliteDb; file: string; dir: string; cleanup: () => void } {
  const t = tempDir();
  const file = path.join(t.dir, 'ptsm.sqlite');
  const db = openDatabase(file);
  return { db, file, dir: t.dir, cleanup: () => { if (db.open) db.close(); t.cleanup(); } };
}

export function pilot(name: string, extra: Partial<Pilot> = {}): Pilot {
  return { name, organisation: null, email: null, chatIds: {}, ...extra };
}

export function ms(label: string, due: string | null, dueText = due ?? ''): FicheMilestone {
  return { label, dueText, due, start: null, precision: due ? 'day' : 'unresolved' };
}

export function fiche(id: string, number: number | null, milestones: FicheMilestone[], pilots: Pilot[], extra: Record<string, unknown> = {}): Fiche {
  return Fiche.parse({ id, number, title: `Fiche ${id}`, milestones, pilots, updatedAt: '2026-01-01T00:00:00.000Z', ...extra });
}

export const ANNUAIRE: DirectoryEntry[] = [
  { name: 'Dr Paul Martin', aliases: ['paul.martin@ch-vaubrun.fr'], organisation: 'CH de Vaubrun', slack: 'U0001', source: 'annuaire' },
  { name: 'Hélène Dupont', aliases: [], organisation: 'UNAFAM', email: 'helene.dupont@unafam.example', source: 'annuaire' },
  { name: 'Karim Benali', aliases: ['K. Benali'], organisation: 'CMP Nord', teams: '29:karim', source: 'annuaire' },
  { name: 'Sophie Leroy', aliases: [], organisation: 'MDPH', email: 'sophie.leroy@mdph.example', source: 'annuaire' },
];

export function directory(db?: SqliteDb, entries: DirectoryEntry[] = ANNUAIRE): PilotDirectory {
  return createDirectory(entries, db);
}

export interface Delivery {
  key: string;
  recipient: string;
  at: string;
  resumed: boolean;
  attempt: number;
}

/** A notifier that records what reached it; optional async delay to interleave concurrent ticks. */
export class RecordingNotifier implements Notifier {
  nudges: Delivery[] = [];
  messages: NudgeMessage[] = [];
  digests: { digest: Digest; recipient: Recipient }[] = [];
  alerts: CoordinatorAlert[] = [];
  constructor(private readonly clock: () => Date, private readonly yields = 0) {}

  private async pause(): Promise<void> {
    for (let i = 0; i < this.yields; i++) await new Promise<void>((r) => setImmediate(r));
  }

  async sendNudge(nudge: NudgeMessage, recipient: Recipient): Promise<void> {
    await this.pause();
    this.nudges.push({ key: nudge.key, recipient: recipient.id, at: this.clock().toISOString(), resumed: nudge.delivery.resumed, attempt: nudge.delivery.attempt });
    this.messages.push(nudge);
  }

  async sendDigest(digest: Digest, recipient: Recipient): Promise<void> {
    await this.pause();
    this.digests.push({ digest, recipient });
  }

  async sendCoordinatorAlert(alert: CoordinatorAlert): Promise<void> {
    await this.pause();
    this.alerts.push(alert);
  }
}

export class ManualClock {
  constructor(public t: Date) {}
  now = (): Date => new Date(this.t.getTime());
  set(iso: string): void { this.t = new Date(iso); }
}

export function deps(db: SqliteDb, notifier: Notifier, clock: () => Date, over: Partial<SchedulerDeps> = {}, plan: ReminderPlan = DEFAULT_PLAN): SchedulerDeps {
  return {
    db, notifier, clock, plan, logger: silentLogger, directory: over.directory ?? directory(db),
    sleep: async () => {}, backoffMs: 1, ...over,
  };
}

/**
 * Paris wall clock computed from the EU summer-time rule, independently of
 * Intl: the oracle the tests check the scheduler against.
 */
function lastSundayUtc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1, 0, 0);
}

export function parisWall(instant: Date): { date: string; hour: number; weekday: number } {
  const y = instant.getUTCFullYear();
  const summer = instant.getTime() >= lastSundayUtc(y, 2) && instant.getTime() < lastSundayUtc(y, 9);
  const local = new Date(instant.getTime() + (summer ? 2 : 1) * 3_600_000);
  const wd = local.getUTCDay();
  return { date: local.toISOString().slice(0, 10), hour: local.getUTCHours(), weekday: wd === 0 ? 7 : wd };
}

export function plusDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
