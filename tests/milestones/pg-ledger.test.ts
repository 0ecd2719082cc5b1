import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isPtsmError } from '../../src/core/errors.js';
import { openDatabase, type SqliteDb } from '../../src/storage/sqlite.js';
import { openPostgres, type PostgresDb } from '../../src/storage/postgres.js';
import { listAlerts, listNudges, type AlertRecord, type NudgeClaimInput, type NudgeRecord } from '../../src/milestones/ledger.js';
import { SqliteDeliveryLedger, type DeliveryLedger } from '../../src/milestones/ledger-port.js';
import { PostgresDeliveryLedger, openPostgresLedger, territorySchema } from '../../src/milestones/pg-ledger.js';
import { PtsmError } from '../../src/core/errors.js';
import { tick } from '../../src/milestones/scheduler.js';
import { listMilestones, recordAnswer, syncMilestones } from '../../src/milestones/store.js';
import { PostgresAnswerJournal, ReplicaAnswers } from '../../src/milestones/answer-journal.js';
import { silentLogger } from '../../src/core/logger.js';
import type { NudgeMessage, Recipient } from '../../src/milestones/notifier.js';
import { findPostgresBin, startPostgres, type ThrowawayPostgres } from '../helpers/postgres.js';
import { deps, fiche, ManualClock, ms, pilot, RecordingNotifier, tempDb, tempDir } from './support.js';

/**
 * The delivery-ledger contract, run unchanged against the SQLite ledger and
 * the PostgreSQL one (a real throwaway cluster). `twin()` is a second owner on
 * the same storage (another SQLite connection, another pg pool): what another
 * process would hold.
 */
interface Subject {
  ledger: DeliveryLedger;
  twin(): Promise<DeliveryLedger>;
  nudges(): Promise<NudgeRecord[]>;
  alerts(): Promise<AlertRecord[]>;
}

interface Backend {
  setup(): Promise<void>;
  fresh(): Promise<Subject>;
  teardown(): Promise<void>;
}

const PG_BIN = findPostgresBin();
const LEASE = 10 * 60_000;
const T0 = '2026-06-16T08:00:00.000Z';
const at = (ms: number): string => new Date(Date.parse(T0) + ms).toISOString();

function nudge(key = 'fa-4#lancement:J-14:2026-06-30', recipient = 'martin paul', keyDate = '2026-06-30'): NudgeClaimInput {
  return { key, recipient, recipientName: 'Dr Paul Martin', milestoneId: 'fa-4#lancement', kind: 'J-14', keyDate, milestoneDue: '2026-06-30' };
}

function sqliteBackend(): Backend {
  let t: ReturnType<typeof tempDir>;
  const open: SqliteDb[] = [];
  let n = 0;
  return {
    async setup() { t = tempDir(); },
    async fresh() {
      const file = path.join(t.dir, `ledger-${++n}.sqlite`);
      const db = openDatabase(file);
      open.push(db);
      return {
        ledger: new SqliteDeliveryLedger(db),
        async twin() { const other = openDatabase(file); open.push(other); return new SqliteDeliveryLedger(other); },
        nudges: async () => listNudges(db),
        alerts: async () => listAlerts(db),
      };
    },
    async teardown() { for (const db of open) db.close(); t.cleanup(); },
  };
}

function postgresBackend(): Backend {
  let server: ThrowawayPostgres;
  const pools: PostgresDb[] = [];
  return {
    async setup() { server = await startPostgres({ bin: PG_BIN! }); },
    async fresh() {
      const pg = await openPostgres(server.url);
      pools.push(pg);
      const ledger = await PostgresDeliveryLedger.open(pg);
      await pg.query('TRUNCATE nudge_sent, nudge_alert');
      return {
        ledger,
        async twin() { const other = await openPostgres(server.url); pools.push(other); return PostgresDeliveryLedger.open(other); },
        nudges: () => ledger.listNudges(),
        alerts: () => ledger.listAlerts(),
      };
    },
    async teardown() { for (const p of pools) await p.close(); await server?.stop(); },
  };
}

const BACKENDS: { name: string; skip: boolean; make: () => Backend }[] = [
  { name: 'SQLite', skip: false, make: sqliteBackend },
  { name: PG_BIN ? 'PostgreSQL' : 'PostgreSQL (ignoré : binaires du serveur PostgreSQL introuvables, apt-get install -y postgresql)', skip: !PG_BIN, make: postgresBackend },
];

