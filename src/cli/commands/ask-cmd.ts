import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { createAnswerService } from '../../answers/index.js';
import { PtsmError } from '../../core/errors.js';
import { ConversationTurn } from '../../core/types.js';
import { createEmbedder } from '../../search/embedders/index.js';
import { KnowledgeBase } from '../../search/knowledge-base.js';
import { cliAccess } from '../audience.js';
import type { CommandRun } from '../context.js';
import { json } from '../format.js';
import { openStructuredAnswerer } from '../structured.js';

export const runAsk: CommandRun = async (ctx, args, flags) => {
  const question = args.join(' ').trim();
  if (!question) throw new PtsmError('USAGE', 'Indiquez une question, par ex. ptsm ask "Qui pilote la fiche pair-aidance ?"');
  const history = flags['history'] ? readHistory(path.resolve(ctx.cwd, String(flags['history']))) : [];
  const { policy, audience } = cliAccess(ctx, flags);
  const kb = KnowledgeBase.open(ctx.config.dataDir, createEmbedder(ctx.config.embedder));
  const structured = openStructuredAnswerer(ctx.config.dataDir, kb);
  try {
    const service = createAnswerService(ctx.config, kb, ctx.logger, structured?.answerer ?? null, structured?.decisions ?? null);
    const allowSource = policy.searchRestriction(audience);
    const answer = await service.ask(question, { history, ...(allowSource ? { allowSource } : {}) });
    if (flags['json']) {
      ctx.stdout(json(answer));
      return 0;
    }
    ctx.stdout(`${answer.answer}\n`);
    if (answer.citations.length) {
      ctx.stdout('\nSources :\n');
      answer.citations.forEach((c, i) => ctx.stdout(`  [${i + 1}] ${c.title}${c.page ? `, p. ${c.page}` : ''}${c.section ? ` — ${c.section}` : ''} (${c.source})\n`));
    }
    return 0;
  } finally {
    structured?.close();
  }
};

function readHistory(file: string): ConversationTurn[] {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    throw new PtsmError('INPUT_NOT_FOUND', `Fichier d'historique introuvable : ${file}`, { input: file });
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (e) {
    throw new PtsmError('USAGE', `Historique illisible : ${file} n'est pas du JSON valide (${(e as Error).message})`, { input: file });
  }
  const parsed = z.array(ConversationTurn).safeParse(data);
  if (!parsed.success) {
    throw new PtsmError('USAGE', `Historique invalide : ${file} doit contenir [{"role": "user"|"assistant", "content": "…"}]`, { input: file });
  }
  return parsed.data;
}
