import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PtsmError } from '../../src/core/errors.js';
import type { SqliteDb } from '../../src/storage/sqlite.js';
import { buildDigest, renderDigestText } from '../../src/milestones/digest.js';
import { claimNudge, listAlerts, listNudges, type ClaimHandle } from '../../src/milestones/ledger.js';
import { SqliteDeliveryLedger } from '../../src/milestones/ledger-port.js';
import { ConsoleNotifier, FileNotifier, type Notifier, type NudgeMessage } from '../../src/milestones/notifier.js';
import { toReminderJson } from '../../src/milestones/reminder-json.js';
import { pendingDeliveries, planDeliveries, tick } from '../../src/milestones/scheduler.js';
import { startScheduler } from '../../src/milestones/runner.js';
import { recordAnswer, syncMilestones } from '../../src/milestones/store.js';
import { deps, directory, fiche, ManualClock, ms, pilot, RecordingNotifier, tempDb } from './support.js';

const FICHES = [
  fiche('fa-4', 4, [ms('Lancement', '2026-06-30', 'fin juin 2026')], [pilot('Dr Paul Martin'), pilot('Hélène Dupont')]),
  fiche('fa-6', 6, [ms('Formation PSSM', '2026-07-03', 'début juillet')], [pilot('K. Benali')]),
];

/** Throws `failures` times, then delegates. */
class FlakyNotifier extends RecordingNotifier {
  calls = 0;
  constructor(clock: () => Date, private failures: number) { super(clock); }
  override async sendNudge(n: NudgeMessage, r: Parameters<Notifier['sendNudge']>[1]): Promise<void> {
    this.calls++;
    if (this.failures > 0) {
      this.failures--;
      throw new PtsmError('NOTIFIER_FAILED', 'Slack indisponible (503)');
    }
    return super.sendNudge(n, r);
  }
}

