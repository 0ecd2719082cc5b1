import { CardFactory } from '@microsoft/agents-hosting';
import type { Attachment } from '@microsoft/agents-activity';
import type { Citation, Answer } from '../../core/types.js';
import type { Digest } from '../../milestones/digest.js';
import { renderDigestText } from '../../milestones/digest.js';
import type { MilestoneView } from '../../milestones/index.js';
import type { CoordinatorAlert, NudgeMessage } from '../../milestones/notifier.js';
import { clip } from './text.js';

/**
 * The Adaptive Cards (1.5) the Teams app posts: answers with their sources and
 * 👍/👎, nudges with one-click answers, confirmations, digests and alerts.
 * Every button is an Action.Submit whose data starts with `ptsm` (the router).
 */
export type Element = Record<string, unknown> & { type: string };
export type CardData =
  | { ptsm: 'feedback'; rating: 'up' | 'down'; answerId: number }
  | { ptsm: 'nudge'; action: 'fait' | 'reporter' | 'aide'; milestoneId: string; territory?: string }
  | { ptsm: 'fiche-post'; draftId: string }
  | { ptsm: 'fiche-validate'; draftId: string }
  | { ptsm: 'fiche-export'; draftId: string };

export const MAX_CITATIONS = 5;
const MAX_QUOTE = 300;
const MAX_ANSWER = 6000;

export const text = (t: string, extra: Record<string, unknown> = {}): Element => ({ type: 'TextBlock', text: t, wrap: true, ...extra });

export function adaptiveCard(body: Element[], actions: Element[] = []): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length ? { actions } : {}),
  };
}

export function submit(title: string, data: CardData, extra: Record<string, unknown> = {}): Element {
  return { type: 'Action.Submit', title, data, ...extra };
}

export function attach(card: Record<string, unknown>): Attachment {
  return CardFactory.adaptiveCard(card);
}

/** "Titre, p. 3, § Calendrier": where the quote comes from. */
export function citationLine(c: Citation): string {
  const parts = [c.title || c.source];
  if (c.page !== null) parts.push(`p. ${c.page}`);
  if (c.section && c.section !== c.title) parts.push(c.section);
  return parts.join(', ');
}

export const FEEDBACK_LABELS = { up: '👍 Utile', down: '👎 Pas utile' } as const;
export const PRIVACY_WARNING =
  "Attention : votre message semble contenir des informations sur une personne suivie. Évitez de partager des données de santé ici.";

export interface AnswerCardOptions {
  answerId: number;
  /** Shown above the answer (personal data warning). */
  warning?: string;
  /** After a 👍/👎: the buttons give way to this note. */
  feedbackNote?: string;
  /** The answer's text is already on the message (a streamed answer): the card shows sources and buttons. */
  sourcesOnly?: boolean;
}

export function renderAnswerCard(answer: Answer, opts: AnswerCardOptions): Record<string, unknown> {
  const body: Element[] = [];
  if (opts.warning) body.push({ type: 'Container', style: 'attention', items: [text(opts.warning, { size: 'Small' })] });
  if (!opts.sourcesOnly) body.push(text(clip(answer.answer, MAX_ANSWER)));
  const cites = answer.citations.slice(0, MAX_CITATIONS);
  if (cites.length) {
    body.push(text(cites.length > 1 ? 'Sources' : 'Source', { weight: 'Bolder', size: 'Small', ...(body.length ? { separator: true, spacing: 'Medium' } : {}) }));
    for (const [i, c] of cites.entries()) {
      // Numbered like the answer's [1], [2] markers.
      const items: Element[] = [text(`**[${i + 1}] ${citationLine(c)}**`, { size: 'Small' })];
      if (c.quote.trim()) items.push(text(`« ${clip(c.quote.trim().replace(/\s+/g, ' '), MAX_QUOTE)} »`, { size: 'Small', isSubtle: true, spacing: 'None' }));
      body.push({ type: 'Container', spacing: 'Small', items });
    }
    if (answer.citations.length > cites.length) {
      body.push(text(`… et ${answer.citations.length - cites.length} autre(s) source(s).`, { size: 'Small', isSubtle: true }));
    }
  }
  if (opts.feedbackNote) {
    body.push(text(opts.feedbackNote, { size: 'Small', isSubtle: true, separator: true }));
    return adaptiveCard(body);
  }
  return adaptiveCard(body, [
    submit(FEEDBACK_LABELS.up, { ptsm: 'feedback', rating: 'up', answerId: opts.answerId }),
    submit(FEEDBACK_LABELS.down, { ptsm: 'feedback', rating: 'down', answerId: opts.answerId }),
  ]);
}

