import type { AlertRecord } from './ledger.js';
import { frenchDate } from './local-time.js';
import { ficheLong } from './messages.js';
import type { AlertKind, CoordinatorAlert } from './notifier.js';
import type { MilestoneView } from './store.js';

/**
 * Coordinator alerts: what the outbox stores (kind + small payload) and the
 * French message built at send time from the milestone's current state.
 */
export type OutboxKind = AlertKind | 'digest';

export function unlinkedAlertKey(milestoneId: string, pilotKey: string): string {
  return `non-relié:${milestoneId}:${pilotKey}`;
}

export function failedAlertKey(nudgeKey: string, recipient: string): string {
  return `échec:${nudgeKey}:${recipient}`;
}

export function digestKey(weekOf: string): string {
  return `synthèse:${weekOf}`;
}

function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

function describeMilestone(m: MilestoneView | undefined, fallbackId: string | null): string {
  if (!m) return `« ${fallbackId ?? '?'} »`;
  const when = m.due ? `prévue le ${frenchDate(m.due)}` : `échéance « ${m.dueText} »`;
  return `« ${m.label} » (${ficheLong(m.ficheNumber, m.ficheId, m.ficheTitle)}, ${when})`;
}

const UNLINKED_WHY: Record<string, string> = {
  inconnu: "cette personne n'est pas dans l'annuaire",
  ambigu: 'plusieurs personnes de l’annuaire correspondent',
  'sans coordonnées': "l'annuaire ne donne ni e-mail ni identifiant Slack/Teams",
};

export function renderAlert(record: AlertRecord, milestone: MilestoneView | undefined): CoordinatorAlert {
  const p = record.payload;
  const what = describeMilestone(milestone, record.milestoneId);
  let text: string;
  switch (record.kind) {
    case 'pilote-non-relié': {
      const cands = Array.isArray(p.candidates) && p.candidates.length ? ` (${(p.candidates as string[]).join(' ou ')})` : '';
      text = `Relance impossible pour « ${str(p.pilot)} », pilote de l'échéance ${what} : ${UNLINKED_WHY[str(p.reason)] ?? str(p.reason)}${cands}. ` +
        'Complétez annuaire.json (nom, e-mail ou identifiant Slack/Teams) pour que les prochaines relances partent.';
      break;
    }
    case 'sans-pilote':
      text = `L'échéance ${what} n'a aucun pilote : personne ne sera relancé. Indiquez un pilote dans la fiche.`;
      break;
    case 'besoin-aide': {
      const comment = str(p.comment) ? ` Message : « ${str(p.comment)} »` : '';
      text = `${str(p.by, 'Un pilote')} demande de l'aide pour l'échéance ${what}.${comment}`;
      break;
    }
    case 'relance-échouée':
      text = `La relance ${str(p.kind)} de l'échéance ${what} n'a pas pu être envoyée à ${str(p.recipientName, str(p.recipient))} ` +
        `après ${String(p.attempts ?? '?')} essais : ${str(p.error, 'erreur inconnue')}.`;
      break;
    default:
      text = `Alerte ${record.kind} sur l'échéance ${what}.`;
  }
  return {
    key: record.key, kind: record.kind as AlertKind, milestoneId: record.milestoneId,
    ficheId: milestone?.ficheId ?? null, text, details: p,
  };
}