describe('scheduler tick', () => {
  let db: SqliteDb;
  let cleanup: () => void;
  let clock: ManualClock;
  beforeEach(() => {
    ({ db, cleanup } = tempDb());
    clock = new ManualClock(new Date('2026-05-01T08:00:00Z'));
    syncMilestones(db, FICHES, clock.now().toISOString());
  });
  afterEach(() => cleanup());
  /** fa-4's own J-14 (16 June) would still be due on 19 June: close it to watch fa-6 alone. */
  const onlyFa6 = (): void => { recordAnswer(db, 'fa-4#lancement', { kind: 'fait', by: 'test', at: '2026-06-01T08:00:00Z' }); };

  it('sends each due nudge to each linked pilot with the three one-click answers', async () => {
    clock.set('2026-06-16T08:00:00Z');
    const notifier = new RecordingNotifier(clock.now);
    const r = await tick(deps(db, notifier, clock.now));
    expect(r.sent.map((s) => `${s.key} → ${s.recipient}`)).toEqual([
      'fa-4#lancement:J-14:2026-06-30 → martin paul',
      'fa-4#lancement:J-14:2026-06-30 → dupont helene',
    ]);
    const msg = notifier.messages[0]!;
    expect(msg.actions).toEqual([
      { action: 'fait', label: 'Fait', value: 'fa-4#lancement' },
      { action: 'reporter', label: 'Reporter', value: 'fa-4#lancement' },
      { action: 'aide', label: "Besoin d'aide", value: 'fa-4#lancement' },
    ]);
    expect(msg.text).toBe("Bonjour Dr Paul Martin, petit rappel : l'échéance « Lancement » (FA 4 — Fiche fa-4) arrive dans 14 jours (fin juin 2026, soit le 30/06/2026). Où en êtes-vous ?");
    expect(msg.daysLeft).toBe(14);
    // Same day, later tick: nothing new.
    clock.set('2026-06-16T12:00:00Z');
    const again = await tick(deps(db, notifier, clock.now));
    expect(again.sent).toEqual([]);
    expect(again.skipped).toBe(2);
    expect(listNudges(db, { status: 'sent' })).toHaveLength(2);
  });

  it('retries a failing notifier with exponential backoff, then succeeds', async () => {
    onlyFa6();
    clock.set('2026-06-19T08:00:00Z'); // J-14 of fa-6 (due 3 July)
    const notifier = new FlakyNotifier(clock.now, 2);
    const sleeps: number[] = [];
    const r = await tick(deps(db, notifier, clock.now, { sleep: async (ms) => { sleeps.push(ms); }, backoffMs: 500, maxAttempts: 4 }));
    expect(sleeps).toEqual([500, 1000]);
    expect(r.sent).toHaveLength(1);
    expect(notifier.nudges[0]!.attempt).toBe(3);
    expect(listNudges(db)[0]).toMatchObject({ status: 'sent', attempts: 3, error: null });
  });

  it('records a nudge as failed after N tries, never retries it silently, and reports it', async () => {
    onlyFa6();
    clock.set('2026-06-19T08:00:00Z');
    const notifier = new FlakyNotifier(clock.now, 1000);
    const sleeps: number[] = [];
    const d = deps(db, notifier, clock.now, { sleep: async (ms) => { sleeps.push(ms); }, backoffMs: 100, maxAttempts: 3 });
    const r = await tick(d);
    expect(sleeps).toEqual([100, 200]);
    expect(r.failed).toEqual([{ key: 'fa-6#formation-pssm:J-14:2026-07-03', recipient: 'benali karim', error: 'Slack indisponible (503)' }]);
    expect(listNudges(db, { status: 'failed' })).toMatchObject([{ attempts: 3, error: 'Slack indisponible (503)' }]);
    // The coordinator is told (alerts go through sendCoordinatorAlert, which works).
    expect(notifier.alerts.map((a) => a.kind)).toEqual(['relance-échouée']);
    expect(notifier.alerts[0]!.text).toContain('Slack indisponible (503)');
    // Later ticks do not hammer the channel with the same nudge.
    clock.set('2026-06-19T10:00:00Z');
    await tick(d);
    expect(notifier.calls).toBe(3);
    const digest = buildDigest(db, { now: clock.now(), directory: directory(db) });
    expect(digest.failedNudges).toMatchObject([{ milestoneId: 'fa-6#formation-pssm', recipient: 'benali karim', attempts: 3 }]);
    expect(renderDigestText(digest)).toContain('Relances non délivrées');
    expect(renderDigestText(digest)).toContain('(J-14) pour Karim Benali : 3 essais, Slack indisponible (503)');
  });

  it('dry run returns what would be sent without claiming anything', async () => {
    clock.set('2026-06-16T08:00:00Z');
    const notifier = new RecordingNotifier(clock.now);
    const dry = await tick(deps(db, notifier, clock.now, { dryRun: true }));
    expect(notifier.nudges).toEqual([]);
    expect(listNudges(db)).toEqual([]);
    expect(toReminderJson(dry.wouldSend)).toEqual([
      { key: 'fa-4#lancement:J-14:2026-06-30', pilot: 'Dr Paul Martin', ficheId: 'fa-4', milestone: 'Lancement', due: '2026-06-30', kind: 'J-14' },
      { key: 'fa-4#lancement:J-14:2026-06-30', pilot: 'Hélène Dupont', ficheId: 'fa-4', milestone: 'Lancement', due: '2026-06-30', kind: 'J-14' },
    ]);
    const real = await tick(deps(db, notifier, clock.now));
    expect(real.sent.map((s) => s.recipient)).toEqual(dry.wouldSend.map((w) => w.recipient.id));
    expect((await tick(deps(db, notifier, clock.now, { dryRun: true }))).wouldSend).toEqual([]);
  });

  it('lists what goes out today even at night for the CLI (ignoreHours)', () => {
    clock.set('2026-06-15T22:30:00Z'); // Tuesday 16 June, 00:30 in Paris
    expect(planDeliveries(deps(db, new RecordingNotifier(clock.now), clock.now), clock.now()).deliveries).toEqual([]);
    const d = deps(db, new RecordingNotifier(clock.now), clock.now);
    const list = planDeliveries(d, clock.now(), { ignoreHours: true });
    expect(list.deliveries.map((x) => x.kind)).toEqual(['J-14', 'J-14']);
    expect(toReminderJson(pendingDeliveries(d, clock.now(), list)).map((r) => r.pilot)).toEqual(['Dr Paul Martin', 'Hélène Dupont']);
    // Once sent (at 9:00), they are no longer pending.
    clock.set('2026-06-16T07:00:00Z');
    return tick(d).then(() => {
      clock.set('2026-06-16T22:00:00Z');
      expect(pendingDeliveries(d, clock.now(), planDeliveries(d, clock.now(), { ignoreHours: true }))).toEqual([]);
    });
  });

  it('does not touch a claim held by a live instance, takes over a claim whose lease expired', async () => {
    onlyFa6();
    clock.set('2026-06-19T08:00:00Z');
    const key = 'fa-6#formation-pssm:J-14:2026-07-03';
    // Another instance claimed it and crashed before sending.
    expect(claimNudge(db, { key, recipient: 'benali karim', milestoneId: 'fa-6#formation-pssm', kind: 'J-14', keyDate: '2026-07-03', milestoneDue: '2026-07-03' }, clock.now().toISOString(), 600_000)).not.toBeNull();
    const notifier = new RecordingNotifier(clock.now);
    clock.set('2026-06-19T08:05:00Z');
    expect((await tick(deps(db, notifier, clock.now))).sent).toEqual([]);
    clock.set('2026-06-19T08:10:01Z');
    const r = await tick(deps(db, notifier, clock.now));
    expect(r.sent).toEqual([{ key, recipient: 'benali karim' }]);
    expect(notifier.nudges[0]!.resumed).toBe(false); // the crashed owner never started a send attempt
  });

  it('a ledger error after the channel accepted a nudge ends the tick without sending it again; it is resumed, flagged, after the lease', async () => {
    clock.set('2026-06-19T08:00:00Z');
    const notifier = new RecordingNotifier(clock.now);
    class BrokenOnce extends SqliteDeliveryLedger {
      broken = true;
      override async markSent(h: ClaimHandle, nowIso: string): Promise<boolean> {
        if (this.broken) { this.broken = false; throw new PtsmError('DATABASE_FAILED', 'PostgreSQL (postgres://…) : requête impossible (serveur injoignable).'); }
        return super.markSent(h, nowIso);
      }
    }
    await expect(tick(deps(db, notifier, clock.now, { ledger: new BrokenOnce(db) }))).rejects.toThrow(/serveur injoignable/);
    expect(notifier.nudges).toHaveLength(1);
    expect(listNudges(db)).toMatchObject([{ status: 'claimed', attempts: 1 }]);
    clock.set('2026-06-19T08:15:00Z');
    const first = notifier.nudges[0]!;
    await tick(deps(db, notifier, clock.now));
    const again = notifier.nudges.filter((n) => n.key === first.key && n.recipient === first.recipient);
    expect(again.map((n) => [n.resumed, n.attempt])).toEqual([[false, 1], [true, 2]]);
    expect(notifier.nudges.filter((n) => n.resumed)).toHaveLength(1); // the others went out once, unflagged
    expect(listNudges(db).filter((n) => n.status !== 'sent')).toEqual([]);
  });

  it('catches up once after downtime: only the latest missed nudge, then the plan resumes', async () => {
    // Down from 1 May to Friday 26 June: J-14 (16 June) and J-7 (23 June) of fa-4 were missed.
    const notifier = new RecordingNotifier(clock.now);
    for (const t of ['2026-06-26T07:00:00Z', '2026-06-26T07:15:00Z', '2026-06-26T14:00:00Z', '2026-06-29T07:00:00Z']) {
      clock.set(t);
      await tick(deps(db, notifier, clock.now));
    }
    expect(notifier.nudges.filter((n) => n.key.startsWith('fa-4')).map((n) => `${n.key} ${n.at}`)).toEqual([
      'fa-4#lancement:J-7:2026-06-30 2026-06-26T07:00:00.000Z',
      'fa-4#lancement:J-7:2026-06-30 2026-06-26T07:00:00.000Z',
      'fa-4#lancement:J-1:2026-06-30 2026-06-29T07:00:00.000Z',
      'fa-4#lancement:J-1:2026-06-30 2026-06-29T07:00:00.000Z',
    ]);
  });

  it('startScheduler ticks at once on start (catch-up) and stops cleanly', async () => {
    clock.set('2026-06-16T08:00:00Z');
    const notifier = new RecordingNotifier(clock.now);
    const running = startScheduler(deps(db, notifier, clock.now), { intervalMs: 3_600_000 });
    await running.stop();
    expect(notifier.nudges).toHaveLength(2);
  });

  it('sends the weekly digest once per week, on Monday from 9:00', async () => {
    const notifier = new RecordingNotifier(clock.now);
    for (const t of ['2026-06-15T06:30:00Z', '2026-06-15T07:00:00Z', '2026-06-15T07:15:00Z', '2026-06-17T08:00:00Z', '2026-06-22T07:00:00Z']) {
      clock.set(t);
      await tick(deps(db, notifier, clock.now));
    }
    expect(notifier.digests.map((d) => d.digest.weekOf)).toEqual(['2026-06-15', '2026-06-22']);
    expect(notifier.digests[0]!.recipient.role).toBe('coordinator');
    expect(notifier.digests[0]!.digest.upcoming.map((u) => u.milestoneId)).toEqual(['fa-4#lancement', 'fa-6#formation-pssm']);
    expect(listAlerts(db, { kind: 'digest', status: 'sent' })).toHaveLength(2);
  });

  it('builds the digest: overdue, upcoming, done this week', async () => {
    recordAnswer(db, 'fa-6#formation-pssm', { kind: 'fait', by: 'K. Benali', at: '2026-07-01T10:00:00Z' });
    const d = buildDigest(db, { now: '2026-07-06T07:00:00Z', directory: directory(db) });
    expect(d.overdue.map((o) => [o.milestoneId, o.daysLeft])).toEqual([['fa-4#lancement', -6]]);
    expect(d.doneThisWeek.map((o) => o.milestoneId)).toEqual(['fa-6#formation-pssm']);
    const text = renderDigestText(d);
    expect(text).toContain('Synthèse des échéances — semaine du 06/07/2026');
    expect(text).toContain('- FA 4 — Lancement : 30/06/2026 (Dr Paul Martin, Hélène Dupont) — 6 j de retard');
  });
});

