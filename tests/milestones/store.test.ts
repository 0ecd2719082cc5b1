import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPtsmError } from '../../src/core/errors.js';
import type { SqliteDb } from '../../src/storage/sqlite.js';
import { buildDigest } from '../../src/milestones/digest.js';
import { listNudges } from '../../src/milestones/ledger.js';
import { tick } from '../../src/milestones/scheduler.js';
import {
  getMilestone, listMilestones, milestoneHistory, recordAnswer, syncMilestones,
} from '../../src/milestones/store.js';
import { deps, directory, fiche, ManualClock, ms, pilot, RecordingNotifier, tempDb } from './support.js';

const PAUL = pilot('Dr Paul Martin', { email: 'paul.martin@ch-vaubrun.fr' });

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isPtsmError(e) ? e.code : 'not-ptsm';
  }
  return undefined;
}

describe('milestone store', () => {
  let db: SqliteDb;
  let cleanup: () => void;
  beforeEach(() => ({ db, cleanup } = tempDb()));
  afterEach(() => cleanup());

  const fa4 = (due: string | null, extra: Record<string, unknown> = {}) =>
    fiche('fa-4', 4, [ms('Lancement', due, 'fin juin 2026'), ms('Premier bilan', '2026-12-31', 'fin 2026')], [PAUL], extra);

  it('creates one milestone per échéance, keyed by fiche and label', () => {
    const r = syncMilestones(db, [fa4('2026-06-30')], '2026-05-01T08:00:00Z');
    expect(r.created).toEqual(['fa-4#lancement', 'fa-4#premier-bilan']);
    const list = listMilestones(db, { now: '2026-05-01T08:00:00Z' });
    expect(list.map((m) => [m.id, m.due, m.status, m.dueText])).toEqual([
      ['fa-4#lancement', '2026-06-30', 'à venir', 'fin juin 2026'],
      ['fa-4#premier-bilan', '2026-12-31', 'à venir', 'fin 2026'],
    ]);
    // Re-sync of the same fiche changes nothing.
    const again = syncMilestones(db, [fa4('2026-06-30')], '2026-05-02T08:00:00Z');
    expect(again).toMatchObject({ created: [], moved: [], cancelled: [], unchanged: 2 });
  });

  it('gives repeated labels distinct keys', () => {
    syncMilestones(db, [fiche('fa-1', 1, [ms('Réunion', '2026-03-01'), ms('Réunion', '2026-06-01'), ms('', '2026-09-01', 'T3 2026')], [PAUL])], '2026-01-05T08:00:00Z');
    expect(listMilestones(db).map((m) => m.key)).toEqual(['reunion', 'reunion-2', 't3-2026']);
  });

  it('derives "en retard" from a passed due date on an open milestone', () => {
    syncMilestones(db, [fa4('2026-06-30')], '2026-05-01T08:00:00Z');
    expect(getMilestone(db, 'fa-4#lancement', '2026-07-01T08:00:00Z')!.status).toBe('en retard');
    expect(listMilestones(db, { now: '2026-07-01T08:00:00Z', status: 'en retard' }).map((m) => m.id)).toEqual(['fa-4#lancement']);
    expect(getMilestone(db, 'fa-4#lancement', '2026-06-30T20:00:00Z')!.status).toBe('à venir'); // still 30 June in Paris
  });

  it('a moved date moves the reminders: nudges for the old date are no longer due', async () => {
    const clock = new ManualClock(new Date('2026-05-01T08:00:00Z'));
    const notifier = new RecordingNotifier(clock.now);
    const d = deps(db, notifier, clock.now);
    syncMilestones(db, [fa4('2026-06-30')], clock.now().toISOString());
    clock.set('2026-06-16T08:00:00Z'); // J-14
    await tick(d);
    expect(notifier.nudges.map((n) => n.key)).toEqual(['fa-4#lancement:J-14:2026-06-30']);

    const r = syncMilestones(db, [fa4('2026-09-30')], '2026-06-18T08:00:00Z');
    expect(r.moved).toEqual([{ id: 'fa-4#lancement', from: '2026-06-30', to: '2026-09-30' }]);
    for (const t of ['2026-06-23T08:00:00Z', '2026-06-29T08:00:00Z', '2026-07-01T08:00:00Z']) {
      clock.set(t);
      await tick(d);
    }
    expect(notifier.nudges).toHaveLength(1);
    clock.set('2026-09-16T08:00:00Z');
    await tick(d);
    expect(notifier.nudges.map((n) => n.key)).toEqual(['fa-4#lancement:J-14:2026-06-30', 'fa-4#lancement:J-14:2026-09-30']);
    expect(milestoneHistory(db, 'fa-4#lancement').map((h) => h.event)).toEqual(['créé', 'date modifiée']);
  });

  it('cancels the milestones of a deleted fiche (history kept, never deleted) and revives them if it returns', async () => {
    syncMilestones(db, [fa4('2026-06-30'), fiche('fa-5', 5, [ms('Formation', '2026-06-30')], [PAUL])], '2026-05-01T08:00:00Z');
    const r = syncMilestones(db, [fiche('fa-5', 5, [ms('Formation', '2026-06-30')], [PAUL])], '2026-05-02T08:00:00Z');
    expect(r.cancelled.map((c) => c.id).sort()).toEqual(['fa-4#lancement', 'fa-4#premier-bilan']);
    const gone = getMilestone(db, 'fa-4#lancement')!;
    expect(gone.status).toBe('abandonné');
    expect(gone.statusReason).toBe('fiche supprimée du registre');
    expect(milestoneHistory(db, 'fa-4#lancement').map((h) => h.event)).toEqual(['créé', 'abandonné']);

    const clock = new ManualClock(new Date('2026-06-16T08:00:00Z'));
    const notifier = new RecordingNotifier(clock.now);
    await tick(deps(db, notifier, clock.now));
    expect(notifier.nudges.map((n) => n.key)).toEqual(['fa-5#formation:J-14:2026-06-30']);

    const back = syncMilestones(db, [fa4('2026-06-30'), fiche('fa-5', 5, [ms('Formation', '2026-06-30')], [PAUL])], '2026-06-20T08:00:00Z');
    expect(back.reactivated.sort()).toEqual(['fa-4#lancement', 'fa-4#premier-bilan']);
    expect(getMilestone(db, 'fa-4#lancement')!.storedStatus).toBe('à venir');
  });

  it('cancels an échéance removed from its fiche, and all of an abandoned fiche', () => {
    syncMilestones(db, [fa4('2026-06-30')], '2026-05-01T08:00:00Z');
    const r = syncMilestones(db, [fiche('fa-4', 4, [ms('Lancement', '2026-06-30')], [PAUL])], '2026-05-02T08:00:00Z');
    expect(r.cancelled).toEqual([{ id: 'fa-4#premier-bilan', reason: 'échéance retirée de la fiche' }]);
    syncMilestones(db, [fiche('fa-4', 4, [ms('Lancement', '2026-06-30')], [PAUL], { status: 'abandonnée' })], '2026-05-03T08:00:00Z');
    expect(getMilestone(db, 'fa-4#lancement')!).toMatchObject({ status: 'abandonné', statusReason: 'fiche abandonnée' });
    expect(listMilestones(db)).toHaveLength(2); // nothing deleted
  });

  it('"fait" stops the reminders', async () => {
    const clock = new ManualClock(new Date('2026-05-01T08:00:00Z'));
    const notifier = new RecordingNotifier(clock.now);
    const d = deps(db, notifier, clock.now);
    syncMilestones(db, [fa4('2026-06-30')], clock.now().toISOString());
    clock.set('2026-06-16T08:00:00Z');
    await tick(d);
    const r = recordAnswer(db, 'fa-4#lancement', { kind: 'fait', by: 'Dr Paul Martin', at: '2026-06-17T09:12:00Z' });
    expect(r.milestone).toMatchObject({ status: 'fait', doneAt: '2026-06-17T09:12:00Z' });
    for (const t of ['2026-06-23T08:00:00Z', '2026-06-29T08:00:00Z', '2026-07-01T08:00:00Z', '2026-07-08T08:00:00Z']) {
      clock.set(t);
      await tick(d);
    }
    expect(notifier.nudges.map((n) => n.key)).toEqual(['fa-4#lancement:J-14:2026-06-30']);
    expect(milestoneHistory(db, 'fa-4#lancement').at(-1)).toMatchObject({ event: 'fait', by: 'Dr Paul Martin' });
    // A double click is harmless.
    recordAnswer(db, 'fa-4#lancement', { kind: 'fait', by: 'Dr Paul Martin', at: '2026-06-17T09:12:03Z' });
    expect(milestoneHistory(db, 'fa-4#lancement').filter((h) => h.event === 'fait')).toHaveLength(1);
    expect(getMilestone(db, 'fa-4#lancement')!.doneAt).toBe('2026-06-17T09:12:00Z');
  });

  it('"reporter" in words ("fin septembre 2026") moves the due date and the reminders', async () => {
    const clock = new ManualClock(new Date('2026-05-01T08:00:00Z'));
    const notifier = new RecordingNotifier(clock.now);
    const d = deps(db, notifier, clock.now);
    syncMilestones(db, [fa4('2026-06-30')], clock.now().toISOString());
    const r = recordAnswer(db, 'fa-4#lancement', { kind: 'reporter', newDueText: 'fin septembre 2026', by: 'U0001', at: '2026-06-17T09:00:00Z' });
    expect(r.milestone).toMatchObject({ status: 'reporté', due: '2026-09-30', dueText: 'fin septembre 2026' });
    clock.set('2026-06-23T08:00:00Z'); // the old J-7
    await tick(d);
    expect(notifier.nudges).toEqual([]);
    clock.set('2026-09-16T08:00:00Z');
    await tick(d);
    expect(notifier.nudges.map((n) => n.key)).toEqual(['fa-4#lancement:J-14:2026-09-30']);
    // A re-sync of the unchanged fiche keeps the pilot's postponement…
    syncMilestones(db, [fa4('2026-06-30')], '2026-09-17T08:00:00Z');
    expect(getMilestone(db, 'fa-4#lancement')!.due).toBe('2026-09-30');
    // …but the coordinator editing the fiche's date wins.
    syncMilestones(db, [fa4('2026-10-15')], '2026-09-18T08:00:00Z');
    expect(getMilestone(db, 'fa-4#lancement', '2026-09-18T08:00:00Z')!).toMatchObject({ due: '2026-10-15', status: 'à venir' });
  });

  it('"reporter" with an ISO date; refuses unreadable and past dates with French errors', () => {
    syncMilestones(db, [fa4('2026-06-30')], '2026-05-01T08:00:00Z');
    expect(recordAnswer(db, 'fa-4#lancement', { kind: 'reporter', newDue: '2026-11-15', by: 'x', at: '2026-06-17T09:00:00Z' }).milestone.due).toBe('2026-11-15');
    expect(code(() => recordAnswer(db, 'fa-4#lancement', { kind: 'reporter', newDueText: 'quand on pourra', by: 'x', at: '2026-06-17T09:00:00Z' }))).toBe('DATE_UNREADABLE');
    expect(code(() => recordAnswer(db, 'fa-4#lancement', { kind: 'reporter', newDue: '2026-02-30', by: 'x', at: '2026-06-17T09:00:00Z' }))).toBe('DATE_UNREADABLE');
    expect(code(() => recordAnswer(db, 'fa-4#lancement', { kind: 'reporter', newDue: '2026-06-01', by: 'x', at: '2026-06-17T09:00:00Z' }))).toBe('USAGE');
    expect(code(() => recordAnswer(db, 'fa-4#nope', { kind: 'fait', by: 'x', at: '2026-06-17T09:00:00Z' }))).toBe('INPUT_NOT_FOUND');
    expect(getMilestone(db, 'fa-4#lancement')!.due).toBe('2026-11-15'); // failed answers changed nothing
  });

  it('"besoin d\'aide" alerts the coordinator once (a double click the same day does not repeat it)', async () => {
    const clock = new ManualClock(new Date('2026-05-01T08:00:00Z'));
    const notifier = new RecordingNotifier(clock.now);
    syncMilestones(db, [fa4('2026-06-30')], clock.now().toISOString());
    const first = recordAnswer(db, 'fa-4#lancement', { kind: 'aide', by: 'Dr Paul Martin', at: '2026-06-17T09:00:00Z', comment: 'Pas de salle disponible' });
    const second = recordAnswer(db, 'fa-4#lancement', { kind: 'aide', by: 'Dr Paul Martin', at: '2026-06-17T09:00:05Z' });
    expect(first.alertKey).not.toBeNull();
    expect(second.alertKey).toBeNull();
    clock.set('2026-06-17T09:30:00Z');
    await tick(deps(db, notifier, clock.now));
    await tick(deps(db, notifier, clock.now));
    expect(notifier.alerts).toHaveLength(1);
    expect(notifier.alerts[0]!.kind).toBe('besoin-aide');
    expect(notifier.alerts[0]!.text).toContain('Dr Paul Martin demande de l\'aide');
    expect(notifier.alerts[0]!.text).toContain('Pas de salle disponible');
    expect(getMilestone(db, 'fa-4#lancement')!.storedStatus).toBe('à venir'); // asking for help changes no date
  });

  it('keeps an undated or impossible échéance, flags it, never nudges it', async () => {
    const f = fiche('fa-7', 7, [ms('Ouverture', null, 'dès que possible'), ms('Bilan', '2026-02-30', 'fin février 2026')], [PAUL]);
    const r = syncMilestones(db, [f], '2026-01-05T08:00:00Z');
    expect(r.created).toHaveLength(2);
    expect(r.flagged.map((x) => x.flag)).toEqual([
      'échéance non datée : « dès que possible »',
      'date impossible : « 2026-02-30 » (échéance écrite « fin février 2026 »)',
    ]);
    const clock = new ManualClock(new Date('2026-02-02T08:00:00Z'));
    const notifier = new RecordingNotifier(clock.now);
    for (let day = 2; day <= 27; day++) {
      clock.set(`2026-02-${String(day).padStart(2, '0')}T08:00:00Z`);
      await tick(deps(db, notifier, clock.now));
    }
    clock.set('2026-03-02T08:00:00Z');
    await tick(deps(db, notifier, clock.now));
    expect(notifier.nudges).toEqual([]);
    expect(listNudges(db)).toEqual([]);
    const digest = buildDigest(db, { now: '2026-03-02T08:00:00Z', directory: directory(db) });
    expect(digest.undated.map((u) => u.milestoneId)).toEqual(['fa-7#ouverture', 'fa-7#bilan']);
  });

  it('rejects two fiches with the same id, naming it', () => {
    try {
      syncMilestones(db, [fa4('2026-06-30'), fa4('2026-07-30')], '2026-05-01T08:00:00Z');
      expect.unreachable();
    } catch (e) {
      expect(isPtsmError(e) && e.code).toBe('INPUT_CORRUPT');
      expect((e as Error).message).toContain('« fa-4 »');
    }
    expect(listMilestones(db)).toEqual([]);
  });

  it('filters by fiche, pilot and period', () => {
    syncMilestones(db, [fa4('2026-06-30'), fiche('fa-8', 8, [ms('Charte', '2026-07-15')], [pilot('Mme Hélène Dupont')])], '2026-05-01T08:00:00Z');
    expect(listMilestones(db, { ficheId: 'fa-8' }).map((m) => m.id)).toEqual(['fa-8#charte']);
    expect(listMilestones(db, { pilot: 'helene dupont' }).map((m) => m.id)).toEqual(['fa-8#charte']);
    expect(listMilestones(db, { dueAfter: '2026-07-01', dueBefore: '2026-07-31' }).map((m) => m.id)).toEqual(['fa-8#charte']);
  });
});
