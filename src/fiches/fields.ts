import type { Fiche } from '../core/fiche.js';
import { SECTION_LABELS, formatIndicator, formatMilestone, formatPilot, paragraphs } from './render/labels.js';

/**
 * One field of a fiche as the French sentence an answer needs:
 * "Pilote(s) : Mme Céline Vasseur (GEM L'Escale)". Labels and item formats
 * come from the renderers' shared labels, so an answer reads like the fiche.
 */

export type AnswerField =
  | 'pilots' | 'partners' | 'indicators' | 'milestones' | 'targetPublic'
  | 'objectives' | 'funding' | 'steps' | 'context' | 'axis';

export interface FieldAnswer {
  /** The field as one French text, label first. */
  text: string;
  /** Its items, one per pilot / partner / milestone…, for lists and citations. */
  items: string[];
}

/** Inline ("A ; B") up to this length, a bulleted list beyond. */
const INLINE_MAX = 180;

export function answerFieldQuestion(fiche: Fiche, field: AnswerField): FieldAnswer | null {
  switch (field) {
    case 'pilots': return list(SECTION_LABELS.pilots, fiche.pilots.map(formatPilot));
    case 'partners': return list(SECTION_LABELS.partners, fiche.partners);
    case 'indicators': return list(SECTION_LABELS.indicators, fiche.indicators.map(formatIndicator));
    case 'milestones': return list(SECTION_LABELS.milestones, fiche.milestones.map(formatMilestone));
    case 'targetPublic': return list(SECTION_LABELS.targetPublic, fiche.targetPublic);
    case 'steps': return list(SECTION_LABELS.steps, fiche.steps);
    case 'objectives': return objectives(fiche);
    case 'funding': return text(SECTION_LABELS.funding, fiche.funding);
    case 'context': return text(SECTION_LABELS.context, fiche.context);
    case 'axis': return text(SECTION_LABELS.axis, fiche.axis);
  }
}

function clean(items: readonly string[]): string[] {
  return items.map((i) => i.replace(/\s*\n\s*/g, ' ').trim()).filter(Boolean);
}

function list(label: string, raw: readonly string[]): FieldAnswer | null {
  const items = clean(raw);
  if (!items.length) return null;
  const inline = `${label} : ${items.join(' ; ')}`;
  if (inline.length <= INLINE_MAX && items.every((i) => i.length <= 100)) return { text: inline, items };
  return { text: `${label} :\n${items.map((i) => `- ${i}`).join('\n')}`, items };
}

function text(label: string, value: string | null): FieldAnswer | null {
  const lines = paragraphs(value);
  if (!lines.length) return null;
  return { text: lines.length === 1 ? `${label} : ${lines[0]}` : `${label} :\n${lines.join('\n')}`, items: lines };
}

/** Both kinds of objectives, each under its own label; a fiche with only one kind shows only that one. */
function objectives(fiche: Fiche): FieldAnswer | null {
  const general = clean(fiche.objectives.general);
  const operational = clean(fiche.objectives.operational);
  if (!general.length && !operational.length) return null;
  const parts: string[] = [];
  if (general.length) parts.push(list(SECTION_LABELS.generalObjectives, general)!.text);
  if (operational.length) parts.push(list(SECTION_LABELS.operationalObjectives, operational)!.text);
  return { text: parts.join('\n'), items: [...general, ...operational] };
}
