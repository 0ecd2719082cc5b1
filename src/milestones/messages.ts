import { frenchDate } from './local-time.js';

/**
 * The French wording of nudges and coordinator alerts. Channels render their
 * own rich layouts but reuse these sentences so every channel says the same.
 */
export function ficheShort(ficheNumber: number | null, ficheId: string): string {
  return ficheNumber !== null ? `FA ${ficheNumber}` : `Fiche ${ficheId}`;
}

export function ficheLong(ficheNumber: number | null, ficheId: string, ficheTitle: string): string {
  return ficheTitle ? `${ficheShort(ficheNumber, ficheId)} — ${ficheTitle}` : ficheShort(ficheNumber, ficheId);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n > 1 ? many : one}`;
}

export interface NudgeTextInput {
  recipientName: string;
  milestone: string;
  ficheNumber: number | null;
  ficheId: string;
  ficheTitle: string;
  dueText: string;
  due: string;
  /** Days from today to the due date; negative when overdue. */
  daysLeft: number;
}

/** Short and polite: a pilot reads it on a phone between two meetings. */
export function renderNudgeText(n: NudgeTextInput): string {
  const fiche = ficheLong(n.ficheNumber, n.ficheId, n.ficheTitle);
  const when = n.dueText && n.dueText !== n.due ? `${n.dueText}, soit le ${frenchDate(n.due)}` : `le ${frenchDate(n.due)}`;
  const head = `Bonjour ${n.recipientName},`;
  if (n.daysLeft < 0) {
    return `${head} l'échéance « ${n.milestone} » (${fiche}) était prévue ${n.dueText && n.dueText !== n.due ? `pour ${when}` : when}, ` +
      `il y a ${plural(-n.daysLeft, 'jour', 'jours')}. Est-ce fait ? Sinon, vous pouvez la reporter ou demander de l'aide.`;
  }
  const delay = n.daysLeft === 0 ? "tombe aujourd'hui" : n.daysLeft === 1 ? 'arrive demain' : `arrive dans ${plural(n.daysLeft, 'jour', 'jours')}`;
  return `${head} petit rappel : l'échéance « ${n.milestone} » (${fiche}) ${delay} (${when}). Où en êtes-vous ?`;
}

/** "J-7" stays as is (French usage); overdue reads "en retard". */
export function nudgeKindLabel(kind: string): string {
  return kind === 'overdue' ? 'en retard' : kind;
}

export const ACTION_LABELS = { fait: 'Fait', reporter: 'Reporter', aide: "Besoin d'aide" } as const;