describe.each(BACKENDS)('delivery ledger contract: $name', ({ skip, make }) => {
  describe.skipIf(skip)('claims', () => {
    const backend = make();
    let s: Subject;
    beforeAll(() => backend.setup(), 120_000);
    afterAll(() => backend.teardown());
    beforeEach(async () => { s = await backend.fresh(); });

    it('a first claim wins; a second one on a live claim is refused, another recipient is not', async () => {
      const first = await s.ledger.claimNudge(nudge(), T0, LEASE);
      expect(first).toMatchObject({ table: 'nudge_sent', key: nudge().key, recipient: 'martin paul', previousAttempts: 0, resumed: false });
      expect(await s.ledger.claimNudge(nudge(), at(60_000), LEASE)).toBeNull();
      const other = await s.twin();
      expect(await other.claimNudge(nudge(), at(60_000), LEASE)).toBeNull();
      expect(await other.claimNudge(nudge(undefined, 'dupont helene'), at(60_000), LEASE)).not.toBeNull();
      expect((await s.nudges()).map((r) => [r.recipient, r.status, r.attempts])).toEqual([['martin paul', 'claimed', 0], ['dupont helene', 'claimed', 0]]);
    });

    it('a sent nudge is never claimed again, however old', async () => {
      const h = (await s.ledger.claimNudge(nudge(), T0, LEASE))!;
      expect(await s.ledger.beginAttempt(h, at(1_000))).toBe(true);
      expect(await s.ledger.markSent(h, at(2_000))).toBe(true);
      expect(await s.ledger.claimNudge(nudge(), at(30 * 86_400_000), LEASE)).toBeNull();
      expect(await s.nudges()).toMatchObject([{ status: 'sent', attempts: 1, sentAt: at(2_000), error: null }]);
    });

    it('a stale lease is re-claimed once, flagged resumed, and the old token can no longer write', async () => {
      const old = (await s.ledger.claimNudge(nudge(), T0, LEASE))!;
      expect(await s.ledger.beginAttempt(old, T0)).toBe(true); // the owner started a send, then vanished
      const twin = await s.twin();
      expect(await twin.claimNudge(nudge(), at(LEASE - 1), LEASE)).toBeNull(); // lease still running
      const taken = (await twin.claimNudge(nudge(), at(LEASE + 1), LEASE))!;
      expect(taken).toMatchObject({ resumed: true, previousAttempts: 1 });
      expect(taken.token).not.toBe(old.token);
      // The old owner comes back: every write under its token is refused.
      expect(await s.ledger.beginAttempt(old, at(LEASE + 2))).toBe(false);
      expect(await s.ledger.markSent(old, at(LEASE + 3))).toBe(false);
      expect(await s.ledger.markFailed(old, at(LEASE + 3), 'trop tard')).toBe(false);
      expect(await twin.beginAttempt(taken, at(LEASE + 4))).toBe(true);
      expect(await twin.markSent(taken, at(LEASE + 5))).toBe(true);
      expect(await s.nudges()).toMatchObject([{ status: 'sent', attempts: 2, sentAt: at(LEASE + 5) }]);
    });

    it('a claim re-taken before any attempt is resumed with no earlier attempt', async () => {
      await s.ledger.claimNudge(nudge(), T0, LEASE);
      expect(await s.ledger.claimNudge(nudge(), at(LEASE + 1), LEASE)).toMatchObject({ resumed: true, previousAttempts: 0 });
    });

    it('beginAttempt renews the lease: a slow owner retrying is not overtaken', async () => {
      const h = (await s.ledger.claimNudge(nudge(), T0, LEASE))!;
      expect(await s.ledger.beginAttempt(h, at(LEASE - 60_000))).toBe(true);
      expect(await s.ledger.claimNudge(nudge(), at(LEASE + 60_000), LEASE)).toBeNull();
      expect(await s.ledger.claimNudge(nudge(), at(2 * LEASE), LEASE)).not.toBeNull();
    });

    it('a failed nudge is kept, listed as failed, and not re-claimed', async () => {
      const h = (await s.ledger.claimNudge(nudge(), T0, LEASE))!;
      expect(await s.ledger.beginAttempt(h, T0)).toBe(true);
      expect(await s.ledger.markFailed(h, at(1_000), 'Slack indisponible (503)')).toBe(true);
      expect(await s.ledger.claimNudge(nudge(), at(2 * LEASE), LEASE)).toBeNull();
      expect(await s.ledger.failedNudges()).toMatchObject([{ key: nudge().key, recipient: 'martin paul', status: 'failed', error: 'Slack indisponible (503)', attempts: 1 }]);
    });

    it('nudgeStatesSince returns the states of deliveries keyed after a date, in one map', async () => {
      const a = (await s.ledger.claimNudge(nudge('a:J-1:2026-06-10', 'martin paul', '2026-06-10'), T0, LEASE))!;
      await s.ledger.markSent(a, T0);
      await s.ledger.claimNudge(nudge('b:J-7:2026-06-20', 'martin paul', '2026-06-20'), T0, LEASE);
      await s.ledger.claimNudge(nudge('c:J-7:2026-06-05', 'martin paul', '2026-06-05'), T0, LEASE);
      const states = await s.ledger.nudgeStatesSince('2026-06-09');
      expect([...states.entries()].sort()).toEqual([
        ['a:J-1:2026-06-10\u0000martin paul', { status: 'sent', claimedAt: T0 }],
        ['b:J-7:2026-06-20\u0000martin paul', { status: 'claimed', claimedAt: T0 }],
      ]);
    });

    it('concurrent owners: of 12 simultaneous claims, and of 12 simultaneous re-claims, exactly one wins', async () => {
      const owners = [s.ledger, ...(await Promise.all(Array.from({ length: 3 }, () => s.twin())))];
      const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => owners[i % owners.length]!.claimNudge(nudge(), T0, LEASE)));
      expect(claims.filter((c) => c !== null)).toHaveLength(1);
      const again = await Promise.all(Array.from({ length: 12 }, (_, i) => owners[i % owners.length]!.claimNudge(nudge(), at(LEASE + 1), LEASE)));
      expect(again.filter((c) => c !== null).map((c) => c!.resumed)).toEqual([true]);
    });

    it('the outbox: enqueued once per key, claimed once, re-claimable after the lease, guarded by the token', async () => {
      const alert = { key: 'non-relié:fa-6#x:morel', kind: 'pilote-non-relié', milestoneId: 'fa-6#x', payload: { pilot: 'Dr Jeanne Morel', candidates: ['a', 'b'] } };
      expect(await s.ledger.enqueueAlert(alert, T0)).toBe(true);
      expect(await s.ledger.enqueueAlert({ ...alert, payload: {} }, at(1))).toBe(false);
      expect((await s.ledger.claimableAlerts(T0, LEASE)).map((a) => [a.key, a.status, a.payload])).toEqual([[alert.key, 'pending', alert.payload]]);
      expect(await s.ledger.claimAlert('inconnue', T0, LEASE)).toBeNull();
      const twin = await s.twin();
      const [c1, c2] = await Promise.all([s.ledger.claimAlert(alert.key, T0, LEASE), twin.claimAlert(alert.key, T0, LEASE)]);
      expect([c1, c2].filter((c) => c !== null)).toHaveLength(1);
      const first = (c1 ?? c2)!;
      expect(first).toMatchObject({ table: 'nudge_alert', recipient: '', resumed: false, previousAttempts: 0 });
      expect(await s.ledger.beginAttempt(first, T0)).toBe(true);
      expect(await s.ledger.claimableAlerts(at(LEASE - 1), LEASE)).toEqual([]);
      expect(await twin.claimAlert(alert.key, at(LEASE - 1), LEASE)).toBeNull();
      const resumed = (await twin.claimAlert(alert.key, at(LEASE + 1), LEASE))!;
      expect(resumed).toMatchObject({ resumed: true, previousAttempts: 1 });
      expect(await s.ledger.markSent(first, at(LEASE + 2))).toBe(false);
      expect(await twin.markSent(resumed, at(LEASE + 2))).toBe(true);
      expect(await s.ledger.claimableAlerts(at(10 * LEASE), LEASE)).toEqual([]);
      expect(await s.alerts()).toMatchObject([{ key: alert.key, status: 'sent', attempts: 1, sentAt: at(LEASE + 2), createdAt: T0 }]);
    });
  });
});

