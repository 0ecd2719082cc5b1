import type { Fiche, FicheField, FicheMilestone, FicheStatus, Indicator, Pilot } from '../../core/fiche.js';

/**
 * The one place where a fiche's French labels, canonical order and small
 * formatters live. Every renderer (Markdown, Slack, Teams, DOCX) goes through
 * `ficheSections`, so a fiche reads the same wherever a coordinator sees it.
 */

/** Rows of a fiche action, in the order French fiches are written. */
export const SECTION_ORDER = [
  'axis', 'context', 'generalObjectives', 'operationalObjectives', 'steps', 'targetPublic',
  'pilots', 'partners', 'milestones', 'indicators', 'funding', 'status',
] as const;
export type SectionKey = (typeof SECTION_ORDER)[number];

export const SECTION_LABELS: Readonly<Record<SectionKey, string>> = {
  axis: 'Axe',
  context: 'Contexte / constat',
  generalObjectives: 'Objectif général',
  operationalObjectives: 'Objectifs opérationnels',
  steps: 'Étapes de mise en œuvre',
  targetPublic: 'Public cible',
  pilots: 'Pilote(s)',
  partners: 'Partenaires',
  milestones: 'Calendrier / échéances',
  indicators: "Indicateurs d'évaluation",
  funding: 'Moyens / financement',
  status: 'Statut',
};

/** Labels of the draft field names (`FicheDraft.missing` / `provenance` keys). */
export const FIELD_LABELS: Readonly<Record<FicheField, string>> = {
  title: 'Intitulé',
  axis: SECTION_LABELS.axis,
  context: SECTION_LABELS.context,
  objectives: 'Objectifs (général et opérationnels)',
  steps: SECTION_LABELS.steps,
  targetPublic: SECTION_LABELS.targetPublic,
  pilots: SECTION_LABELS.pilots,
  partners: SECTION_LABELS.partners,
  milestones: SECTION_LABELS.milestones,
  indicators: SECTION_LABELS.indicators,
  funding: SECTION_LABELS.funding,
};

/** Other user-facing texts shared by the renderers. */
export const TEXTS = {
  ficheAction: 'Fiche action',
  untitled: '(sans titre)',
  toComplete: 'À compléter',
  draftNotice: 'Brouillon généré à partir de la conversation : à relire et compléter avant validation.',
  notFilled: 'Non renseigné',
  truncated: '… (suite dans la version complète)',
  openFull: 'Voir la version complète',
  openFiche: 'Ouvrir la fiche',
  continued: 'suite',
  updatedOn: 'mise à jour le',
  source: 'Source',
  generatedBy: 'Document généré par ptsm-assistant',
} as const;

/** Appended where a renderer had to cut a fiche to respect a channel's limits. */
export const TRUNCATION_MARKER = TEXTS.truncated;

const STATUS_LABELS: Readonly<Record<FicheStatus, string>> = {
  brouillon: 'Brouillon',
  validée: 'Validée',
  'en cours': 'En cours',
  réalisée: 'Réalisée',
  abandonnée: 'Abandonnée',
};

const INDICATOR_TYPE_LABELS: Readonly<Record<Indicator['type'], string | null>> = {
  processus: 'processus',
  resultat: 'résultat',
  autre: null,
};

/** What a renderer needs to show a draft: the unsettled fields and where each field came from. */
export interface DraftView {
  missing: string[];
  provenance: Record<string, string[]>;
}

export function statusLabel(status: FicheStatus): string {
  return STATUS_LABELS[status];
}

/** "2025-06-30" or "2025-06-30T08:00:00Z" → "30/06/2025"; anything else is returned as written. */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso.trim());
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso.trim();
}

/** "Mme Céline Vasseur (GEM L'Escale)"; the organisation is not repeated when the name already holds it. */
export function formatPilot(pilot: Pilot): string {
  const name = pilot.name.trim();
  const org = pilot.organisation?.trim();
  if (!org || name.toLowerCase().includes(org.toLowerCase())) return name;
  return `${name} (${org})`;
}

