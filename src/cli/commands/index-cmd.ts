import { PtsmError } from '../../core/errors.js';
import { DocumentKind } from '../../core/types.js';
import { indexPaths, type FileResult } from '../../ingestion/indexer.js';
import { createEmbedder } from '../../search/embedders/index.js';
import type { CommandRun } from '../context.js';
import { json, progressBar } from '../format.js';
import { afterIndex } from '../hooks.js';

const STATUS_FR: Record<FileResult['status'], string> = {
  indexed: 'indexé', unchanged: 'inchangé', removed: 'retiré', skipped: 'ignoré', error: 'ERREUR',
};

export const runIndex: CommandRun = async (ctx, args, flags) => {
  if (!args.length) throw new PtsmError('USAGE', 'Indiquez au moins un fichier ou dossier à indexer, par ex. « ptsm index corpus ».');
  let kind: DocumentKind | undefined;
  if (flags['kind'] !== undefined) {
    const parsed = DocumentKind.safeParse(flags['kind']);
    if (!parsed.success) throw new PtsmError('USAGE', `--kind : valeur inconnue « ${String(flags['kind'])} » (attendu : ptsm, fiche, compte-rendu, autre).`, { input: String(flags['kind']) });
    kind = parsed.data;
  }
  const started = Date.now();
  const report = await indexPaths(args, {
    dataDir: ctx.config.dataDir,
    embedder: createEmbedder(ctx.config.embedder),
    logger: ctx.logger,
    cwd: ctx.cwd,
    limits: ctx.config.ingestion,
    ...(kind ? { kind } : {}),
    onProgress: (done, total, r) => {
      if (flags['json']) return;
      if (ctx.interactive) ctx.stderr(`\r\x1b[2K${progressBar(done, total, r.source)}`);
      if (r.status !== 'unchanged' || !ctx.interactive) {
        if (ctx.interactive) ctx.stderr('\r\x1b[2K');
        ctx.stderr(`${STATUS_FR[r.status].padEnd(8)} ${r.source}${r.chunks ? ` (${r.chunks} passages${r.kind ? `, ${r.kind}` : ''})` : ''}${r.message && r.status !== 'error' ? ` — ${r.message}` : ''}${r.status === 'error' ? ` — ${r.message}` : ''}\n`);
      }
    },
  });
  if (ctx.interactive && !flags['json']) ctx.stderr('\r\x1b[2K');
  const extra = await afterIndex(ctx, report);
  const count = (s: FileResult['status']): number => report.files.filter((f) => f.status === s).length;
  if (flags['json']) {
    ctx.stdout(json({ ...report, ...extra, seconds: (Date.now() - started) / 1000 }));
  } else {
    ctx.stdout(
      `Index : ${report.documents} documents, ${report.chunks} passages (${ctx.config.dataDir}).\n` +
      `${count('indexed')} indexés, ${count('unchanged')} inchangés, ${count('removed')} retirés, ${count('skipped')} ignorés, ${count('error')} en erreur — ${((Date.now() - started) / 1000).toFixed(1)} s.\n` +
      (extra.summary ? `${extra.summary}\n` : ''),
    );
    for (const f of report.files.filter((x) => x.status === 'error')) ctx.stdout(`  ✗ ${f.source} : ${f.message}\n`);
    const withPatientData = report.files.filter((x) => x.patientData);
    if (withPatientData.length) {
      ctx.stdout(`Attention : ${withPatientData.length} document${withPatientData.length > 1 ? 's semblent' : ' semble'} contenir des données de patients (masquées dans les réponses et avant tout envoi à un LLM) ; retirez-les des documents du PTSM :\n`);
      for (const f of withPatientData) ctx.stdout(`  ⚠ ${f.source} : ${f.patientData} passage${f.patientData! > 1 ? 's' : ''}\n`);
    }
  }
  const nothing = report.files.every((f) => f.status !== 'indexed' && f.status !== 'unchanged');
  return nothing ? 1 : 0;
};
