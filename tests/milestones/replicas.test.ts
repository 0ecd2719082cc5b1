import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/sqlite.js';
import { openPostgres } from '../../src/storage/postgres.js';
import type { NudgeRecord } from '../../src/milestones/ledger.js';
import { PostgresDeliveryLedger } from '../../src/milestones/pg-ledger.js';
import { syncMilestones } from '../../src/milestones/store.js';
import { findPostgresBin, startPostgres, type ThrowawayPostgres } from '../helpers/postgres.js';
import { FakeChannel, Replica, replicaFiches, type Received, type TickReport } from './replicas-support.js';
import { tempDir } from './support.js';

/**
 * Three replicas of the scheduler, three OS processes, one PostgreSQL ledger,
 * each with its own copy of the same SQLite file (milestones, directory).
 * Tick 1 (Tuesday 16 June 2026, 10:00 Paris): 400 nudges due. The fake channel
 * records every nudge on arrival and holds the 10th one sent by replica A
 * without answering; A is SIGKILLed right then, its send in flight. A restarts.
 * Tick 2, 15 minutes later (past the 10-minute lease): the three tick again.
 *
 * What is asserted, and why: the claim is exactly-once, but the send cannot
 * be (the channel took the message and A died before writing `sent_at`: the
 * residual window of ledger.ts). So every due nudge arrives at least once;
 * exactly one arrives twice, the one in flight at the kill: first from A,
 * then from a live replica flagged `resumed` (attempt 2) so a channel able to
 * deduplicate by key can; no other nudge arrives twice, none is lost.
 */
const PG_BIN = findPostgresBin();
const TODAY = '2026-06-16';
const TICK_1 = Date.parse('2026-06-16T08:00:00Z');
const TICK_2 = TICK_1 + 15 * 60_000;
const KILL_AT = 10; // A's 10th nudge

describe.skipIf(!PG_BIN)(`three scheduler replicas on one PostgreSQL ledger, one SIGKILLed mid-send${PG_BIN ? '' : ' (ignoré : binaires du serveur PostgreSQL introuvables)'}`, () => {
  let pg: ThrowawayPostgres;
  let tmp: ReturnType<typeof tempDir>;
  let channel: FakeChannel;
  const { fiches, expected } = replicaFiches(TODAY, 100, 2);
  let victim: Replica | null = null;
  let killedPid = 0;
  let heldKey = '';
  let tick1: (TickReport | 'killed')[] = [];
  let tick2: (TickReport | 'killed')[] = [];
  let rows: NudgeRecord[] = [];
  let exitSignal: NodeJS.Signals | null = null;

  beforeAll(async () => {
    pg = await startPostgres({ bin: PG_BIN! });
    tmp = tempDir();
    const base = path.join(tmp.dir, 'base.sqlite');
    const db = openDatabase(base);
    syncMilestones(db, fiches, '2026-06-01T08:00:00.000Z');
    db.close();
    const files = ['A', 'B', 'C'].map((n) => {
      const f = path.join(tmp.dir, `replica-${n}.sqlite`);
      fs.copyFileSync(base, f);
      return f;
    });

    let seenFromA = 0;
    channel = new FakeChannel(2, (r) => {
      if (r.replica !== 'A' || ++seenFromA !== KILL_AT) return 'answer';
      heldKey = `${r.key}|${r.recipient}`;
      killedPid = r.pid;
      victim!.kill();
      return 'hold';
    });
    await channel.start();
    const replicas = await Promise.all(['A', 'B', 'C'].map((n, i) => Replica.start(files[i]!, pg.url, channel.url, n)));
    victim = replicas[0]!;
    const died = new Promise<NodeJS.Signals | null>((resolve) => victim!.child.once('exit', (_code, signal) => resolve(signal)));
    try {
      tick1 = await Promise.all(replicas.map((r) => r.tick(TICK_1)));
      exitSignal = await died;
      replicas[0] = await Replica.start(files[0]!, pg.url, channel.url, 'A2');
      tick2 = await Promise.all(replicas.map((r) => r.tick(TICK_2)));
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
    }
    const store = await openPostgres(pg.url);
    try {
      rows = await (await PostgresDeliveryLedger.open(store)).listNudges();
    } finally {
      await store.close();
    }
  }, 180_000);
  afterAll(async () => {
    await channel?.close();
    await pg?.stop();
    tmp?.cleanup();
  });

  const nudges = (): Received[] => channel.received.filter((r) => r.type === 'nudge');
  const counts = (): Map<string, Received[]> => {
    const m = new Map<string, Received[]>();
    for (const n of nudges()) {
      const k = `${n.key}|${n.recipient}`;
      m.set(k, [...(m.get(k) ?? []), n]);
    }
    return m;
  };

  it('killed replica A with SIGKILL while its send was in flight, during tick 1; the others finished their tick', () => {
    expect(expected.size).toBe(400);
    expect(heldKey).not.toBe('');
    expect(exitSignal).toBe('SIGKILL');
    expect(tick1[0]).toBe('killed');
    expect(tick1.slice(1).every((r) => r !== 'killed')).toBe(true);
    // All three really delivered in tick 1 (A its first KILL_AT - 1, acknowledged, plus the held one).
    const byReplica = new Map<string, number>();
    for (const n of nudges()) byReplica.set(n.replica, (byReplica.get(n.replica) ?? 0) + 1);
    expect(byReplica.get('A')).toBe(KILL_AT);
    expect(byReplica.get('B')).toBeGreaterThan(20);
    expect(byReplica.get('C')).toBeGreaterThan(20);
  });

  it('delivered every due nudge, nothing else; the only one delivered twice is the one in flight at the kill, re-sent flagged resumed', () => {
    const c = counts();
    expect([...expected].filter((k) => !c.has(k))).toEqual([]); // none lost
    expect([...c.keys()].filter((k) => !expected.has(k))).toEqual([]); // nothing unexpected
    const twice = [...c.entries()].filter(([, list]) => list.length > 1);
    expect(twice.map(([k]) => k)).toEqual([heldKey]);
    const [first, again] = twice[0]![1];
    expect(first).toMatchObject({ replica: 'A', pid: killedPid, resumed: false, attempt: 1 });
    expect(again).toMatchObject({ resumed: true, attempt: 2 });
    expect(again!.pid).not.toBe(killedPid);
    // Every other nudge went out once, unflagged.
    expect(nudges().filter((n) => n.resumed && `${n.key}|${n.recipient}` !== heldKey)).toEqual([]);
  });

  it('tick 2 re-sent only the interrupted nudge; the restarted replica ticked cleanly', () => {
    expect(tick2.every((r) => r !== 'killed' && r.failed === 0)).toBe(true);
    expect(tick2.reduce((s, r) => s + (r === 'killed' ? 0 : r.sent), 0)).toBe(1);
  });

  it('sent the coordinator alert and the weekly digest once across the three replicas', () => {
    const alerts = channel.received.filter((r) => r.type === 'alert').map((r) => r.key);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatch(/^non-relié:fa-101#lancement:/);
    expect(channel.received.filter((r) => r.type === 'digest').map((r) => r.weekOf)).toEqual(['2026-06-15']);
  });

  it('left the PostgreSQL ledger settled: one sent row per delivery, the resumed one with two attempts', () => {
    expect(rows).toHaveLength(expected.size);
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    expect(rows.filter((r) => r.attempts !== 1).map((r) => [`${r.key}|${r.recipient}`, r.attempts])).toEqual([[heldKey, 2]]);
  });
});
