import { PtsmError } from '../../core/errors.js';
import { parseFrenchDate } from '../../milestones/french-dates.js';
import type { CommandRun } from '../context.js';
import { json } from '../format.js';

const PRECISION_FR: Record<string, string> = {
  day: 'jour', week: 'semaine', month: 'mois', quarter: 'trimestre', semester: 'semestre', season: 'saison', year: 'année', range: 'période', unresolved: 'non résolue',
};

export const runWhen: CommandRun = async (ctx, args, flags) => {
  const text = args.join(' ').trim();
  if (!text) throw new PtsmError('USAGE', 'Indiquez une expression, par ex. ptsm when "2e semestre 2026".');
  const ref = flags['ref'] === undefined ? new Date().toISOString().slice(0, 10) : String(flags['ref']);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ref) || Number.isNaN(Date.parse(ref))) {
    throw new PtsmError('USAGE', `--ref attend une date AAAA-MM-JJ (reçu « ${ref} »).`, { input: ref });
  }
  const p = parseFrenchDate(text, ref);
  if (flags['json']) {
    ctx.stdout(json({ text: p.text, start: p.start, end: p.end, precision: p.precision, flagged: p.flagged, reason: p.reason }));
    return 0;
  }
  if (p.precision === 'unresolved') {
    ctx.stdout(`« ${p.text} » : non interprétée — ${p.reason ?? 'expression non reconnue'}. À préciser par la coordination.\n`);
    return 0;
  }
  ctx.stdout(`« ${p.text} » : du ${p.start ?? '?'} au ${p.end ?? '?'} (précision : ${PRECISION_FR[p.precision]}) — échéance retenue : ${p.end ?? 'aucune'}${p.flagged ? ` ⚠ ${p.reason}` : ''}\n`);
  return 0;
};
