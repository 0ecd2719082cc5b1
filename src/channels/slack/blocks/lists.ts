import type { Fiche } from '../../../core/fiche.js';
import { escapeMrkdwn, statusLabel } from '../../../fiches/render/index.js';
import type { MilestoneView } from '../../../milestones/index.js';
import { frenchDate } from '../../../milestones/local-time.js';
import { SLASH_COMMAND } from '../ids.js';
import { context, divider, header, sections, type Block, type SlackPayload } from './kit.js';

/** Lists shown by /ptsm and the App Home: milestones, fiches, help. */
const OPEN = new Set(['à venir', 'reporté', 'en retard']);

export function openMilestones(ms: readonly MilestoneView[]): MilestoneView[] {
  return ms.filter((m) => OPEN.has(m.status));
}

function milestoneLine(m: MilestoneView): string {
  const when = m.due ? frenchDate(m.due) : 'date à préciser';
  const fiche = m.ficheNumber !== null ? `FA ${m.ficheNumber}` : m.ficheId;
  const late = m.status === 'en retard' ? ' :warning: *en retard*' : m.status === 'reporté' ? ' (reportée)' : '';
  return `• *${when}* — ${escapeMrkdwn(m.label)} (${escapeMrkdwn(fiche)} — ${escapeMrkdwn(m.ficheTitle)})${late}`;
}

export function ficheLine(f: Fiche): string {
  const num = f.number !== null ? `FA ${f.number}` : 'Fiche';
  return `• *${num}* — ${escapeMrkdwn(f.title || '(sans titre)')} _(${statusLabel(f.status)})_`;
}

function listText(items: string[], max: number, more: (n: number) => string): string {
  const shown = items.slice(0, max);
  if (items.length > max) shown.push(more(items.length - max));
  return shown.join('\n');
}

export function milestonesText(ms: readonly MilestoneView[], max = 20): string {
  const open = openMilestones(ms);
  if (!open.length) return 'Aucune échéance en cours ne vous est attribuée. Si vous pilotez une fiche, demandez à la coordination de vous relier dans l’annuaire des pilotes.';
  return `*Vos prochaines échéances*\n${listText(open.map(milestoneLine), max, (n) => `… et ${n} autre(s).`)}`;
}

export function fichesText(fiches: readonly Fiche[], max = 40): string {
  if (!fiches.length) return "Aucune fiche action n'est encore enregistrée.";
  return `*Fiches actions (${fiches.length})*\n${listText(fiches.map(ficheLine), max, (n) => `… et ${n} autre(s). Tapez \`${SLASH_COMMAND} fiche <numéro>\` pour en afficher une.`)}`;
}

export const HELP_TEXT = [
  '*Assistant PTSM — ce que je sais faire*',
  '• Mentionnez-moi dans un canal, ou écrivez-moi en message direct : je réponds dans le fil, avec mes sources. Dans un fil où j’ai déjà répondu, plus besoin de me mentionner.',
  `• \`${SLASH_COMMAND} question <votre question>\` : poser une question sans quitter la conversation`,
  `• \`${SLASH_COMMAND} jalons\` : vos prochaines échéances`,
  `• \`${SLASH_COMMAND} fiches\` : la liste des fiches actions`,
  `• \`${SLASH_COMMAND} fiche <numéro>\` : afficher une fiche, par exemple \`${SLASH_COMMAND} fiche 4\``,
  `• \`${SLASH_COMMAND} bilan <année> [docx|xlsx|csv]\` : le bilan annuel des fiches actions, envoyé en message direct`,
  '• Sur un message, menu « … » › *Rédiger une fiche action à partir de ce fil* : je prépare un brouillon à partir de la discussion.',
].join('\n');

export function helpMessage(intro?: string): SlackPayload {
  const text = intro ? `${intro}\n\n${HELP_TEXT}` : HELP_TEXT;
  return { text: intro ?? 'Aide de l’assistant PTSM', blocks: sections(text) };
}

export function homeView(milestones: readonly MilestoneView[], fiches: readonly Fiche[]): { type: 'home'; blocks: Block[] } {
  const blocks: Block[] = [
    header('Assistant PTSM'),
    context('Vos échéances et vos fiches actions, mises à jour à chaque ouverture de cet onglet.'),
    divider,
    ...sections(milestonesText(milestones, 15)),
    divider,
    ...sections(fiches.length ? `*Vos fiches*\n${listText(fiches.map(ficheLine), 15, (n) => `… et ${n} autre(s).`)}` : '*Vos fiches*\nAucune fiche ne vous est attribuée comme pilote.'),
    divider,
    ...sections(HELP_TEXT),
  ];
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
