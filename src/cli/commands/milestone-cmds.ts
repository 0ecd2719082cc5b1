import fs from 'node:fs';
import path from 'node:path';
import { PtsmError } from '../../core/errors.js';
import {
  DEFAULT_PLAN, FileNotifier, listMilestones, loadDirectory, pendingDeliveriesIn, planDeliveries, renderIcs, tick, toReminderJson,
} from '../../milestones/index.js';
import { openDataDb } from '../data.js';
import { cliAccess } from '../audience.js';
import { trackedFiches } from '../../decisions/index.js';
import type { CommandRun } from '../context.js';
import { json, truncate } from '../format.js';


function parseNow(value: unknown): Date {
  if (value === undefined) return new Date();
  const d = new Date(String(value));
  if (Number.isNaN(d.getTime())) throw new PtsmError('USAGE', `--now attend une date ISO, par ex. 2026-03-02T09:30:00+01:00 (reçu « ${String(value)} »).`, { input: String(value) });
  return d;
}

export const runMilestones: CommandRun = async (ctx, _args, flags) => {
  const { policy, audience } = cliAccess(ctx, flags);
  const db = openDataDb(ctx, 'jalon');
  try {
    const now = new Date().toISOString();
    let items = listMilestones(db, { now }).filter(policy.milestonesFilter(audience, trackedFiches(db, now)));
    if (flags['status']) items = items.filter((m) => m.status === flags['status']);
    if (flags['ics']) {
      const target = path.resolve(ctx.cwd, String(flags['ics']));
      fs.writeFileSync(target, renderIcs(items, { now, calendarName: 'Jalons du PTSM' }));
      ctx.stderr(`Calendrier écrit dans ${target} (${items.filter((m) => m.due).length} jalons datés)\n`);
    }
    if (flags['json']) { ctx.stdout(json(items)); return 0; }
    for (const m of items) {
      const pilots = m.pilots.map((p) => p.name).join(', ') || 'sans pilote';
      ctx.stdout(`${(m.due ?? 'à dater').padEnd(10)}  ${m.status.padEnd(10)}  FA ${String(m.ficheNumber ?? '?').padEnd(3)} ${truncate(m.label, 50).padEnd(50)}  « ${truncate(m.dueText, 24)} »  ${truncate(pilots, 30)}${m.flag ? `  ⚠ ${m.flag}` : ''}\n`);
    }
    return 0;
  } finally {
    db.close();
  }
};

export const runReminders: CommandRun = async (ctx, _args, flags) => {
  const now = parseNow(flags['now']);
  const db = openDataDb(ctx, 'jalon');
  // With PTSM_DATABASE_URL, what was sent is in the ledger the `ptsm serve` replicas share: read and claim there.
  const shared = ctx.config.database ? await (await import('../../milestones/pg-ledger.js')).openPostgresLedger(ctx.config.database.url, { territory: ctx.config.territory }).catch((e: unknown) => { db.close(); throw e; }) : null;
  try {
    const directory = loadDirectory(ctx.config.dataDir, db);
    const deps = { db, directory, plan: { ...DEFAULT_PLAN, timezone: ctx.config.timezone }, ...(shared ? { ledger: shared.ledger } : {}) };
    const due = await pendingDeliveriesIn(deps, now, planDeliveries(deps, now, { ignoreHours: true }));
    const list = toReminderJson(due);
    if (!flags['dry-run']) {
      const outbox = path.resolve(ctx.cwd, String(flags['outbox'] ?? path.join(ctx.config.dataDir, 'relances.jsonl')));
      const result = await tick({ ...deps, notifier: new FileNotifier(outbox), clock: () => now, logger: ctx.logger });
      if (!result.workingSlot) ctx.stderr('Hors des heures ouvrées (Europe/Paris) : rien n’est envoyé maintenant ; les relances partiront au prochain créneau.\n');
      else ctx.stderr(`${result.sent.length} relance(s) envoyée(s) dans ${outbox}, ${result.failed.length} en échec, ${result.unlinked.length} pilote(s) non relié(s).\n`);
    }
    if (flags['json']) { ctx.stdout(json(list)); return 0; }
    if (!list.length) { ctx.stdout('Aucune relance due.\n'); return 0; }
    for (const r of list) ctx.stdout(`${r.kind.padEnd(7)}  ${r.due}  ${truncate(r.pilot, 28).padEnd(28)}  ${r.ficheId}  ${truncate(r.milestone, 60)}\n`);
    return 0;
  } finally {
    await shared?.close();
    db.close();
  }
};
