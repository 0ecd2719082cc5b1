import { describe, expect, it } from 'vitest';
import { PtsmError } from '../../../src/core/errors.js';
import { ADAPTIVE_CARD_MAX_BYTES, type CardAction, renderFicheCard } from '../../../src/fiches/render/adaptive-card.js';
import { TRUNCATION_MARKER } from '../../../src/fiches/render/labels.js';
import { draftFiche, draftView, emptyFiche, expectedContent, fullFiche, hugeFiche } from './fixtures.js';

/** What Teams renders from Adaptive Cards 1.5 and what this renderer may use. */
const ALLOWED = new Set(['AdaptiveCard', 'TextBlock', 'FactSet', 'Container', 'ColumnSet', 'Column', 'Action.Submit', 'Action.OpenUrl']);

type Node = Record<string, unknown>;

/** Every typed element of the card; the data of a Submit belongs to the bot, not to the schema. */
function elements(node: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(node)) {
    for (const n of node) elements(n, out);
  } else if (node && typeof node === 'object') {
    const obj = node as Node;
    if ('type' in obj) out.push(obj);
    for (const [k, v] of Object.entries(obj)) if (k !== 'data') elements(v, out);
  }
  return out;
}

/** All the text a reader sees: TextBlocks and facts. */
function visibleText(card: unknown): string {
  const parts: string[] = [];
  for (const e of elements(card)) {
    if (e.type === 'TextBlock') parts.push(String(e.text));
    if (e.type === 'FactSet') for (const f of e.facts as Array<{ title: string; value: string }>) parts.push(`${f.title} ${f.value}`);
  }
  return parts.join('\n');
}

const actions: CardAction[] = [
  { title: 'Valider', style: 'positive', data: { action: 'fiche.validate', ficheId: 'fa-2-4', nested: { type: 'not-an-element', n: [1, 2] } } },
  { title: 'Abandonner', style: 'destructive', data: { action: 'fiche.abandon', ficheId: 'fa-2-4' } },
];

describe('renderFicheCard', () => {
  it('builds an Adaptive Card 1.5 with only allowed elements and wrapping text', () => {
    for (const [fiche, draft] of [[fullFiche, undefined], [emptyFiche, undefined], [draftFiche, draftView], [hugeFiche, undefined]] as const) {
      const card = renderFicheCard(fiche, { actions, link: 'https://ptsm.example.org/f', ...(draft ? { draft } : {}) });
      expect(card.type).toBe('AdaptiveCard');
      expect(card.version).toBe('1.5');
      expect(card.$schema).toBe('http://adaptivecards.io/schemas/adaptive-card.json');
      const all = elements(card);
      expect(all.length).toBeGreaterThan(3);
      for (const e of all) expect(ALLOWED, `type ${String(e.type)}`).toContain(e.type);
      for (const t of all.filter((e) => e.type === 'TextBlock')) expect(t.wrap).toBe(true);
    }
  });

  it('shows all the content of a normal fiche', () => {
    const card = renderFicheCard(fullFiche);
    const text = visibleText(card);
    for (const snippet of expectedContent(fullFiche)) expect(text).toContain(snippet);
    expect(text).toContain('Pilote(s)');
    expect(text).toContain("Statut En cours — mise à jour le 12/05/2025");
    expect(text).not.toContain(TRUNCATION_MARKER);
    expect(card.actions).toEqual([]);
  });

  it('keeps the Action.Submit data untouched and adds the link as Action.OpenUrl', () => {
    const card = renderFicheCard(fullFiche, { actions, link: 'https://ptsm.example.org/fiches/fa-2-4' });
    const acts = card.actions as Node[];
    expect(acts.slice(0, 2)).toEqual([
      { type: 'Action.Submit', title: 'Valider', style: 'positive', data: actions[0]!.data },
      { type: 'Action.Submit', title: 'Abandonner', style: 'destructive', data: actions[1]!.data },
    ]);
    expect(acts[2]).toEqual({ type: 'Action.OpenUrl', title: 'Ouvrir la fiche', url: 'https://ptsm.example.org/fiches/fa-2-4' });
  });

  it('keeps a huge fiche under the size limit, cut with the marker', () => {
    const full = JSON.stringify(renderFicheCard(hugeFiche, {}));
    const card = renderFicheCard(hugeFiche, { actions, link: 'https://ptsm.example.org/fiches/fa-huge' });
    const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
    expect(bytes).toBeLessThanOrEqual(ADAPTIVE_CARD_MAX_BYTES);
    expect(Buffer.byteLength(full, 'utf8')).toBeLessThanOrEqual(ADAPTIVE_CARD_MAX_BYTES);
    const text = visibleText(card);
    expect(text).toContain(TRUNCATION_MARKER);
    // Cut, not dropped: the first steps and indicators are still there.
    expect(text).toContain(hugeFiche.steps[0]!);
    expect(text).toContain("Indicateurs d'évaluation");
    expect((card.actions as Node[]).map((a) => a.type)).toEqual(['Action.Submit', 'Action.Submit', 'Action.OpenUrl']);
    expect((card.actions as Node[])[2]).toEqual({ type: 'Action.OpenUrl', title: 'Voir la version complète', url: 'https://ptsm.example.org/fiches/fa-huge' });
    expect((card.actions as Node[])[0]!.data).toEqual(actions[0]!.data);
  });

  it('shows what a draft misses and where each field came from', () => {
    const text = visibleText(renderFicheCard(draftFiche, { draft: draftView }));
    expect(text).toContain('À compléter');
    expect(text).toContain('- Pilote(s)\r- Indicateurs d\'évaluation\r- Moyens / financement\r- date du premier COPIL');
    expect(text).toContain('sources : m3, m7');
    expect(text).toContain('Intitulé — source : m1');
  });

  it('refuses actions whose data alone exceed the limit', () => {
    const heavy: CardAction[] = [{ title: 'Envoyer', data: { blob: 'x'.repeat(ADAPTIVE_CARD_MAX_BYTES) } }];
    expect(() => renderFicheCard(fullFiche, { actions: heavy })).toThrow(PtsmError);
  });
});