describe.skipIf(!PG_BIN)('PostgreSQL storage', () => {
  let server: ThrowawayPostgres;
  beforeAll(async () => { server = await startPostgres({ bin: PG_BIN! }); }, 120_000);
  afterAll(() => server?.stop());

  it('creates the ledger tables idempotently, even from several pools at once', async () => {
    const pools = await Promise.all(Array.from({ length: 4 }, () => openPostgres(server.url)));
    try {
      await Promise.all(pools.map((p) => PostgresDeliveryLedger.open(p)));
      await PostgresDeliveryLedger.open(pools[0]!);
      const tables = await pools[0]!.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'nudge_%' ORDER BY 1");
      expect(tables.rows.map((r) => r.table_name)).toEqual(['nudge_alert', 'nudge_sent']);
    } finally {
      for (const p of pools) await p.close();
    }
  });

  it('refuses an unknown database or an unreachable server with a French DATABASE_FAILED naming the URL without its password', async () => {
    const wrongDb = `postgres://postgres:s3cret@/inexistante?host=${server.socketDir}`;
    const unreachable = `postgres://ptsm:s3cret@/ptsm?host=${path.join(server.socketDir, 'nulle-part')}`;
    for (const [url, reason] of [[wrongDb, 'base de données inexistante'], [unreachable, 'serveur injoignable']] as const) {
      const err = await openPostgres(url).then(() => null, (e: unknown) => e);
      expect(isPtsmError(err) && err.code).toBe('DATABASE_FAILED');
      const message = (err as Error).message;
      expect(message).toContain('PostgreSQL (postgres');
      expect(message).toContain(reason);
      expect(message).toContain(':***@/');
      expect(message).not.toContain('s3cret');
      expect((err as { input?: string }).input).not.toContain('s3cret');
    }
  });

  it('maps a failing query to DATABASE_FAILED, in French', async () => {
    const pg = await openPostgres(server.url);
    try {
      const err = await pg.query('SELECT * FROM table_absente').then(() => null, (e: unknown) => e);
      expect(isPtsmError(err) && err.code).toBe('DATABASE_FAILED');
      expect((err as Error).message).toMatch(/^PostgreSQL \(postgres:\/\/postgres@\/ptsm\?host=.*\) : requête impossible \(.*table_absente.*\[42P01\]\)\.$/);
    } finally {
      await pg.close();
    }
  });
  it('keeps each territory’s ledger in a schema of its own: the same nudge key is claimed once per territory, never across', async () => {
    const handles = await Promise.all(['79', 'ght-sud', '79'].map((territory) => openPostgresLedger(server.url, { territory })));
    try {
      const [a, b, aTwin] = handles.map((h) => h.ledger) as [PostgresDeliveryLedger, PostgresDeliveryLedger, PostgresDeliveryLedger];
      expect(await a.claimNudge(nudge(), T0, LEASE)).not.toBeNull();
      expect(await b.claimNudge(nudge(), T0, LEASE)).not.toBeNull();
      expect(await aTwin.claimNudge(nudge(), T0, LEASE)).toBeNull();
      expect(await b.listNudges()).toHaveLength(1);
      expect(territorySchema('ght-sud')).toBe('ptsm_t_ght_2dsud');
      expect(territorySchema('GHT')).not.toBe(territorySchema('ght'));
      const schemas = await a.pg.query<{ s: string }>("SELECT DISTINCT table_schema AS s FROM information_schema.tables WHERE table_name = 'nudge_sent' ORDER BY 1");
      expect(schemas.rows.map((r) => r.s)).toEqual(expect.arrayContaining(['ptsm_t_79', 'ptsm_t_ght_2dsud']));
    } finally {
      for (const h of handles) await h.close();
    }
  });
});