/**
 * "Lancement — T2 2025 (au plus tard le 30/06/2025)". The deadline is kept as
 * written (pilots recognise their own words); the parsed date is only added
 * when it says more than the text, i.e. not for a day-precise date.
 */
export function formatMilestone(m: FicheMilestone): string {
  const label = m.label.trim();
  const dueText = m.dueText.trim();
  const parsed = m.due && m.precision !== 'day' && m.precision !== 'unresolved' ? `au plus tard le ${formatDate(m.due)}` : null;
  let when: string;
  if (dueText && parsed) when = `${dueText} (${parsed})`;
  else if (dueText) when = dueText;
  else if (m.due) when = `au plus tard le ${formatDate(m.due)}`;
  else when = '';
  if (label && when) return `${label} — ${when}`;
  return label || when;
}

/** "Nombre de … (processus) — cible : 80 %". */
export function formatIndicator(indicator: Indicator): string {
  const type = INDICATOR_TYPE_LABELS[indicator.type];
  const target = indicator.target?.trim();
  let out = indicator.label.trim();
  if (type) out += ` (${type})`;
  if (target) out += ` — cible : ${target}`;
  return out;
}

/** "sources : m3, m7" (singular when there is one id). */
export function formatSources(ids: readonly string[]): string {
  return `${ids.length > 1 ? 'sources' : 'source'} : ${ids.join(', ')}`;
}

/** "Intitulé — sources : m1, m2": where a draft's title came from. */
export function formatTitleSources(ids: readonly string[]): string {
  return `${FIELD_LABELS.title} — ${formatSources(ids)}`;
}

/** "Fiche action n° 3 — Titre", or without the number when the fiche has none. */
export function ficheHeading(fiche: Fiche): string {
  const title = fiche.title.trim() || TEXTS.untitled;
  const prefix = fiche.number === null ? TEXTS.ficheAction : `${TEXTS.ficheAction} n° ${fiche.number}`;
  return `${prefix} — ${title}`;
}

/** "En cours — mise à jour le 12/05/2025". */
export function formatStatusLine(fiche: Fiche): string {
  return `${statusLabel(fiche.status)} — ${TEXTS.updatedOn} ${formatDate(fiche.updatedAt)}`;
}

/** "PTSM du Cher 2021-2025, p. 42" when the fiche was read from a document. */
export function formatSourceDocument(fiche: Fiche): string | null {
  if (!fiche.source) return null;
  const title = fiche.source.title.trim() || fiche.source.path;
  return fiche.source.page === null ? title : `${title}, p. ${fiche.source.page}`;
}

/** One row of a fiche, ready for any renderer. */
export interface FicheSection {
  /** A canonical key, or `extra:<name>` for sections the parser kept as they were. */
  key: SectionKey | `extra:${string}`;
  label: string;
  kind: 'text' | 'list';
  /** For `text`: paragraphs. For `list`: one formatted item each. */
  lines: string[];
  empty: boolean;
  /** Message ids the draft took this field from (empty outside drafts). */
  sources: string[];
}

/** Provenance keys looked up for each row, most specific first. */
const PROVENANCE_KEYS: Readonly<Record<SectionKey, readonly string[]>> = {
  axis: ['axis'],
  context: ['context'],
  generalObjectives: ['objectives.general', 'generalObjectives', 'objectives'],
  operationalObjectives: ['objectives.operational', 'operationalObjectives', 'objectives'],
  steps: ['steps'],
  targetPublic: ['targetPublic'],
  pilots: ['pilots'],
  partners: ['partners'],
  milestones: ['milestones'],
  indicators: ['indicators'],
  funding: ['funding'],
  status: ['status'],
};

