import fs from 'node:fs';
import path from 'node:path';
import { PtsmError, describeError } from '../../core/errors.js';
import type { FicheDraft } from '../../core/fiche.js';
import { draftFicheOffline, loadThreadFile, threadHash } from '../../fiches/draft/index.js';
import { LlmDrafter } from '../../fiches/draft/llm.js';
import { getFiche, listFiches } from '../../fiches/registry.js';
import { renderFicheDocx, renderFicheMarkdown } from '../../fiches/render/index.js';
import { openDataDb } from '../data.js';
import type { Command, CommandContext } from '../context.js';
import { json, truncate } from '../format.js';

export const draftCommand: Command = {
  name: 'draft',
  summary: 'Rédige un brouillon de fiche action à partir d’un fil de discussion (JSON ou texte « Nom : message »)',
  usage: 'ptsm draft <fil.json|fil.txt> [--json] [--out fiche.docx|fiche.md] [--ref AAAA-MM-JJ]',
  options: {
    json: { type: 'boolean', description: 'sortie JSON : {fiche, missing, provenance}' },
    out: { type: 'string', description: 'écrit la fiche dans un fichier .docx ou .md' },
    ref: { type: 'string', description: 'date de référence des échéances relatives des messages sans horodatage (fil texte) ; un message horodaté est toujours lu à sa propre date (défaut : aujourd’hui)' },
  },
  async run(ctx, args, flags) {
    const file = args[0];
    if (!file) throw new PtsmError('USAGE', 'Indiquez le fichier du fil de discussion, par ex. ptsm draft fil.json');
    const thread = loadThreadFile(path.resolve(ctx.cwd, file));
    const now = new Date().toISOString();
    const ref = flags['ref'] === undefined ? undefined : String(flags['ref']);
    let draft: FicheDraft = draftFicheOffline(thread, { now, ...(ref ? { ref } : {}) });
    if (ctx.config.llm && thread.messages.length) {
      try {
        draft = await new LlmDrafter(ctx.config.llm).draft(thread, { now, id: `draft-${threadHash(thread)}`, ...(ref ? { ref } : {}) });
      } catch (e) {
        ctx.logger.warn('LLM drafting failed, using the offline draft', { error: describeError(e) });
      }
    }
    if (flags['out']) await writeFicheFile(ctx, String(flags['out']), draft);
    if (flags['json']) { ctx.stdout(json(draft)); return 0; }
    ctx.stdout(renderFicheMarkdown(draft.fiche, { draft: { missing: draft.missing, provenance: draft.provenance } }));
    return 0;
  },
};

async function writeFicheFile(ctx: CommandContext, out: string, draft: FicheDraft): Promise<void> {
  const target = path.resolve(ctx.cwd, out);
  const ext = path.extname(target).toLowerCase();
  if (ext === '.docx') fs.writeFileSync(target, await renderFicheDocx(draft.fiche, { draft: { missing: draft.missing, provenance: draft.provenance } }));
  else if (ext === '.md') fs.writeFileSync(target, renderFicheMarkdown(draft.fiche, { draft: { missing: draft.missing, provenance: draft.provenance } }));
  else throw new PtsmError('USAGE', `--out : extension « ${ext || '(aucune)'} » non prise en charge (.docx ou .md).`, { input: out });
  ctx.stderr(`Fiche écrite dans ${target}\n`);
}


export const fichesCommand: Command = {
  name: 'fiches',
  summary: 'Liste les fiches actions du registre',
  usage: 'ptsm fiches [--json] [--data DIR]',
  options: { json: { type: 'boolean', description: 'sortie JSON : tableau de fiches' } },
  async run(ctx, _args, flags) {
    const db = openDataDb(ctx, 'registre de fiches');
    try {
      const fiches = listFiches(db);
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
  },
};

export const ficheCommand: Command = {
  name: 'fiche',
  summary: 'Affiche une fiche action (par numéro ou identifiant)',
  usage: 'ptsm fiche <numéro|id> [--json] [--out fiche.docx|fiche.md] [--data DIR]',
  options: {
    json: { type: 'boolean', description: 'sortie JSON de la fiche' },
    out: { type: 'string', description: 'exporte la fiche en .docx ou .md' },
  },
  async run(ctx, args, flags) {
    const id = args[0];
    if (!id) throw new PtsmError('USAGE', 'Indiquez le numéro ou l’identifiant de la fiche, par ex. ptsm fiche 4');
    const db = openDataDb(ctx, 'registre de fiches');
    try {
      const fiche = getFiche(db, id);
      if (!fiche) throw new PtsmError('FICHE_NOT_FOUND', `Fiche introuvable : « ${id} ». La liste : ptsm fiches`, { input: id });
      if (flags['out']) await writeFicheFile(ctx, String(flags['out']), { fiche, missing: [], provenance: {} });
      ctx.stdout(flags['json'] ? json(fiche) : renderFicheMarkdown(fiche));
      return 0;
    } finally {
      db.close();
    }
  },
};
