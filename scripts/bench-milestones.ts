/**
 * Benchmark of the reminder scheduler: 10,000 milestones over 1,000 fiches in
 * a temporary SQLite file, then ~50 dry-run ticks (due-nudge computation,
 * pilot resolution, ledger look-ups; nothing sent). Wired into `npm run bench`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Fiche } from '../src/core/fiche.js';
import { silentLogger } from '../src/core/logger.js';
import { openDatabase } from '../src/storage/sqlite.js';
import { createDirectory, type DirectoryEntry } from '../src/milestones/directory.js';
import type { Notifier } from '../src/milestones/notifier.js';
import { DEFAULT_PLAN } from '../src/milestones/plan.js';
import { tick } from '../src/milestones/scheduler.js';
import { syncMilestones } from '../src/milestones/store.js';

const FICHES = 1_000;
const PER_FICHE = 10;
const RUNS = 50;
const FIRST = ['Paul', 'Hélène', 'Karim', 'Sophie', 'Nadia', 'Luc', 'Claire', 'Yannick', 'Inès', 'Thomas'];
const LAST = ['Martin', 'Dupont', 'Benali', 'Leroy', 'Haddad', 'Girard', 'Morel', 'Le Goff', 'Nguyen', 'Fabre'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const nullNotifier: Notifier = { sendNudge: async () => {}, sendDigest: async () => {}, sendCoordinatorAlert: async () => {} };

export async function benchMilestones(): Promise<{ milestones: number; fiches: number; tickP50Ms: number; tickP99Ms: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptsm-bench-milestones-'));
  const db = openDatabase(path.join(dir, 'ptsm.sqlite'));
  try {
    const people: DirectoryEntry[] = [];
    for (const f of FIRST) for (const l of LAST) {
      people.push({ name: `${f} ${l}`, aliases: [], organisation: null, email: `${f}.${l}@exemple.fr`.toLowerCase().replace(/\s/g, ''), source: 'annuaire' });
    }
    const fiches: Fiche[] = [];
    for (let i = 0; i < FICHES; i++) {
      const p1 = people[i % people.length]!;
      const p2 = people[(i * 7 + 3) % people.length]!;
      const milestones = Array.from({ length: PER_FICHE }, (_, j) => {
        // Due dates spread from 2025-07 to 2027-06: some overdue, some within the 14-day window, most later.
        const due = new Date(Date.UTC(2025, 6, 1) + ((i * PER_FICHE + j) * 7_919 % 730) * 86_400_000).toISOString().slice(0, 10);
        return { label: `Étape ${j + 1}`, dueText: due, due, start: null, precision: 'day' as const };
      });
      const pilots = [{ name: `Dr ${p1.name}`, organisation: null, email: null, chatIds: {} }];
      if (i % 3 === 0) pilots.push({ name: `${p2.name[0]}. ${p2.name.split(' ').slice(1).join(' ')}`, organisation: null, email: null, chatIds: {} });
      fiches.push(Fiche.parse({ id: `fa-${i + 1}`, number: i + 1, title: `Fiche ${i + 1}`, milestones, pilots, updatedAt: '2026-01-01T00:00:00Z' }));
    }
    syncMilestones(db, fiches, '2025-06-01T08:00:00Z');

    const directory = createDirectory(people, db);
    const now = new Date('2026-06-16T08:00:00Z'); // Tuesday 10:00 in Paris
    const deps = { db, notifier: nullNotifier, directory, clock: () => now, plan: DEFAULT_PLAN, logger: silentLogger, sleep: async () => {} };
    // One real tick first: the ledger then holds a realistic history of sent nudges.
    await tick(deps);

    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      await tick({ ...deps, dryRun: true });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const round = (x: number): number => Math.round(x * 100) / 100;
    return { milestones: FICHES * PER_FICHE, fiches: FICHES, tickP50Ms: round(percentile(times, 50)), tickP99Ms: round(percentile(times, 99)) };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchMilestones().then((r) => console.log(JSON.stringify(r)), (e: unknown) => { console.error(e); process.exit(1); });
}
