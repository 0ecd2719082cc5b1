import { describe, expect, it } from 'vitest';
import { isPtsmError } from '../../src/core/errors.js';
import {
  DEFAULT_PLAN, dueNudges, isWorkingSlot, latestNudgeOn, nextWorkingDay, parsePlan, scheduleNudges, type PlanMilestone,
} from '../../src/milestones/plan.js';

const m = (due: string | null, remindFrom = '2026-01-01', id = 'FA4#lancement'): PlanMilestone => ({ id, due, remindFrom, storedStatus: 'à venir' });
const at = (iso: string): Date => new Date(iso);
const kinds = (ns: { kind: string; keyDate: string }[]): string[] => ns.map((n) => `${n.kind}@${n.keyDate}`);

describe('reminder plan', () => {
  it('puts J-14, J-7, J-1 before the due date and overdue nudges every 7 days after it', () => {
    const all = scheduleNudges(m('2026-06-30'), DEFAULT_PLAN, '2026-07-20');
    expect(all.map((n) => `${n.kind} ${n.nominalDate}`)).toEqual([
      'J-14 2026-06-16', 'J-7 2026-06-23', 'J-1 2026-06-29', 'overdue 2026-07-01', 'overdue 2026-07-08', 'overdue 2026-07-15',
    ]);
    expect(all[0]!.key).toBe('FA4#lancement:J-14:2026-06-30');
    expect(all[3]!.key).toBe('FA4#lancement:overdue:2026-07-01');
  });

  it('is due only inside Paris working hours', () => {
    const ms1 = [m('2026-06-30')];
    // Tuesday 16 June 2026, CEST (UTC+2)
    expect(dueNudges(ms1, at('2026-06-16T06:59:00Z'), DEFAULT_PLAN)).toEqual([]); // 08:59
    expect(kinds(dueNudges(ms1, at('2026-06-16T07:00:00Z'), DEFAULT_PLAN))).toEqual(['J-14@2026-06-30']); // 09:00
    expect(kinds(dueNudges(ms1, at('2026-06-16T15:59:00Z'), DEFAULT_PLAN))).toEqual(['J-14@2026-06-30']); // 17:59
    expect(dueNudges(ms1, at('2026-06-16T16:00:00Z'), DEFAULT_PLAN)).toEqual([]); // 18:00
    expect(dueNudges(ms1, at('2026-06-15T10:00:00Z'), DEFAULT_PLAN)).toEqual([]); // the day before J-14
  });

  it('moves a weekend nudge to Monday 9:00 and sends nothing at night', () => {
    // Due Monday 15 June: J-1 falls on Sunday 14 June.
    const ms1 = [m('2026-06-15')];
    expect(scheduleNudges(ms1[0]!, DEFAULT_PLAN, '2026-06-15').find((n) => n.kind === 'J-1')!.sendOn).toBe('2026-06-15');
    expect(dueNudges(ms1, at('2026-06-14T10:00:00Z'), DEFAULT_PLAN)).toEqual([]); // Sunday noon
    expect(dueNudges(ms1, at('2026-06-13T10:00:00Z'), DEFAULT_PLAN)).toEqual([]); // Saturday
    expect(dueNudges(ms1, at('2026-06-12T18:30:00Z'), DEFAULT_PLAN)).toEqual([]); // Friday 20:30
    expect(kinds(dueNudges(ms1, at('2026-06-15T07:00:00Z'), DEFAULT_PLAN))).toEqual(['J-1@2026-06-15']); // Monday 09:00
  });

  it('follows the March DST change: 9:00 Paris is 08:00 UTC before it, 07:00 UTC after it', () => {
    // Summer time starts Sunday 29 March 2026.
    const before = [m('2026-03-24')]; // J-1 Monday 23 March (CET)
    expect(dueNudges(before, at('2026-03-23T07:30:00Z'), DEFAULT_PLAN)).toEqual([]); // 08:30 CET
    expect(kinds(dueNudges(before, at('2026-03-23T08:00:00Z'), DEFAULT_PLAN))).toEqual(['J-1@2026-03-24']);
    const after = [m('2026-03-31')]; // J-1 Monday 30 March (CEST)
    expect(dueNudges(after, at('2026-03-30T06:59:00Z'), DEFAULT_PLAN)).toEqual([]); // 08:59 CEST
    expect(kinds(dueNudges(after, at('2026-03-30T07:00:00Z'), DEFAULT_PLAN))).toEqual(['J-1@2026-03-31']);
    // A nudge dated on the change Sunday waits for Monday.
    const onSunday = [m('2026-03-30')]; // J-1 = Sunday 29 March
    expect(dueNudges(onSunday, at('2026-03-29T09:00:00Z'), DEFAULT_PLAN)).toEqual([]);
    expect(kinds(dueNudges(onSunday, at('2026-03-30T07:00:00Z'), DEFAULT_PLAN))).toEqual(['J-1@2026-03-30']);
  });

  it('follows the October DST change: the same UTC instant is 9:30 one Monday and 8:30 the next', () => {
    // Winter time starts Sunday 25 October 2026.
    expect(isWorkingSlot(at('2026-10-19T07:30:00Z'), DEFAULT_PLAN)).toBe(true); // 09:30 CEST
    expect(isWorkingSlot(at('2026-10-26T07:30:00Z'), DEFAULT_PLAN)).toBe(false); // 08:30 CET
    expect(isWorkingSlot(at('2026-10-26T08:00:00Z'), DEFAULT_PLAN)).toBe(true);
    expect(isWorkingSlot(at('2026-10-26T16:59:00Z'), DEFAULT_PLAN)).toBe(true); // 17:59 CET
    expect(isWorkingSlot(at('2026-10-26T17:00:00Z'), DEFAULT_PLAN)).toBe(false); // 18:00 CET
    const ms1 = [m('2026-10-27')]; // J-1 Monday 26 October
    expect(dueNudges(ms1, at('2026-10-26T07:45:00Z'), DEFAULT_PLAN)).toEqual([]);
    expect(kinds(dueNudges(ms1, at('2026-10-26T08:00:00Z'), DEFAULT_PLAN))).toEqual(['J-1@2026-10-27']);
  });

  it('after downtime, only the latest due nudge of a milestone is due (no burst of stale ones)', () => {
    // Down from 10 to 26 June: J-14 (16th) and J-7 (23rd) were missed.
    const due = dueNudges([m('2026-06-30')], at('2026-06-26T08:00:00Z'), DEFAULT_PLAN);
    expect(kinds(due)).toEqual(['J-7@2026-06-30']);
    // Long overdue: only the latest weekly occurrence.
    expect(kinds(dueNudges([m('2026-03-31')], at('2026-06-26T08:00:00Z'), DEFAULT_PLAN))).toEqual(['overdue@2026-06-24']);
  });

  it('never plans nudges that were already past when the date was set', () => {
    // Milestone created on 25 June for a 30 June deadline: J-14 and J-7 were already past.
    const created = m('2026-06-30', '2026-06-25');
    expect(latestNudgeOn(created, '2026-06-26', DEFAULT_PLAN)).toBeNull();
    expect(latestNudgeOn(created, '2026-06-29', DEFAULT_PLAN)!.kind).toBe('J-1');
    // Imported on 21 June, already late since 1 June: the next weekly occurrence (23rd), not a backlog.
    const late = m('2026-06-01', '2026-06-21');
    expect(latestNudgeOn(late, '2026-06-22', DEFAULT_PLAN)).toBeNull();
    expect(latestNudgeOn(late, '2026-06-23', DEFAULT_PLAN)!.keyDate).toBe('2026-06-23');
  });

  it('sends nothing for done, abandoned or undated milestones', () => {
    const now = at('2026-06-16T08:00:00Z');
    expect(dueNudges([{ ...m('2026-06-30'), storedStatus: 'fait' }], now, DEFAULT_PLAN)).toEqual([]);
    expect(dueNudges([{ ...m('2026-06-30'), storedStatus: 'abandonné' }], now, DEFAULT_PLAN)).toEqual([]);
    expect(dueNudges([m(null)], now, DEFAULT_PLAN)).toEqual([]);
    expect(kinds(dueNudges([{ ...m('2026-06-30'), storedStatus: 'reporté' }], now, DEFAULT_PLAN))).toEqual(['J-14@2026-06-30']);
  });

  it('skips configured holidays and honours custom offsets', () => {
    const plan = parsePlan({ offsetsDays: [30, 3], overdueEveryDays: 0, holidays: ['2026-07-14'] });
    expect(nextWorkingDay('2026-07-14', plan)).toBe('2026-07-15');
    const all = scheduleNudges(m('2026-07-17'), plan, '2026-08-31');
    expect(all.map((n) => `${n.kind} ${n.nominalDate} ${n.sendOn}`)).toEqual(['J-30 2026-06-17 2026-06-17', 'J-3 2026-07-14 2026-07-15']);
    expect(dueNudges([m('2026-07-17')], at('2026-07-14T08:00:00Z'), plan)).toEqual([]);
    expect(latestNudgeOn(m('2026-07-17'), '2026-08-30', plan)!.kind).toBe('J-3'); // no overdue nudges
  });

  it('rejects an invalid plan with a French message naming the field', () => {
    try {
      parsePlan({ workingHours: { start: 18, end: 9 }, timezone: 'Europe/Nulle-Part' }, 'relances.json');
      expect.unreachable();
    } catch (e) {
      expect(isPtsmError(e) && e.code).toBe('CONFIG_INVALID');
      expect((e as Error).message).toContain('relances.json');
      expect((e as Error).message).toContain('workingHours');
      expect((e as Error).message).toContain('fuseau horaire inconnu');
    }
  });
});