describe.skipIf(!PG_BIN)('the scheduler on the PostgreSQL ledger', () => {
  let server: ThrowawayPostgres;
  let pg: PostgresDb;
  let ledger: PostgresDeliveryLedger;
  beforeAll(async () => {
    server = await startPostgres({ bin: PG_BIN! });
    pg = await openPostgres(server.url);
    ledger = await PostgresDeliveryLedger.open(pg);
  }, 120_000);
  afterAll(async () => { await pg?.close(); await server?.stop(); });
  beforeEach(() => pg.query('TRUNCATE nudge_sent, nudge_alert'));

  const FA4 = fiche('fa-4', 4, [ms('Lancement', '2026-06-30', 'fin juin 2026')], [pilot('Dr Paul Martin')]);

  it('shares pilots’ answers through the journal: each replica applies the others’ once, a postponement with its resolved date', async () => {
    const a = tempDb();
    const b = tempDb();
    try {
      for (const t of [a, b]) syncMilestones(t.db, [FA4], '2026-06-01T08:00:00Z');
      const journal = await PostgresAnswerJournal.open(pg);
      const ra = new ReplicaAnswers(a.db, journal, silentLogger, 'Europe/Paris');
      const rb = new ReplicaAnswers(b.db, journal, silentLogger, 'Europe/Paris');
      const answer = { kind: 'reporter' as const, by: 'Dr Paul Martin', at: '2026-06-16T08:05:00.000Z', newDue: '2026-09-30' };
      recordAnswer(a.db, 'fa-4#lancement', answer);
      await ra.shared('fa-4#lancement', answer);
      expect(await ra.catchUp()).toBe(0); // its own answer is not applied twice
      expect(await rb.catchUp()).toBe(1);
      expect(await rb.catchUp()).toBe(0);
      const dueIn = (db: typeof a.db) => listMilestones(db, { now: '2026-06-17T08:00:00Z' }).find((m) => m.id === 'fa-4#lancement');
      expect(dueIn(b.db)).toMatchObject({ status: 'reporté', due: '2026-09-30' });
      expect(dueIn(a.db)).toMatchObject({ status: 'reporté', due: '2026-09-30' });
      // « Besoin d'aide » travels through the shared alert queue, not the journal.
      await rb.shared('fa-4#lancement', { kind: 'aide', by: 'Dr Paul Martin', at: '2026-06-17T08:00:00.000Z' });
      expect(await ra.catchUp()).toBe(0);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });

  it('writes nothing to the SQLite ledger; a second replica (its own SQLite copy) sends nothing again', async () => {
    const a = tempDb();
    const b = tempDb();
    try {
      const clock = new ManualClock(new Date('2026-06-16T08:00:00Z'));
      for (const t of [a, b]) syncMilestones(t.db, [FA4], '2026-06-01T08:00:00Z');
      const na = new RecordingNotifier(clock.now);
      const nb = new RecordingNotifier(clock.now);
      expect((await tick(deps(a.db, na, clock.now, { ledger }))).sent).toEqual([{ key: 'fa-4#lancement:J-14:2026-06-30', recipient: 'martin paul' }]);
      expect((await tick(deps(b.db, nb, clock.now, { ledger }))).sent).toEqual([]);
      expect(nb.nudges).toEqual([]);
      expect(listNudges(a.db)).toEqual([]);
      expect(await ledger.listNudges({ status: 'sent' })).toMatchObject([{ key: 'fa-4#lancement:J-14:2026-06-30', recipient: 'martin paul', attempts: 1 }]);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });

  it('relays a « besoin d\'aide » recorded in one replica\'s SQLite file to the shared outbox: sent once, whichever replica flushes', async () => {
    const a = tempDb();
    const b = tempDb();
    try {
      const clock = new ManualClock(new Date('2026-06-17T09:30:00Z'));
      for (const t of [a, b]) syncMilestones(t.db, [FA4], '2026-06-01T08:00:00Z');
      expect(recordAnswer(a.db, 'fa-4#lancement', { kind: 'aide', by: 'Dr Paul Martin', at: '2026-06-17T09:00:00Z', comment: 'Pas de salle' }).alertKey).not.toBeNull();
      const na = new RecordingNotifier(clock.now);
      const nb = new RecordingNotifier(clock.now);
      await tick(deps(a.db, na, clock.now, { ledger }));
      await tick(deps(b.db, nb, clock.now, { ledger }));
      await tick(deps(a.db, na, clock.now, { ledger }));
      const help = [...na.alerts, ...nb.alerts].filter((x) => x.kind === 'besoin-aide');
      expect(help).toHaveLength(1);
      expect(help[0]!.text).toContain('Pas de salle');
      expect(listAlerts(a.db)).toMatchObject([{ kind: 'besoin-aide', status: 'sent' }]); // relayed, settled locally
      expect(await ledger.listAlerts({ kind: 'besoin-aide' })).toMatchObject([{ status: 'sent', attempts: 1 }]);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });

  it('records a failed nudge in PostgreSQL and the weekly digest lists it from there', async () => {
    const t = tempDb();
    try {
      const clock = new ManualClock(new Date('2026-06-16T08:00:00Z'));
      syncMilestones(t.db, [FA4], '2026-06-01T08:00:00Z');
      const notifier = new RecordingNotifier(clock.now);
      notifier.sendNudge = async (_n: NudgeMessage, _r: Recipient) => { throw new PtsmError('NOTIFIER_FAILED', 'Slack indisponible (503)'); };
      const r = await tick(deps(t.db, notifier, clock.now, { ledger, maxAttempts: 2 }));
      expect(r.failed).toHaveLength(1);
      expect(await ledger.failedNudges()).toMatchObject([{ key: 'fa-4#lancement:J-14:2026-06-30', attempts: 2, error: 'Slack indisponible (503)' }]);
      expect(listNudges(t.db)).toEqual([]);
      // The week's digest (due since Monday 9:00) went out at the end of that tick, the failure read from the shared ledger.
      expect(notifier.digests).toHaveLength(1);
      expect(notifier.digests[0]!.digest.failedNudges).toMatchObject([{ milestoneId: 'fa-4#lancement', recipient: 'martin paul', attempts: 2 }]);
    } finally {
      t.cleanup();
    }
  });
});
