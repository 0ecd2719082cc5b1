import type { CoordinatorAlert, NudgeMessage } from '../../../milestones/notifier.js';
import type { Digest } from '../../../milestones/digest.js';
import { renderDigestText } from '../../../milestones/digest.js';
import { escapeMrkdwn, SLACK_LIMITS } from '../../../fiches/render/index.js';
import { ACTIONS, VIEWS } from '../ids.js';
import { actions, context, fallback, header, plain, sections, type Block, type Button, type SlackPayload } from './kit.js';

/** Reminders as Slack messages: the nudge with its three buttons, and what it becomes once answered. */
const ACTION_IDS = { fait: ACTIONS.nudgeFait, reporter: ACTIONS.nudgeReporter, aide: ACTIONS.nudgeAide } as const;

/**
 * The block holding a nudge's buttons; in a deployment of several territories
 * it names the nudge's territory, since the pilot answers from a direct
 * message, which belongs to no territory's channel.
 */
export function nudgeBlockId(milestoneId: string, territory?: string): string {
  return territory ? `nudge:${milestoneId}#${territory}` : `nudge:${milestoneId}`;
}

export function territoryOfNudgeBlock(blockId: string | undefined): string | undefined {
  return /^nudge:.*#([A-Za-z0-9_-]{1,32})$/.exec(blockId ?? '')?.[1];
}

export function nudgeMessage(n: NudgeMessage, territory?: string): SlackPayload {
  const fiche = n.ficheNumber !== null ? `FA ${n.ficheNumber}` : `Fiche ${n.ficheId}`;
  const buttons: Button[] = n.actions.map((a) => ({
    actionId: ACTION_IDS[a.action], text: a.label, value: a.value, ...(a.action === 'fait' ? { style: 'primary' as const } : {}),
  }));
  return {
    text: fallback(n.text),
    blocks: [
      ...sections(escapeMrkdwn(n.text)),
      context(`${escapeMrkdwn(fiche)} — ${escapeMrkdwn(n.ficheTitle)} · échéance : ${escapeMrkdwn(n.dueText || n.due)}`),
      actions(nudgeBlockId(n.milestoneId, territory), buttons),
    ],
  };
}

/** The nudge once answered: same text, buttons replaced by the confirmation (no second click). */
export function answeredNudge(originalText: string, confirmation: string, ok: boolean): SlackPayload {
  const mark = ok ? ':white_check_mark:' : ':warning:';
  return {
    text: fallback(`${confirmation}`),
    blocks: [...sections(escapeMrkdwn(originalText)), context(`${mark} ${escapeMrkdwn(confirmation)}`)],
  };
}

export interface ReporterMeta { milestoneId: string; channel: string | undefined; ts: string | undefined; territory?: string | undefined }

export function reporterModal(meta: ReporterMeta, milestoneLabel: string | null): Record<string, unknown> {
  const blocks: Block[] = [];
  if (milestoneLabel) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `Nouvelle échéance pour « ${escapeMrkdwn(milestoneLabel)} »` } });
  blocks.push(
    { type: 'input', block_id: 'date', optional: true, label: plain('Nouvelle date', 2000), element: { type: 'datepicker', action_id: 'value', placeholder: plain('Choisir une date') } },
    {
      type: 'input', block_id: 'texte', optional: true, label: plain('Ou en toutes lettres', 2000),
      element: { type: 'plain_text_input', action_id: 'value', max_length: 200, placeholder: plain('ex. fin septembre, T1 2027, dans 3 mois', 150) },
      hint: plain('Indiquez une date ou une période ; la date choisie au calendrier est prioritaire.', 2000),
    },
  );
  return {
    type: 'modal',
    callback_id: VIEWS.nudgeReporter,
    private_metadata: JSON.stringify(meta),
    title: plain("Reporter l'échéance", 24),
    submit: plain('Reporter', 24),
    close: plain('Annuler', 24),
    blocks,
  };
}

export function digestMessage(d: Digest): SlackPayload {
  const text = renderDigestText(d);
  const [title, ...rest] = text.split('\n\n');
  const body = sections(escapeMrkdwn(rest.join('\n\n')));
  const blocks = [header(title ?? 'Synthèse des échéances'), ...body].slice(0, SLACK_LIMITS.blocksPerMessage);
  return { text: fallback(title ?? text), blocks };
}

export function alertMessage(a: CoordinatorAlert): SlackPayload {
  return { text: fallback(a.text), blocks: sections(`:rotating_light: ${escapeMrkdwn(a.text)}`) };
}
