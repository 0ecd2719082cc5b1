import { PtsmError } from '../../core/errors.js';
import { readSnapshot } from '../../search/snapshot.js';
import type { CommandRun } from '../context.js';
import { json } from '../format.js';

export const runStats: CommandRun = async (ctx, _args, flags) => {
  const snap = readSnapshot(ctx.config.dataDir);
  if (!snap) throw new PtsmError('INDEX_MISSING', `Aucun index dans ${ctx.config.dataDir} : lancez d'abord « ptsm index <dossier> ».`, { input: ctx.config.dataDir });
  const m = snap.manifest;
  const byKind: Record<string, { documents: number; chunks: number }> = {};
  for (const d of m.documents) {
    const k = (byKind[d.kind] ??= { documents: 0, chunks: 0 });
    k.documents++;
    k.chunks += d.chunkCount;
  }
  const stats = {
    dataDir: ctx.config.dataDir,
    createdAt: m.createdAt,
    embedder: m.embedder,
    documents: m.documents.length,
    chunks: m.chunkCount,
    byKind,
    errors: m.errors,
    files: m.documents.map((d) => ({ source: d.source, title: d.title, kind: d.kind, date: d.date, pages: d.pageCount, chunks: d.chunkCount })),
  };
  if (flags['json']) { ctx.stdout(json(stats)); return 0; }
  ctx.stdout(`Index ${ctx.config.dataDir} (mis à jour le ${m.createdAt})\n`);
  ctx.stdout(`${m.documents.length} documents, ${m.chunkCount} passages, embedder ${m.embedder.id}\n`);
  for (const [kind, v] of Object.entries(byKind)) ctx.stdout(`  ${kind.padEnd(13)} ${String(v.documents).padStart(4)} documents ${String(v.chunks).padStart(6)} passages\n`);
  if (m.errors.length) {
    ctx.stdout(`Erreurs de la dernière indexation :\n`);
    for (const e of m.errors) ctx.stdout(`  ✗ ${e.source} : ${e.message}\n`);
  }
  return 0;
};