function lookupSources(provenance: Record<string, string[]> | undefined, keys: readonly string[]): string[] {
  if (!provenance) return [];
  for (const k of keys) {
    const ids = Object.hasOwn(provenance, k) ? provenance[k] : undefined;
    if (Array.isArray(ids) && ids.length > 0) return [...new Set(ids.map((id) => id.trim()).filter(Boolean))];
  }
  return [];
}

/** Message ids the draft took the title from. */
export function titleSources(draft: DraftView | undefined): string[] {
  return lookupSources(draft?.provenance, ['title']);
}

/** Paragraphs of a free text field: blank lines and trailing spaces dropped, line order kept. */
export function paragraphs(text: string | null): string[] {
  if (!text) return [];
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
}

function cleanItems(items: readonly string[]): string[] {
  return items.map((i) => i.replace(/\s*\r?\n\s*/g, ' ').trim()).filter((i) => i.length > 0);
}

/**
 * Every row of the fiche in canonical order, empty ones included (a renderer
 * decides whether to show them). Sections kept in `extra` ("Points de
 * vigilance"…) come after "Moyens / financement", before "Statut".
 */
export function ficheSections(fiche: Fiche, draft?: DraftView): FicheSection[] {
  const content: Record<SectionKey, { kind: 'text' | 'list'; lines: string[] }> = {
    axis: { kind: 'text', lines: paragraphs(fiche.axis) },
    context: { kind: 'text', lines: paragraphs(fiche.context) },
    generalObjectives: { kind: 'list', lines: cleanItems(fiche.objectives.general) },
    operationalObjectives: { kind: 'list', lines: cleanItems(fiche.objectives.operational) },
    steps: { kind: 'list', lines: cleanItems(fiche.steps) },
    targetPublic: { kind: 'list', lines: cleanItems(fiche.targetPublic) },
    pilots: { kind: 'list', lines: cleanItems(fiche.pilots.map(formatPilot)) },
    partners: { kind: 'list', lines: cleanItems(fiche.partners) },
    milestones: { kind: 'list', lines: cleanItems(fiche.milestones.map(formatMilestone)) },
    indicators: { kind: 'list', lines: cleanItems(fiche.indicators.map(formatIndicator)) },
    funding: { kind: 'text', lines: paragraphs(fiche.funding) },
    status: { kind: 'text', lines: [formatStatusLine(fiche)] },
  };
  const out: FicheSection[] = [];
  for (const key of SECTION_ORDER) {
    if (key === 'status') {
      for (const [name, text] of Object.entries(fiche.extra)) {
        const lines = paragraphs(text);
        out.push({
          key: `extra:${name}`, label: name.trim() || name, kind: 'text', lines, empty: lines.length === 0,
          sources: lookupSources(draft?.provenance, [`extra.${name}`, name]),
        });
      }
    }
    const c = content[key];
    out.push({
      key, label: SECTION_LABELS[key], kind: c.kind, lines: c.lines, empty: c.lines.length === 0,
      sources: lookupSources(draft?.provenance, PROVENANCE_KEYS[key]),
    });
  }
  return out;
}

const ALIASES: Readonly<Record<string, string>> = {
  'objectives.general': SECTION_LABELS.generalObjectives,
  generalObjectives: SECTION_LABELS.generalObjectives,
  'objectives.operational': SECTION_LABELS.operationalObjectives,
  operationalObjectives: SECTION_LABELS.operationalObjectives,
  status: SECTION_LABELS.status,
};

/**
 * French labels of a draft's missing fields. Known field names are translated;
 * anything else (a drafter may write "date du premier COPIL") is kept as written.
 */
export function missingLabels(missing: readonly string[]): string[] {
  const out = missing.map((m) => {
    const key = m.trim();
    if (Object.hasOwn(FIELD_LABELS, key)) return FIELD_LABELS[key as FicheField];
    return Object.hasOwn(ALIASES, key) ? ALIASES[key]! : key;
  }).filter((l) => l.length > 0);
  return [...new Set(out)];
}
