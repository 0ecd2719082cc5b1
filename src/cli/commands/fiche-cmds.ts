import fs from 'node:fs';
import path from 'node:path';
import { PtsmError, describeError } from '../../core/errors.js';
import type { FicheDraft } from '../../core/fiche.js';
import { draftFicheOffline, loadThreadFile, threadHash } from '../../fiches/draft/index.js';
import { getFiche, listFiches } from '../../fiches/registry.js';
import { renderFicheMarkdown } from '../../fiches/render/markdown.js';
import { openDataDb } from '../data.js';
import { cliAccess } from '../audience.js';
import type { CommandContext, CommandRun } from '../context.js';
import { json, truncate } from '../format.js';

export const runDraft: CommandRun = async (ctx, args, flags) => {
  const file = args[0];
  if (!file) throw new PtsmError('USAGE', 'Indiquez le fichier du fil de discussion, par ex. ptsm draft fil.json');
  const thread = loadThreadFile(path.resolve(ctx.cwd, file));
  const now = new Date().toISOString();
  const ref = flags['ref'] === undefined ? undefined : String(flags['ref']);
  let draft: FicheDraft = draftFicheOffline(thread, { now, timeZone: ctx.config.timezone, ...(ref ? { ref } : {}) });
  if (ctx.config.llm && thread.messages.length) {
    try {
      // LangChain is loaded only when an LLM is configured.
      const { LlmDrafter } = await import('../../fiches/draft/llm.js');
      draft = await new LlmDrafter(ctx.config.llm).draft(thread, { now, id: `draft-${threadHash(thread)}`, ...(ref ? { ref } : {}) });
    } catch (e) {
      ctx.logger.warn('LLM drafting failed, using the offline draft', { error: describeError(e) });
    }
  }
  if (flags['out']) await writeFicheFile(ctx, String(flags['out']), draft);
  if (flags['json']) { ctx.stdout(json(draft)); return 0; }
  ctx.stdout(renderFicheMarkdown(draft.fiche, { draft: { missing: draft.missing, provenance: draft.provenance } }));
  return 0;
};

async function writeFicheFile(ctx: CommandContext, out: string, draft: FicheDraft): Promise<void> {
  const target = path.resolve(ctx.cwd, out);
  const ext = path.extname(target).toLowerCase();
  if (ext === '.docx') fs.writeFileSync(target, await (await import('../../fiches/render/docx.js')).renderFicheDocx(draft.fiche, { draft: { missing: draft.missing, provenance: draft.provenance } }));
  else if (ext === '.md') fs.writeFileSync(target, renderFicheMarkdown(draft.fiche, { draft: { missing: draft.missing, provenance: draft.provenance } }));
  else throw new PtsmError('USAGE', `--out : extension « ${ext || '(aucune)'} » non prise en charge (.docx ou .md).`, { input: out });
  ctx.stderr(`Fiche écrite dans ${target}\n`);
}


export const runFiches: CommandRun = async (ctx, _args, flags) => {
  const { policy, audience } = cliAccess(ctx, flags);
  const db = openDataDb(ctx, 'registre de fiches');
  try {
    const fiches = listFiches(db).filter(policy.fichesFilter(audience));
    if (flags['json']) { ctx.stdout(json(fiches)); return 0; }
    if (!fiches.length) { ctx.stdout('Aucune fiche action dans le registre.\n'); return 0; }
    for (const f of fiches) {
      const pilots = f.pilots.map((p) => p.name).join(', ') || 'pilote non renseigné';
      ctx.stdout(`${String(f.number ?? '–').padStart(3)}  ${truncate(f.title, 70).padEnd(70)}  ${f.status.padEnd(10)}  ${truncate(pilots, 40)}\n`);
    }
    return 0;
  } finally {
    db.close();
  }
};

export const runFiche: CommandRun = async (ctx, args, flags) => {
  const id = args[0];
  if (!id) throw new PtsmError('USAGE', 'Indiquez le numéro ou l’identifiant de la fiche, par ex. ptsm fiche 4');
  const { policy, audience } = cliAccess(ctx, flags);
  const db = openDataDb(ctx, 'registre de fiches');
  try {
    const found = getFiche(db, id);
    // A fiche the channel may not see does not exist for it: same message, nothing to tell it apart.
    const fiche = found && policy.fichesFilter(audience)(found) ? found : null;
    if (!fiche) throw new PtsmError('FICHE_NOT_FOUND', `Fiche introuvable : « ${id} ». La liste : ptsm fiches`, { input: id });
    if (flags['out']) await writeFicheFile(ctx, String(flags['out']), { fiche, missing: [], provenance: {} });
    ctx.stdout(flags['json'] ? json(fiche) : renderFicheMarkdown(fiche));
    return 0;
  } finally {
    db.close();
  }
};
