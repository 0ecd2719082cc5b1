/**
 * Benchmark of several scheduler replicas on one PostgreSQL ledger: 3 replica
 * processes (tests/milestones/fixtures/replica-worker.ts), 10,000 milestones
 * with one nudge due each, a fake channel on 127.0.0.1 answering after 1 ms.
 * One replica is SIGKILLed mid-run (send in flight) and restarted at once;
 * a last round 15 minutes later (past the lease) picks up what it held.
 * Needs PostgreSQL server binaries (a throwaway cluster, Unix socket only);
 * skipped otherwise. Wired into `npm run bench` (BENCH_SECTIONS=replicas).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../src/storage/sqlite.js';
import { syncMilestones } from '../src/milestones/store.js';
import { locatePostgresBin, startPostgres } from '../tests/helpers/postgres.js';
import { FakeChannel, Replica, replicaFiches } from '../tests/milestones/replicas-support.js';

const FICHES = 1_000;
const PER_FICHE = 10;
const REPLICAS = 3;
const KILL_AFTER = 1_000; // the victim's 1,000th nudge is held, and the victim killed
const TODAY = '2026-06-16';
const TICK_1 = Date.parse('2026-06-16T08:00:00Z'); // Tuesday 10:00 in Paris
const TICK_2 = TICK_1 + 15 * 60_000;

export interface ReplicasBench {
  replicas: number;
  milestones: number;
  due: number;
  sent: number;
  duplicates: number;
  duplicatesFlaggedResumed: number;
  lost: number;
  killed: boolean;
  elapsedSeconds: number;
  nudgesPerSecond: number;
}

export async function benchReplicas(): Promise<ReplicasBench | { skipped: string }> {
  const bin = locatePostgresBin();
  if (!bin) return { skipped: 'binaires du serveur PostgreSQL introuvables (apt-get install -y postgresql)' };
  const pg = await startPostgres({ bin });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptsm-bench-replicas-'));
  const { fiches, expected } = replicaFiches(TODAY, FICHES, PER_FICHE, 1);
  let victim: Replica | null = null;
  let killed = false;
  let seen = 0;
  const channel = new FakeChannel(1, (r) => {
    if (killed || r.replica !== 'R1' || ++seen !== KILL_AFTER) return 'answer';
    killed = true;
    victim!.kill();
    return 'hold';
  });
  const replicas: Replica[] = [];
  try {
    const base = path.join(dir, 'base.sqlite');
    const db = openDatabase(base);
    syncMilestones(db, fiches, '2026-06-01T08:00:00.000Z');
    db.close();
    const files = Array.from({ length: REPLICAS }, (_, i) => {
      const f = path.join(dir, `replica-${i + 1}.sqlite`);
      fs.copyFileSync(base, f);
      return f;
    });
    await channel.start();
    replicas.push(...(await Promise.all(files.map((f, i) => Replica.start(f, pg.url, channel.url, `R${i + 1}`)))));
    victim = replicas[0]!;

    const t0 = performance.now();
    const round1 = replicas.map((r) => r.tick(TICK_1));
    // The killed replica comes back at once and joins the same pass (one minute later on the simulated clock).
    const restarted = round1[0]!.then(async (outcome) => {
      if (outcome !== 'killed') return;
      replicas[0] = await Replica.start(files[0]!, pg.url, channel.url, 'R1bis');
      await replicas[0].tick(TICK_1 + 60_000);
    });
    await Promise.all([...round1, restarted]);
    await Promise.all(replicas.map((r) => r.tick(TICK_2)));
    const elapsed = (performance.now() - t0) / 1000;

    const nudges = channel.received.filter((r) => r.type === 'nudge');
    const unique = new Set(nudges.map((n) => `${n.key}|${n.recipient}`));
    const byKey = new Map<string, number>();
    for (const n of nudges) byKey.set(`${n.key}|${n.recipient}`, (byKey.get(`${n.key}|${n.recipient}`) ?? 0) + 1);
    const flagged = nudges.filter((n) => n.resumed && (byKey.get(`${n.key}|${n.recipient}`) ?? 0) > 1).length;
    const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
    return {
      replicas: REPLICAS, milestones: FICHES * PER_FICHE, due: expected.size,
      sent: [...unique].filter((k) => expected.has(k)).length,
      duplicates: nudges.length - unique.size,
      duplicatesFlaggedResumed: flagged,
      lost: [...expected].filter((k) => !unique.has(k)).length,
      killed,
      elapsedSeconds: round(elapsed),
      nudgesPerSecond: round(expected.size / elapsed, 0),
    };
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    await channel.close();
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function describeReplicasBench(r: ReplicasBench | { skipped: string }): string {
  if ('skipped' in r) return `Réplicas PostgreSQL : ignoré — ${r.skipped}.`;
  return [
    `Réplicas PostgreSQL : ${r.replicas} processus, ${r.milestones} jalons, une réplique tuée (SIGKILL) en plein envoi puis relancée${r.killed ? '' : ' — ATTENTION : l\'arrêt n\'a pas eu lieu'}`,
    `  relances dues     ${r.due}`,
    `  envoyées          ${r.sent}`,
    `  doublons          ${r.duplicates} (dont signalés « reprise » : ${r.duplicatesFlaggedResumed})`,
    `  perdues           ${r.lost}`,
    `  durée             ${r.elapsedSeconds.toFixed(2)} s`,
    `  débit             ${r.nudgesPerSecond} relances/s`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchReplicas().then((r) => console.log(process.argv.includes('--json') ? JSON.stringify(r) : describeReplicasBench(r)), (e: unknown) => { console.error(e); process.exit(1); });
}