describe('console and file notifiers', () => {
  const nudge: NudgeMessage = {
    key: 'fa-4#lancement:J-7:2026-06-30', kind: 'J-7', milestoneId: 'fa-4#lancement', ficheId: 'fa-4', ficheNumber: 4, ficheTitle: 'Repérage précoce',
    milestone: 'Lancement', dueText: 'T2 2026', due: '2026-06-30', daysLeft: 7, text: 'Bonjour Dr Paul Martin, petit rappel…',
    actions: [{ action: 'fait', label: 'Fait', value: 'fa-4#lancement' }, { action: 'reporter', label: 'Reporter', value: 'fa-4#lancement' }, { action: 'aide', label: "Besoin d'aide", value: 'fa-4#lancement' }],
    delivery: { attempt: 1, resumed: false },
  };
  const recipient = { id: 'martin paul', name: 'Dr Paul Martin', organisation: 'CH de Vaubrun', role: 'pilot' as const, slack: 'U0001' };

  it('ConsoleNotifier writes the French text and the three answers', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => { text += c.toString('utf8'); });
    await new ConsoleNotifier(out).sendNudge(nudge, recipient);
    expect(text).toContain('Relance J-7 pour Dr Paul Martin (Slack U0001)');
    expect(text).toContain("[Fait] [Reporter] [Besoin d'aide]");
  });

  it('FileNotifier appends one JSON line per message', async () => {
    const { dir, cleanup } = tempDb();
    try {
      const file = path.join(dir, 'out', 'relances.jsonl');
      const n = new FileNotifier(file, () => new Date('2026-06-23T08:00:00Z'));
      await n.sendNudge(nudge, recipient);
      await n.sendCoordinatorAlert({ key: 'k', kind: 'besoin-aide', milestoneId: 'fa-4#lancement', ficheId: 'fa-4', text: 'Aide', details: {} });
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; at: string; nudge?: NudgeMessage });
      expect(lines.map((l) => l.type)).toEqual(['nudge', 'alert']);
      expect(lines[0]!.nudge!.actions.map((a) => a.action)).toEqual(['fait', 'reporter', 'aide']);
      expect(lines[0]!.at).toBe('2026-06-23T08:00:00.000Z');
    } finally {
      cleanup();
    }
  });
});
