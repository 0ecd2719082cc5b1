import fs from 'node:fs';
import path from 'node:path';
import { PtsmError } from '../../core/errors.js';
import { labelOf } from '../../decisions/answerer.js';
import { listDecisions } from '../../decisions/index.js';
import { BILAN_FORMATS, buildBilan, renderBilan, type BilanFormat } from '../../review/index.js';
import { readSnapshot } from '../../search/snapshot.js';
import { openDataDb } from '../data.js';
import type { CommandRun } from '../context.js';
import { json, truncate } from '../format.js';

/** "2026", "2026-01", "2026-01-15": the prefix a meeting date is compared with. */
function readSince(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const s = String(value).trim();
  if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(s)) throw new PtsmError('USAGE', `--since attend une année, un mois ou un jour (2026, 2026-01, 2026-01-15) ; reçu « ${s} ».`, { input: s });
  return s;
}

export const runDecisions: CommandRun = async (ctx, _args, flags) => {
  const fiche = flags['fiche'] === undefined ? undefined : Number(flags['fiche']);
  if (fiche !== undefined && !Number.isInteger(fiche)) throw new PtsmError('USAGE', `--fiche attend un numéro de fiche (ex. 4) ; reçu « ${String(flags['fiche'])} ».`, { input: String(flags['fiche']) });
  const since = readSince(flags['since']);
  const db = openDataDb(ctx, 'registre des décisions');
  try {
    const items = listDecisions(db, {
      ...(flags['meeting'] ? { meeting: String(flags['meeting']) } : {}),
      ...(since ? { since } : {}),
      ...(fiche !== undefined ? { fiche } : {}),
    });
    if (flags['json']) { ctx.stdout(json(items)); return 0; }
    if (!items.length) { ctx.stdout('Aucune décision relevée pour ces critères.\n'); return 0; }
    let current = '';
    for (const e of items) {
      if (e.source !== current) { current = e.source; ctx.stdout(`\n${labelOf(e)} — ${e.source}\n`); }
      const extra = [e.who.length ? `qui : ${e.who.join(', ')}` : '', e.due ? `pour le ${e.due}` : '', e.fiches.length ? `FA ${e.fiches.join(', ')}` : '', e.postponed ? 'report' : '']
        .filter(Boolean).join(' · ');
      ctx.stdout(`  ${e.kind === 'action' ? '→' : '•'} ${truncate(e.decision, 110)}${extra ? `  [${extra}]` : ''}${e.page ? ` (p. ${e.page})` : ''}\n`);
    }
    return 0;
  } finally {
    db.close();
  }
};

export const runBilan: CommandRun = async (ctx, args, flags) => {
  const year = Number(args[0]);
  if (!args[0] || !Number.isInteger(year) || year < 2000 || year > 2100) throw new PtsmError('USAGE', `Indiquez l'année du bilan, par ex. « ptsm bilan 2026 » (reçu « ${args[0] ?? ''} »).`, { input: args[0] ?? '' });
  const now = flags['now'] ? new Date(String(flags['now'])) : new Date();
  if (Number.isNaN(now.getTime())) throw new PtsmError('USAGE', `--now attend une date ISO (reçu « ${String(flags['now'])} »).`, { input: String(flags['now']) });
  const db = openDataDb(ctx, 'registre');
  try {
    const bilan = buildBilan({ db, snapshot: readSnapshot(ctx.config.dataDir), year, now: now.toISOString() });
    if (flags['out']) {
      const target = path.resolve(ctx.cwd, String(flags['out']));
      const ext = path.extname(target).slice(1).toLowerCase();
      if (!BILAN_FORMATS.includes(ext as BilanFormat)) throw new PtsmError('USAGE', `--out : extension « .${ext} » inconnue ; choisissez .docx, .csv ou .xlsx.`, { input: String(flags['out']) });
      fs.writeFileSync(target, await renderBilan(bilan, ext as BilanFormat));
      ctx.stderr(`Bilan ${year} écrit dans ${target} (${bilan.fiches.length} fiches).\n`);
    }
    if (flags['json']) { ctx.stdout(json(bilan)); return 0; }
    if (!flags['out']) {
      for (const f of bilan.fiches) {
        ctx.stdout(`FA ${String(f.number ?? '?').padEnd(3)} ${truncate(f.title, 50).padEnd(50)}  jalons ${f.milestones.length} (fait ${f.counts.done}, retard ${f.counts.late}, reporté ${f.counts.postponed})  indicateurs renseignés ${f.indicators.filter((i) => i.values.length).length}/${f.indicators.length}  décisions ${f.decisions.length}\n`);
      }
      const m = bilan.missing;
      ctx.stdout(`\nManques : ${m.withoutPilot.length} fiches sans pilote, ${m.withoutIndicatorValue.length} sans valeur d'indicateur, ${m.overdueWithoutAnswer.length} jalons en retard sans réponse.\n`);
    }
    return 0;
  } finally {
    db.close();
  }
};
