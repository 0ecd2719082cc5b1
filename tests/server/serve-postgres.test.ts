import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { isPtsmError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { serve } from '../../src/server/serve.js';
import { openPostgres } from '../../src/storage/postgres.js';
import { PostgresDeliveryLedger } from '../../src/milestones/pg-ledger.js';
import { main } from '../../src/cli/main.js';
import { listMilestones } from '../../src/milestones/index.js';
import { MINI_PTSM, buildKb } from '../helpers/kb.js';
import { findPostgresBin, startPostgres, type ThrowawayPostgres } from '../helpers/postgres.js';

const PG_BIN = findPostgresBin();

describe.skipIf(!PG_BIN)(`ptsm serve with PTSM_DATABASE_URL${PG_BIN ? '' : ' (ignoré : binaires du serveur PostgreSQL introuvables)'}`, () => {
  let pg: ThrowawayPostgres;
  let kb: Awaited<ReturnType<typeof buildKb>>;
  beforeAll(async () => {
    pg = await startPostgres({ bin: PG_BIN! });
    kb = await buildKb(MINI_PTSM);
    fs.writeFileSync(path.join(kb.dataDir, 'annuaire.json'), JSON.stringify([
      { name: 'Inès Caradec', organisation: 'GEM La Boussole', email: 'ines@gem.example' },
      { name: 'Hugo Lemaire', organisation: 'CCAS de Port-Orme', email: 'hugo@ccas.example' },
    ]));
  }, 120_000);
  afterAll(async () => {
    await pg?.stop();
    kb?.cleanup();
  });

  it('two servers, each with its own data folder, share the ledger: each nudge goes out once, /readyz checks PostgreSQL', async () => {
    // Two replicas: same documents, their own SQLite file each.
    const dirs = ['r1', 'r2'].map((n) => {
      const d = path.join(kb.dir, n);
      fs.cpSync(kb.dataDir, d, { recursive: true });
      return d;
    });
    // « Recrutement de deux médiateurs : T2 2026 » is due 2026-06-30: J-14 on Tuesday 16 June, 10:00 in Paris.
    const now = new Date('2026-06-16T08:00:00Z');
    const servers = await Promise.all(dirs.map((d) => serve({
      config: loadConfig({ PTSM_DATA_DIR: d, PORT: '0', PTSM_DATABASE_URL: pg.url }), logger: silentLogger, clock: () => now, tickMs: 60_000,
    })));
    let ready: { ready: boolean; checks: Record<string, string> } | undefined;
    try {
      ready = await (await fetch(`${servers[0]!.url}/readyz`)).json() as typeof ready;
    } finally {
      // close() waits for the first pass of each scheduler, started with the server.
      await Promise.all(servers.map((s) => s.close()));
    }
    expect(ready?.checks['postgres']).toBe('ok');
    const sent = dirs.flatMap((d) => {
      const file = path.join(d, 'relances.jsonl');
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; nudge?: { key: string }; recipient?: { id: string } }) : [];
    }).filter((l) => l.type === 'nudge').map((l) => `${l.nudge!.key}|${l.recipient!.id}`);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.some((k) => k.includes(':J-14:2026-06-30|'))).toBe(true);
    expect(new Set(sent).size).toBe(sent.length);

    const store = await openPostgres(pg.url);
    try {
      const rows = await (await PostgresDeliveryLedger.open(store)).listNudges();
      expect(rows.map((r) => `${r.key}|${r.recipient}`).sort()).toEqual([...sent].sort());
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
    } finally {
      await store.close();
    }

    // `ptsm reminders` reads the same ledger: nothing left for Inès with it; her J-14 still pending in the replica's own SQLite ledger.
    const pendingFor = async (env: Record<string, string>): Promise<string[]> => {
      let out = '';
      const code = await main(['reminders', '--dry-run', '--json', '--now', '2026-06-16T08:20:00Z', '--data', dirs[0]!], { env, cwd: kb.dir, stdout: (x) => { out += x; }, stderr: () => undefined, interactive: false });
      expect(code).toBe(0);
      return (JSON.parse(out) as Array<{ pilot: string; kind: string }>).filter((r) => r.pilot.includes('Inès')).map((r) => r.kind);
    };
    expect(await pendingFor({ PTSM_DATABASE_URL: pg.url })).toEqual([]);
    expect(await pendingFor({})).toEqual(['J-14']);
  });

  it('a pilot’s « fait » recorded by one replica stops the next nudge on every replica', async () => {
    const dirs = ['a1', 'a2'].map((n) => {
      const d = path.join(kb.dir, n);
      fs.cpSync(kb.dataDir, d, { recursive: true });
      return d;
    });
    // The first test sent this J-14 already, in the same ledger: start from an empty one.
    const admin = await openPostgres(pg.url);
    await PostgresDeliveryLedger.open(admin);
    await admin.query('TRUNCATE nudge_sent, nudge_alert');
    await admin.close();
    // J-14 of « Recrutement de deux médiateurs » (due 2026-06-30) on Tuesday 16 June, J-7 on the 23rd, 10:00 in Paris.
    let now = new Date('2026-06-16T08:00:00Z');
    const servers = await Promise.all(dirs.map((d) => serve({
      config: loadConfig({ PTSM_DATA_DIR: d, PORT: '0', PTSM_DATABASE_URL: pg.url }), logger: silentLogger, clock: () => now, tickMs: 150,
    })));
    const nudged = (): string[] => dirs.flatMap((d) => {
      const file = path.join(d, 'relances.jsonl');
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; nudge?: { key: string } }) : [];
    }).filter((l) => l.type === 'nudge').map((l) => l.nudge!.key);
    let milestoneId = '';
    try {
      const milestone = listMilestones(servers[0]!.runtime.db, { now: now.toISOString() }).find((m) => m.label.includes('Recrutement de deux médiateurs'))!;
      milestoneId = milestone.id;
      for (let waited = 0; !nudged().some((k) => k.startsWith(`${milestone.id}:J-14`)) && waited < 15_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 300));
      expect(nudged().filter((k) => k.startsWith(`${milestone.id}:J-14`))).toHaveLength(1);
      const done = await servers[0]!.runtime.assistant.answerNudge(milestone.id, { kind: 'fait' }, { platform: 'slack', id: 'U-INES', name: 'Inès Caradec' });
      expect(done.ok).toBe(true);
      now = new Date('2026-06-23T08:00:00Z');
      // Several passes of both replicas on the 23rd (a loaded machine may need more time for them).
      const statusOnB = () => listMilestones(servers[1]!.runtime.db, { now: now.toISOString() }).find((m) => m.id === milestone.id)!.status;
      for (let waited = 0; statusOnB() !== 'fait' && waited < 15_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 600));
      // The other replica applied the answer before its pass of the 23rd (it ran: the status is there).
      expect(listMilestones(servers[1]!.runtime.db, { now: now.toISOString() }).find((m) => m.id === milestone.id)!.status).toBe('fait');
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
    expect(nudged().filter((k) => k.startsWith(`${milestoneId}:J-7`))).toEqual([]);
  }, 60_000);

  it('two territories on one PostgreSQL: the same milestone in each is nudged once per territory, each ledger in its own schema', async () => {
    // Both territories index the same documents: same milestone ids, same nudge keys.
    const root = path.join(kb.dir, 'region');
    for (const id of ['79', '86']) fs.cpSync(kb.dataDir, path.join(root, 'territories', id), { recursive: true });
    const now = new Date('2026-06-16T08:00:00Z');
    const server = await serve({ config: loadConfig({ PTSM_DATA_DIR: root, PORT: '0', PTSM_DATABASE_URL: pg.url }), logger: silentLogger, clock: () => now, tickMs: 60_000 });
    let ready: { checks: Record<string, string> } | undefined;
    try {
      ready = await (await fetch(`${server.url}/readyz`)).json() as typeof ready;
    } finally {
      await server.close();
    }
    expect(ready?.checks).toMatchObject({ 'postgres 79': 'ok', 'postgres 86': 'ok' });
    const sentIn = (id: string): string[] => {
      const file = path.join(root, 'territories', id, 'relances.jsonl');
      return fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; nudge?: { key: string } })
        .filter((l) => l.type === 'nudge').map((l) => l.nudge!.key);
    };
    const j14 = (keys: string[]) => keys.filter((k) => k.includes(':J-14:2026-06-30'));
    expect(j14(sentIn('79')).length).toBeGreaterThan(0);
    expect(j14(sentIn('86'))).toEqual(j14(sentIn('79')));
    const store = await openPostgres(pg.url);
    try {
      const rows = await store.query<{ s: string; n: string }>("SELECT table_schema AS s, COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'nudge_sent' GROUP BY 1 ORDER BY 1");
      expect(rows.rows.map((r) => r.s)).toEqual(expect.arrayContaining(['ptsm_t_79', 'ptsm_t_86']));
    } finally {
      await store.close();
    }
  });

  it('refuses to start when PostgreSQL cannot be reached, in French, without the password', async () => {
    const url = `postgres://ptsm:s3cret@/ptsm?host=${path.join(pg.socketDir, 'absent')}`;
    const err = await serve({ config: loadConfig({ PTSM_DATA_DIR: kb.dataDir, PORT: '0', PTSM_DATABASE_URL: url }), logger: silentLogger, tickMs: 60_000 })
      .then(() => null, (e: unknown) => e);
    expect(isPtsmError(err) && err.code).toBe('DATABASE_FAILED');
    expect((err as Error).message).toMatch(/^PostgreSQL \(postgres:\/\/ptsm:\*\*\*@\/ptsm\?host=.*\) : connexion impossible \(serveur injoignable\)\.$/);
    expect((err as Error).message).not.toContain('s3cret');
  });
});
