import { Fiche, FICHE_FIELDS, type FicheDraft, type FicheField, type FicheMilestone, type Indicator, type Pilot } from '../../../core/fiche.js';
import { milestonesFromLine } from '../../../fiches/parse/calendar.js';
import { indicatorFromLine } from '../../../fiches/parse/indicators.js';
import { parsePilots } from '../../../fiches/parse/people.js';
import { formatIndicator, formatPilot, SECTION_LABELS } from '../../../fiches/render/index.js';
import { VIEWS } from '../ids.js';
import { context, plain, type Block } from './kit.js';

/**
 * The "Modifier" modal of a draft fiche: one plain-text input per field, a
 * list field one item per line. Lines the user left untouched keep their
 * original structured value (a pilot's e-mail, a milestone's parsed date);
 * new or edited lines are read with the same parsers as fiche documents.
 */
type FormKey = 'title' | 'axis' | 'context' | 'generalObjectives' | 'operationalObjectives' | 'steps' | 'targetPublic'
  | 'pilots' | 'partners' | 'milestones' | 'indicators' | 'funding';

interface FormField { key: FormKey; label: string; field: FicheField; multiline: boolean; list: boolean; hint?: string; placeholder?: string }

export const FORM_FIELDS: readonly FormField[] = [
  { key: 'title', label: 'Intitulé', field: 'title', multiline: false, list: false },
  { key: 'axis', label: SECTION_LABELS.axis, field: 'axis', multiline: false, list: false },
  { key: 'context', label: SECTION_LABELS.context, field: 'context', multiline: true, list: false },
  { key: 'generalObjectives', label: SECTION_LABELS.generalObjectives, field: 'objectives', multiline: true, list: true, hint: 'Un objectif par ligne.' },
  { key: 'operationalObjectives', label: SECTION_LABELS.operationalObjectives, field: 'objectives', multiline: true, list: true, hint: 'Un objectif par ligne.' },
  { key: 'steps', label: SECTION_LABELS.steps, field: 'steps', multiline: true, list: true, hint: 'Une étape par ligne.' },
  { key: 'targetPublic', label: SECTION_LABELS.targetPublic, field: 'targetPublic', multiline: true, list: true, hint: 'Un public par ligne.' },
  { key: 'pilots', label: SECTION_LABELS.pilots, field: 'pilots', multiline: true, list: true, hint: 'Une personne par ligne, par exemple : Mme Inès Caradec (GEM La Boussole).' },
  { key: 'partners', label: SECTION_LABELS.partners, field: 'partners', multiline: true, list: true, hint: 'Un partenaire par ligne.' },
  { key: 'milestones', label: SECTION_LABELS.milestones, field: 'milestones', multiline: true, list: true, hint: 'Une échéance par ligne : « Recrutement — T2 2026 », « Premier bilan : fin septembre 2027 ».' },
  { key: 'indicators', label: SECTION_LABELS.indicators, field: 'indicators', multiline: true, list: true, hint: 'Un indicateur par ligne : « Nombre de personnes accompagnées — cible : 50 par an ».' },
  { key: 'funding', label: SECTION_LABELS.funding, field: 'funding', multiline: true, list: false },
];

/** Slack refuses longer values in a plain-text input. */
export const INPUT_MAX = 3000;

const blockId = (k: FormKey): string => `f_${k}`;
const ACTION = 'value';

export const milestoneLine = (m: FicheMilestone): string => [m.label.trim(), m.dueText.trim()].filter(Boolean).join(' — ');

/** One string per field, as the user will see it in the modal. */
export function formValues(f: Fiche): Record<FormKey, string> {
  return {
    title: f.title,
    axis: f.axis ?? '',
    context: f.context ?? '',
    generalObjectives: f.objectives.general.join('\n'),
    operationalObjectives: f.objectives.operational.join('\n'),
    steps: f.steps.join('\n'),
    targetPublic: f.targetPublic.join('\n'),
    pilots: f.pilots.map(formatPilot).join('\n'),
    partners: f.partners.join('\n'),
    milestones: f.milestones.map(milestoneLine).join('\n'),
    indicators: f.indicators.map(formatIndicator).join('\n'),
    funding: f.funding ?? '',
  };
}

