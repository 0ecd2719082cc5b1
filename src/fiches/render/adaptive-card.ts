import type { Fiche } from '../../core/fiche.js';
import { PtsmError } from '../../core/errors.js';
import {
  type DraftView, SECTION_LABELS, TEXTS, TRUNCATION_MARKER, ficheHeading, ficheSections,
  formatSourceDocument, formatSources, formatStatusLine, formatTitleSources, missingLabels, titleSources,
} from './labels.js';

/**
 * Teams refuses messages above about 28 KB; the card keeps a margin for the
 * activity envelope the bot framework wraps around it.
 */
export const ADAPTIVE_CARD_MAX_BYTES = 25_000;

export interface CardAction {
  title: string;
  data: Record<string, unknown>;
  style?: 'positive' | 'destructive';
}

export interface AdaptiveCardOptions {
  draft?: DraftView;
  actions?: CardAction[];
  /** Web page of the full fiche, offered as an Action.OpenUrl. */
  link?: string;
}

type Element = Record<string, unknown> & { type: string };

/** How much of each field the card shows; tightened step by step until the card fits. */
interface Budget { maxItems: number; maxChars: number }
const BUDGETS: readonly Budget[] = [
  { maxItems: Infinity, maxChars: Infinity },
  { maxItems: 40, maxChars: 4000 },
  { maxItems: 20, maxChars: 2000 },
  { maxItems: 10, maxChars: 1000 },
  { maxItems: 5, maxChars: 500 },
  { maxItems: 3, maxChars: 250 },
  { maxItems: 1, maxChars: 120 },
  { maxItems: 0, maxChars: 0 },
];

const text = (t: string, extra: Record<string, unknown> = {}): Element => ({ type: 'TextBlock', text: t, wrap: true, ...extra });

/** Teams' TextBlock markdown reads "\r"-separated "- " lines as a bulleted list. */
function bulletList(items: readonly string[], budget: Budget): string {
  const shown = items.slice(0, budget.maxItems).map((i) => `- ${clipWords(i, budget.maxChars)}`);
  if (shown.length < items.length) shown.push(TRUNCATION_MARKER);
  return shown.join('\r');
}

/** Cuts at a space when one is near, and says so with the marker. */
function clipWords(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 0) return TRUNCATION_MARKER;
  const space = s.lastIndexOf(' ', max);
  const end = space > max / 2 ? space : max;
  return `${s.slice(0, end).trimEnd()} ${TRUNCATION_MARKER}`;
}

function buildBody(fiche: Fiche, draft: DraftView | undefined, budget: Budget): Element[] {
  const body: Element[] = [
    text(clipWords(ficheHeading(fiche), Math.max(budget.maxChars, 200)), { size: 'Large', weight: 'Bolder', style: 'heading' }),
  ];
  const facts = [{ title: SECTION_LABELS.status, value: formatStatusLine(fiche) }];
  const doc = formatSourceDocument(fiche);
  if (doc) facts.push({ title: TEXTS.source, value: doc });
  body.push({ type: 'FactSet', facts });

  if (draft) {
    const items: Element[] = [text(TEXTS.draftNotice, { weight: 'Bolder' })];
    const tSources = titleSources(draft);
    if (tSources.length > 0) items.push(text(formatTitleSources(tSources), { isSubtle: true, size: 'Small' }));
    const missing = missingLabels(draft.missing);
    if (missing.length > 0) {
      items.push(text(TEXTS.toComplete, { weight: 'Bolder' }), text(bulletList(missing, budget)));
    }
    body.push({ type: 'Container', style: 'warning', items });
  }

  for (const s of ficheSections(fiche, draft)) {
    // The status is already in the facts under the title.
    if (s.empty || s.key === 'status') continue;
    const content = s.kind === 'list' ? bulletList(s.lines, budget) : clipWords(s.lines.join('\n\n'), budget.maxChars);
    const items: Element[] = [text(s.label, { weight: 'Bolder' }), text(content, { spacing: 'Small' })];
    if (draft && s.sources.length > 0) items.push(text(formatSources(s.sources), { isSubtle: true, size: 'Small', spacing: 'None' }));
    body.push({ type: 'Container', separator: true, spacing: 'Medium', items });
  }
  return body;
}

function buildActions(opts: AdaptiveCardOptions, cut: boolean): Element[] {
  const actions: Element[] = (opts.actions ?? []).map((a) => ({
    type: 'Action.Submit',
    title: a.title,
    data: a.data,
    ...(a.style ? { style: a.style } : {}),
  }));
  const link = opts.link?.trim();
  if (link) actions.push({ type: 'Action.OpenUrl', title: cut ? TEXTS.openFull : TEXTS.openFiche, url: link });
  return actions;
}

function card(body: Element[], actions: Element[]): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    msteams: { width: 'Full' },
    body,
    actions,
  };
}

const byteSize = (o: unknown): number => Buffer.byteLength(JSON.stringify(o), 'utf8');

/**
 * The fiche as an Adaptive Card 1.5 for Teams (TextBlock, FactSet, Container,
 * Action.Submit, Action.OpenUrl only). Long lists and texts are cut, with
 * "… (suite dans la version complète)", until the card fits
 * ADAPTIVE_CARD_MAX_BYTES; the link is always offered when given.
 */
export function renderFicheCard(fiche: Fiche, opts: AdaptiveCardOptions = {}): Record<string, unknown> {
  for (const [level, budget] of BUDGETS.entries()) {
    const c = card(buildBody(fiche, opts.draft, budget), buildActions(opts, level > 0));
    if (byteSize(c) <= ADAPTIVE_CARD_MAX_BYTES) return c;
  }
  // Even empty sections do not fit: the title or the actions' data are themselves huge.
  const minimal = card([
    text(clipWords(ficheHeading(fiche), 200), { size: 'Large', weight: 'Bolder', style: 'heading' }),
    text(TRUNCATION_MARKER),
  ], buildActions(opts, true));
  if (byteSize(minimal) <= ADAPTIVE_CARD_MAX_BYTES) return minimal;
  throw new PtsmError(
    'USAGE',
    `Les données des boutons de la carte Teams dépassent ${ADAPTIVE_CARD_MAX_BYTES} octets : réduisez-les.`,
    { input: fiche.id },
  );
}
