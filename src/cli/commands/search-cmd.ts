import { PtsmError } from '../../core/errors.js';
import { DocumentKind } from '../../core/types.js';
import { createEmbedder } from '../../search/embedders/index.js';
import { KnowledgeBase, toSearchHit, type SearchMode } from '../../search/knowledge-base.js';
import { cliAccess } from '../audience.js';
import type { CommandRun } from '../context.js';
import { json, parseIntFlag, truncate } from '../format.js';

export const runSearch: CommandRun = async (ctx, args, flags) => {
  const query = args.join(' ').trim();
  if (!query) throw new PtsmError('USAGE', 'Indiquez une requête, par ex. ptsm search "pair-aidance".');
  const k = parseIntFlag(flags['k'], 'k', 1, 200) ?? 5;
  const mode = (flags['mode'] ?? 'hybrid') as SearchMode;
  if (!['hybrid', 'bm25', 'vector'].includes(mode)) throw new PtsmError('USAGE', `--mode : valeur inconnue « ${mode} » (hybrid, bm25 ou vector).`, { input: mode });
  const kinds = flags['kind'] === undefined ? undefined : [DocumentKind.parse(flags['kind'])];
  const { policy, audience } = cliAccess(ctx, flags);
  const kb = KnowledgeBase.open(ctx.config.dataDir, createEmbedder(ctx.config.embedder));
  const allowSource = policy.searchRestriction(audience);
  const hits = (await kb.search(query, { k, mode, ...(allowSource ? { allowSource } : {}), ...(kinds ? { kinds } : {}) })).map(toSearchHit);
  if (flags['json']) {
    ctx.stdout(json(hits));
    return 0;
  }
  if (!hits.length) {
    ctx.stdout(`Aucun passage trouvé pour « ${query} ».\n`);
    return 0;
  }
  hits.forEach((h, i) => {
    const where = [h.page ? `p. ${h.page}` : null, h.section].filter(Boolean).join(' — ');
    ctx.stdout(`${i + 1}. ${h.title} [${h.kind}] ${where ? `(${where})` : ''}\n   ${h.source}\n   ${truncate(h.text, 240)}\n\n`);
  });
  return 0;
};