export function ficheEditModal(fiche: Fiche, draftId: string): Record<string, unknown> {
  const values = formValues(fiche);
  const blocks: Block[] = [context('Corrigez ou complétez le brouillon, puis enregistrez. Les listes : un élément par ligne.')];
  const tooLong: string[] = [];
  for (const f of FORM_FIELDS) {
    const initial = values[f.key];
    // A field Slack cannot hold is left out (and kept as is) rather than cut.
    if (initial.length > INPUT_MAX) { tooLong.push(f.label); continue; }
    blocks.push({
      type: 'input',
      block_id: blockId(f.key),
      optional: f.key !== 'title',
      label: plain(f.label, 2000),
      element: {
        type: 'plain_text_input', action_id: ACTION, multiline: f.multiline, max_length: INPUT_MAX,
        ...(initial ? { initial_value: initial } : {}),
      },
      ...(f.hint ? { hint: plain(f.hint, 2000) } : {}),
    });
  }
  if (tooLong.length) blocks.push(context(`Trop long pour être modifié ici, conservé tel quel : ${tooLong.join(', ')}.`));
  return {
    type: 'modal',
    callback_id: VIEWS.ficheEdit,
    private_metadata: JSON.stringify({ draftId }),
    title: plain('Modifier la fiche', 24),
    submit: plain('Enregistrer', 24),
    close: plain('Annuler', 24),
    blocks,
  };
}

type StateValues = Record<string, Record<string, { value?: string | null }>>;

const lines = (text: string): string[] => text.split(/\r?\n/).map((l) => l.replace(/^\s*(?:[-•*]|\d+[.)])\s+/, '').trim()).filter(Boolean);
const orNull = (text: string): string | null => (text.trim() ? text.trim() : null);

/** Keeps the original item for a line the user did not change; parses the others. */
function reuse<T>(items: readonly T[], show: (t: T) => string, input: string[], parse: (line: string) => T[]): T[] {
  const byLine = new Map(items.map((i) => [show(i), i]));
  return input.flatMap((l) => {
    const kept = byLine.get(l);
    return kept !== undefined ? [kept] : parse(l);
  });
}

export type FormResult = { ok: true; draft: FicheDraft; changed: FicheField[] } | { ok: false; errors: Record<string, string> };

/** The submitted modal → the updated draft (or French errors per input). `today` reads relative dates. */
export function applyFicheForm(draft: FicheDraft, state: StateValues, today: string, now: string): FormResult {
  const before = formValues(draft.fiche);
  const read = (k: FormKey): string | undefined => {
    const block = state[blockId(k)];
    if (!block) return undefined; // field not in the modal (too long): unchanged
    return block[ACTION]?.value ?? '';
  };
  const title = read('title');
  if (title !== undefined && !title.trim()) return { ok: false, errors: { [blockId('title')]: "L'intitulé de la fiche est obligatoire." } };

  const f = draft.fiche;
  const changed = new Set<FicheField>();
  const next: Fiche = structuredClone(f);
  for (const field of FORM_FIELDS) {
    const value = read(field.key);
    if (value === undefined || value === before[field.key]) continue;
    changed.add(field.field);
    switch (field.key) {
      case 'title': next.title = value.trim(); break;
      case 'axis': next.axis = orNull(value); break;
      case 'context': next.context = orNull(value); break;
      case 'funding': next.funding = orNull(value); break;
      case 'generalObjectives': next.objectives.general = lines(value); break;
      case 'operationalObjectives': next.objectives.operational = lines(value); break;
      case 'steps': next.steps = lines(value); break;
      case 'targetPublic': next.targetPublic = lines(value); break;
      case 'partners': next.partners = lines(value); break;
      case 'pilots': next.pilots = reuse<Pilot>(f.pilots, formatPilot, lines(value), (l) => parsePilots([l])); break;
      case 'milestones':
        next.milestones = reuse<FicheMilestone>(f.milestones, milestoneLine, lines(value), (l) => milestonesFromLine(l, today, null));
        break;
      case 'indicators':
        next.indicators = reuse<Indicator>(f.indicators, formatIndicator, lines(value), (l) => {
          const i = indicatorFromLine(l, null);
          return i ? [i] : [];
        });
        break;
    }
  }
  if (changed.size === 0) return { ok: true, draft, changed: [] };
  next.updatedAt = now;
  const fiche = Fiche.parse(next);
  const filled = (field: string): boolean => {
    if (!(FICHE_FIELDS as readonly string[]).includes(field)) return false;
    const v = field === 'objectives' ? [...fiche.objectives.general, ...fiche.objectives.operational] : (fiche as Record<string, unknown>)[field];
    return Array.isArray(v) ? v.length > 0 : typeof v === 'string' && v.trim().length > 0;
  };
  // What the user typed is no longer "from the thread", and no longer missing.
  const provenance = Object.fromEntries(Object.entries(draft.provenance).filter(([k]) => ![...changed].some((c) => k === c || k.startsWith(`${c}.`))));
  return { ok: true, draft: { fiche, missing: draft.missing.filter((m) => !filled(m)), provenance }, changed: [...changed] };
}