function frenchDate(iso: string | null): string {
  if (!iso) return 'date à préciser';
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

function ficheLabel(n: { ficheNumber: number | null; ficheId: string; ficheTitle: string }): string {
  const short = n.ficheNumber !== null ? `FA ${n.ficheNumber}` : `Fiche ${n.ficheId}`;
  return n.ficheTitle ? `${short} — ${n.ficheTitle}` : short;
}

/** The nudge: the core's text, the facts, and Fait / Reporter (date or words) / Besoin d'aide. */
/** `territory`: in a deployment of several, the nudge's (the pilot answers from a 1:1 chat, which belongs to no territory's channel). */
export function renderNudgeCard(nudge: NudgeMessage, territory?: string): Record<string, unknown> {
  const body: Element[] = [
    text(nudge.text),
    {
      type: 'FactSet',
      facts: [
        { title: 'Fiche', value: ficheLabel(nudge) },
        { title: 'Échéance', value: nudge.milestone },
        { title: 'Date', value: nudge.dueText && nudge.dueText !== nudge.due ? `${nudge.dueText} (${frenchDate(nudge.due)})` : frenchDate(nudge.due) },
      ],
    },
  ];
  const actions: Element[] = nudge.actions.map((a) => {
    const data: CardData = { ptsm: 'nudge', action: a.action, milestoneId: a.value, ...(territory ? { territory } : {}) };
    if (a.action !== 'reporter') return submit(a.label, data, a.action === 'fait' ? { style: 'positive' } : {});
    // Postponing needs a date: a picker, or words as people write them ("fin septembre").
    return {
      type: 'Action.ShowCard',
      title: a.label,
      card: adaptiveCard([
        { type: 'Input.Date', id: 'newDue', label: 'Nouvelle date' },
        { type: 'Input.Text', id: 'newDueText', label: 'ou en toutes lettres', placeholder: 'fin septembre, T1 2027, avant l\'été…', maxLength: 100 },
      ], [submit('Confirmer le report', data)]),
    };
  });
  return adaptiveCard(body, actions);
}

/** What replaces a card once its buttons have been used. */
export function renderConfirmationCard(title: string, message: string, ok = true): Record<string, unknown> {
  return adaptiveCard([
    text(title, { weight: 'Bolder' }),
    text(`${ok ? '✅' : '⚠️'} ${message}`, ok ? {} : { color: 'Attention' }),
  ]);
}

export function renderDigestCard(digest: Digest): Record<string, unknown> {
  const [head, ...sections] = renderDigestText(digest).split('\n\n');
  const body: Element[] = [text(head ?? 'Synthèse des échéances', { size: 'Medium', weight: 'Bolder' })];
  for (const s of sections) {
    const [title, ...lines] = s.split('\n');
    const items: Element[] = [text(title ?? '', { weight: 'Bolder' })];
    // Teams reads "\r"-separated "- " lines as a list.
    if (lines.length) items.push(text(lines.join('\r'), { spacing: 'Small' }));
    body.push({ type: 'Container', separator: true, items });
  }
  return adaptiveCard(body);
}

export function renderAlertCard(alert: CoordinatorAlert): Record<string, unknown> {
  return adaptiveCard([
    text('Alerte coordination', { weight: 'Bolder', color: 'Attention' }),
    text(alert.text),
  ]);
}

export function renderMilestonesCard(name: string, milestones: MilestoneView[]): Record<string, unknown> {
  if (!milestones.length) {
    return adaptiveCard([text(`${name}, je ne trouve aucune échéance dont vous êtes pilote. Si c'est une erreur, demandez à la coordination de vous relier dans l'annuaire des pilotes.`)]);
  }
  const open = milestones.filter((m) => m.status !== 'fait' && m.status !== 'abandonné');
  const lines = (open.length ? open : milestones).slice(0, 20).map((m) => `- ${ficheLabel(m)} : ${m.label} — ${m.dueText || frenchDate(m.due)} (${m.status})`);
  return adaptiveCard([
    text('Vos échéances', { weight: 'Bolder' }),
    text(lines.join('\r')),
  ]);
}

export const ANSWER_FAILURE =
  "Désolé, je n'ai pas pu répondre à cette question pour le moment. Réessayez dans quelques instants ; si le problème continue, prévenez la coordination.";

export const HELP_TEXT = [
  "Bonjour ! Je suis l'assistant du Projet territorial de santé mentale.",
  "- Posez-moi une question sur les documents du projet : « Qui pilote la fiche 4 ? », « Que veut dire CLSM ? ». Dans une équipe ou une conversation de groupe, mentionnez-moi : @PTSM votre question.",
  "- Pour rédiger une fiche action à partir d'une discussion : menu « … » d'un message > Autres actions > Rédiger une fiche action.",
  "- « mes échéances » : les échéances dont vous êtes pilote.",
  "- « bilan 2026 » (ou « bilan 2026 xlsx », « csv ») : le bilan annuel des fiches actions, proposé en fichier dans notre conversation privée.",
  "- « identifiant » : l'identifiant de cette conversation (pour y recevoir la synthèse hebdomadaire).",
].join('\n\n');
