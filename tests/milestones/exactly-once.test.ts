import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../src/storage/sqlite.js';
import type { Digest } from '../../src/milestones/digest.js';
import { listAlerts, listNudges } from '../../src/milestones/ledger.js';
import type { CoordinatorAlert, Notifier, NudgeMessage, Recipient } from '../../src/milestones/notifier.js';
import { tick } from '../../src/milestones/scheduler.js';
import { recordAnswer, syncMilestones } from '../../src/milestones/store.js';
import { deps, directory, tempDir } from './support.js';
import {
  DONE, expectedDeliveries, expectedDigestWeeks, isParisWorkingSlot, isUp, simFiches, simTicks, SYNC_AT,
} from './sim-fixture.js';

interface Delivered { key: string; recipient: string; at: number; instance: string; resumed: boolean }

/**
 * Counts what reaches the channel. Can be armed to "crash" once: the first
 * nudge send after `crashAfter` never returns (the process is gone after the
 * claim, mid-send) and the crash signal fires. Fails transiently now and then.
 */
class SimNotifier implements Notifier {
  crashed = false;
  readonly crashSignal: Promise<void>;
  private fireCrash!: () => void;
  private calls = 0;
  crashedKey: string | null = null;

  constructor(
    private readonly name: string,
    private readonly now: () => number,
    private readonly log: { nudges: Delivered[]; digests: string[]; alerts: string[] },
    private readonly crashAfter: number | null,
    private readonly failEvery: number,
  ) {
    this.crashSignal = new Promise((r) => { this.fireCrash = r; });
  }

  private async yieldTurn(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
  }

  async sendNudge(nudge: NudgeMessage, recipient: Recipient): Promise<void> {
    if (this.crashAfter !== null && !this.crashed && this.now() >= this.crashAfter) {
      this.crashed = true;
      this.crashedKey = `${nudge.key}|${recipient.id}`;
      this.fireCrash();
      return new Promise<void>(() => {}); // never settles: the process died mid-send
    }
    await this.yieldTurn();
    if (this.failEvery > 0 && ++this.calls % this.failEvery === 0) throw new Error('HTTP 503 (panne passagère)');
    this.log.nudges.push({ key: nudge.key, recipient: recipient.id, at: this.now(), instance: this.name, resumed: nudge.delivery.resumed });
  }

  async sendDigest(digest: Digest): Promise<void> {
    await this.yieldTurn();
    this.log.digests.push(digest.weekOf);
  }

  async sendCoordinatorAlert(alert: CoordinatorAlert): Promise<void> {
    await this.yieldTurn();
    this.log.alerts.push(alert.key);
  }
}

interface Instance { name: string; db: SqliteDb; notifier: SimNotifier }

describe('exactly-once delivery over two simulated months', () => {
  const log = { nudges: [] as Delivered[], digests: [] as string[], alerts: [] as string[] };
  let cleanup: () => void;
  let file: string;
  let restarts = 0;
  let crashedKey: string | null = null;
  const ticks = simTicks();

  beforeAll(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    file = path.join(t.dir, 'ptsm.sqlite');
    let now = ticks[0]!;
    const clock = (): Date => new Date(now);
    const setup = openDatabase(file);
    syncMilestones(setup, simFiches(), SYNC_AT);
    setup.close();

    const crashAt = Date.parse('2026-03-16T08:00:00Z'); // Monday 9:00 Paris, nudges are due
    const make = (name: string, crashAfter: number | null, failEvery: number): Instance => ({
      name, db: openDatabase(file), notifier: new SimNotifier(name, () => now, log, crashAfter, failEvery),
    });
    // Two instances on one database file, each with its own connection.
    const instances: Instance[] = [make('A', crashAt, 0), make('B', null, 37)];
    let doneRecorded = false;

    for (const t0 of ticks) {
      now = t0;
      if (!isUp(t0)) continue;
      if (!doneRecorded && t0 >= Date.parse(DONE.at)) {
        recordAnswer(instances[1]!.db, DONE.id, { kind: 'fait', by: 'Dr Paul Martin', at: DONE.at });
        doneRecorded = true;
      }
      const outcomes = await Promise.all(instances.map((inst) => Promise.race([
        tick(deps(inst.db, inst.notifier, clock, { directory: directory(inst.db) })).then(() => 'ok' as const),
        inst.notifier.crashSignal.then(() => 'crashed' as const),
      ])));
      outcomes.forEach((o, i) => {
        if (o !== 'crashed') return;
        // Restart: the crashed instance's connection is dropped; a new one opens the same file.
        const dead = instances[i]!;
        crashedKey = dead.notifier.crashedKey;
        dead.db.close();
        instances[i] = make(`${dead.name}'`, null, 0);
        restarts++;
      });
    }
    for (const inst of instances) inst.db.close();
  });
  afterAll(() => cleanup());

  it('delivers every expected nudge exactly once, and nothing else', () => {
    const expected = expectedDeliveries(ticks);
    const counts = new Map<string, number>();
    for (const d of log.nudges) counts.set(`${d.key}|${d.recipient}`, (counts.get(`${d.key}|${d.recipient}`) ?? 0) + 1);
    expect(expected.size).toBeGreaterThan(60);
    expect([...counts.entries()].filter(([, n]) => n > 1)).toEqual([]);
    expect([...expected].filter((k) => !counts.has(k))).toEqual([]);
    expect([...counts.keys()].filter((k) => !expected.has(k))).toEqual([]);
  });

  it('survived a crash mid-send: the interrupted nudge was re-sent once, flagged as resumed', () => {
    expect(restarts).toBe(1);
    expect(crashedKey).not.toBeNull();
    const again = log.nudges.filter((d) => `${d.key}|${d.recipient}` === crashedKey);
    expect(again).toHaveLength(1);
    expect(again[0]!.resumed).toBe(true);
    expect(again[0]!.instance).not.toBe('A');
    // Re-sent on the next tick after the 10-minute lease, i.e. 15 minutes later.
    expect(again[0]!.at).toBe(Date.parse('2026-03-16T08:15:00Z'));
  });

  it('both instances did real work, and only in Paris working hours', () => {
    expect(new Set(log.nudges.map((d) => d.instance[0]))).toEqual(new Set(['A', 'B']));
    expect(log.nudges.filter((d) => !isParisWorkingSlot(d.at))).toEqual([]);
  });

  it('left the ledger settled: every row sent, none claimed or failed', () => {
    const db = openDatabase(file);
    try {
      const rows = listNudges(db);
      expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
      expect(rows).toHaveLength(expectedDeliveries(ticks).size);
      expect(listAlerts(db).filter((a) => a.status !== 'sent')).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('sent one digest per week and each coordinator alert once', () => {
    expect(log.digests).toEqual(expectedDigestWeeks(ticks));
    expect(new Set(log.alerts).size).toBe(log.alerts.length);
    expect(log.alerts.some((k) => k.startsWith('non-relié:'))).toBe(true);
  });
});
