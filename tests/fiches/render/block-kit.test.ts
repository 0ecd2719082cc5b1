import { describe, expect, it } from 'vitest';
import { PtsmError } from '../../../src/core/errors.js';
import { Fiche } from '../../../src/core/fiche.js';
import {
  SLACK_LIMITS, type SlackButton, type SlackMessage, escapeMrkdwn, renderFicheBlocks, splitMrkdwn,
} from '../../../src/fiches/render/block-kit.js';
import { TRUNCATION_MARKER } from '../../../src/fiches/render/labels.js';
import { draftFiche, draftView, emptyFiche, expectedContent, filler, fullFiche, hugeFiche } from './fixtures.js';

/** Far beyond three messages: 300 steps. */
const giantFiche = Fiche.parse({
  ...hugeFiche,
  id: 'fa-giant',
  steps: Array.from({ length: 300 }, (_, i) => `Étape ${i + 1} : ${filler(110, i + 11)}`),
});

interface AnyBlock {
  type: string;
  text?: { type: string; text: string };
  elements?: Array<{ type: string; text: string | { text: string }; action_id?: string; value?: string; style?: string }>;
  block_id?: string;
}

const buttons: SlackButton[] = [
  { actionId: 'fiche_validate', text: 'Valider la fiche', style: 'primary', value: 'fa-2-4' },
  { actionId: 'fiche_edit', text: 'Modifier', value: 'fa-2-4' },
  { actionId: 'fiche_abandon', text: 'Abandonner', style: 'danger', value: 'fa-2-4' },
];

function blocksOf(m: SlackMessage): AnyBlock[] {
  return m.blocks as AnyBlock[];
}

/** Every text a block carries (section, header, context element, button). */
function textsOf(b: AnyBlock): string[] {
  const out: string[] = [];
  if (b.text) out.push(b.text.text);
  for (const e of b.elements ?? []) out.push(typeof e.text === 'string' ? e.text : e.text.text);
  return out;
}

function allText(messages: SlackMessage[]): string {
  return messages.flatMap((m) => blocksOf(m).flatMap(textsOf)).join('\n');
}

function assertWithinLimits(messages: SlackMessage[]): void {
  for (const m of messages) {
    const blocks = blocksOf(m);
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    expect(blocks.length).toBeGreaterThan(0);
    expect(m.text.length).toBeGreaterThan(0);
    let chars = 0;
    for (const b of blocks) {
      if (b.type === 'header') expect(b.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
      if (b.type === 'section') {
        expect(b.text!.type).toBe('mrkdwn');
        expect(b.text!.text.length).toBeGreaterThan(0);
      }
      for (const t of textsOf(b)) expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      if (b.type === 'context') expect(b.elements!.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
      if (b.type === 'actions') {
        expect(b.elements!.length).toBeLessThanOrEqual(SLACK_LIMITS.actionsElements);
        expect(b.block_id!.length).toBeLessThanOrEqual(SLACK_LIMITS.blockId);
        for (const e of b.elements!) {
          expect((e.text as { text: string }).text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
          expect(e.action_id!.length).toBeLessThanOrEqual(SLACK_LIMITS.actionId);
          expect(e.value!.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
        }
      }
      chars += textsOf(b).reduce((n, t) => n + t.length, 0);
    }
    expect(chars).toBeLessThanOrEqual(SLACK_LIMITS.messageChars);
  }
}

function actionIdsOf(m: SlackMessage): string[] {
  return blocksOf(m).filter((b) => b.type === 'actions').flatMap((b) => b.elements!.map((e) => e.action_id!));
}

describe('renderFicheBlocks', () => {
  it('renders a normal fiche in one message, with all its content, escaped', () => {
    const messages = renderFicheBlocks(fullFiche, { actions: { ficheId: fullFiche.id, buttons } });
    expect(messages).toHaveLength(1);
    assertWithinLimits(messages);
    const text = allText(messages);
    for (const snippet of expectedContent(fullFiche)) expect(text).toContain(escapeMrkdwn(snippet));
    expect(text).toContain('*Pilote(s)*');
    expect(text).toContain('CCAS &amp; centres sociaux');
    expect(text).toContain('&lt; 15 jours');
    // No raw "&" or "<"/">" left from user content.
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    expect(text).not.toMatch(/[<>]/);
    expect(blocksOf(messages[0]!)[0]!.type).toBe('header');
    expect(messages[0]!.text).toContain('Fiche action n° 7');
  });

  it('puts the buttons in the last message with their action ids, styles and values', () => {
    const messages = renderFicheBlocks(hugeFiche, { actions: { ficheId: hugeFiche.id, buttons }, link: 'https://ptsm.example.org/fiches/fa-huge' });
    const last = messages.at(-1)!;
    expect(actionIdsOf(last)).toEqual(['fiche_validate', 'fiche_edit', 'fiche_abandon']);
    for (const m of messages.slice(0, -1)) expect(actionIdsOf(m)).toEqual([]);
    const els = blocksOf(last).find((b) => b.type === 'actions')!.elements!;
    expect(els.map((e) => e.style)).toEqual(['primary', undefined, 'danger']);
    expect(els.every((e) => e.value === 'fa-2-4')).toBe(true);
  });

  it('clips long button texts and refuses values and action ids Slack would reject', () => {
    const long: SlackButton = { actionId: 'a', text: 'Confirmer la participation de la structure au groupe de travail sur le logement accompagné', value: 'v' };
    const [m] = renderFicheBlocks(emptyFiche, { actions: { ficheId: 'fa-x', buttons: [long] } });
    const el = blocksOf(m!).find((b) => b.type === 'actions')!.elements![0]!;
    expect((el.text as { text: string }).text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
    expect((el.text as { text: string }).text.endsWith('…')).toBe(true);

    const tooLong = () => renderFicheBlocks(emptyFiche, { actions: { ficheId: 'fa-x', buttons: [{ actionId: 'x', text: 'OK', value: 'v'.repeat(2001) }] } });
    expect(tooLong).toThrow(PtsmError);
    try { tooLong(); } catch (e) { expect((e as PtsmError).code).toBe('USAGE'); expect((e as PtsmError).input).toBe('x'); }
    expect(() => renderFicheBlocks(emptyFiche, { actions: { ficheId: 'fa-x', buttons: [{ actionId: 'i'.repeat(256), text: 'OK', value: 'v' }] } })).toThrow(PtsmError);
    expect(() => renderFicheBlocks(emptyFiche, { actions: { ficheId: 'fa-x', buttons: [buttons[0]!, buttons[0]!] } })).toThrow(/en double/);
  });

  it('splits more than 25 buttons over several actions blocks', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ actionId: `b${i}`, text: `Bouton ${i}`, value: String(i) }));
    const messages = renderFicheBlocks(fullFiche, { actions: { ficheId: 'fa-2-4', buttons: many } });
    assertWithinLimits(messages);
    expect(actionIdsOf(messages.at(-1)!)).toHaveLength(30);
  });

  it('splits the huge fiche into several messages, each within the limits, without losing content', () => {
    const messages = renderFicheBlocks(hugeFiche, { actions: { ficheId: hugeFiche.id, buttons } });
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.length).toBeLessThanOrEqual(SLACK_LIMITS.maxMessages);
    assertWithinLimits(messages);
    // 3 messages are enough for this one: nothing is cut.
    const text = allText(messages);
    expect(text).not.toContain(escapeMrkdwn(TRUNCATION_MARKER));
    for (const snippet of expectedContent(hugeFiche)) {
      if (snippet === hugeFiche.context) continue; // longer than one section: checked word by word below
      expect(text).toContain(escapeMrkdwn(snippet));
    }
    // Continuation messages say where the reader is.
    expect(blocksOf(messages[1]!)[0]!.type).toBe('context');
    expect(textsOf(blocksOf(messages[1]!)[0]!)[0]).toContain(`suite (2/${messages.length})`);
  });

  it('cuts a fiche too long for 3 messages, ending with the marker, the link and the buttons', () => {
    const link = 'https://ptsm.example.org/fiches/fa-giant?vue=complete&format=web';
    const messages = renderFicheBlocks(giantFiche, { link, actions: { ficheId: giantFiche.id, buttons } });
    expect(messages).toHaveLength(SLACK_LIMITS.maxMessages);
    assertWithinLimits(messages);
    const lastBlocks = blocksOf(messages.at(-1)!);
    const lastText = lastBlocks.flatMap(textsOf).join('\n');
    expect(lastText).toContain(escapeMrkdwn(TRUNCATION_MARKER));
    expect(lastText).toContain('<https://ptsm.example.org/fiches/fa-giant?vue=complete&amp;format=web|Voir la version complète>');
    expect(lastBlocks.at(-1)!.type).toBe('actions');
    expect(actionIdsOf(messages.at(-1)!)).toEqual(['fiche_validate', 'fiche_edit', 'fiche_abandon']);
    // The cut falls between blocks: the first steps are there, the last are not.
    const text = allText(messages);
    expect(text).toContain(escapeMrkdwn(giantFiche.steps[0]!));
    expect(text).not.toContain(escapeMrkdwn(giantFiche.steps.at(-1)!));
  });

  it('offers the link of a fiche that fits, without the truncation marker', () => {
    const messages = renderFicheBlocks(fullFiche, { link: 'https://ptsm.example.org/fiches/fa-2-4' });
    const text = allText(messages);
    expect(text).toContain('<https://ptsm.example.org/fiches/fa-2-4|Ouvrir la fiche>');
    expect(text).not.toContain(TRUNCATION_MARKER);
  });

  it('truncates without a link when none is given', () => {
    const messages = renderFicheBlocks(giantFiche);
    assertWithinLimits(messages);
    const text = allText(messages);
    expect(text).toContain(TRUNCATION_MARKER);
    expect(text).not.toContain('Voir la version complète');
  });

  it('honours a smaller message budget', () => {
    const messages = renderFicheBlocks(hugeFiche, { maxMessages: 1 });
    expect(messages).toHaveLength(1);
    assertWithinLimits(messages);
    expect(allText(messages)).toContain(TRUNCATION_MARKER);
  });

  it('splits a giant fiche over more messages without losing anything when allowed to', () => {
    const messages = renderFicheBlocks(giantFiche, { maxMessages: 30, actions: { ficheId: giantFiche.id, buttons } });
    expect(messages.length).toBeGreaterThan(3);
    assertWithinLimits(messages);
    const text = allText(messages);
    expect(text).not.toContain(TRUNCATION_MARKER);
    for (const snippet of expectedContent(giantFiche)) {
      if (snippet === giantFiche.context) continue;
      expect(text).toContain(escapeMrkdwn(snippet));
    }
    expect(actionIdsOf(messages.at(-1)!)).toEqual(['fiche_validate', 'fiche_edit', 'fiche_abandon']);
    for (const m of messages.slice(0, -1)) expect(actionIdsOf(m)).toEqual([]);
  });

  it('splits the 5,000-character context on word boundaries, keeping every word', () => {
    const messages = renderFicheBlocks(hugeFiche);
    const sections = messages.flatMap(blocksOf).filter((b) => b.type === 'section').map((b) => b.text!.text);
    const start = sections.findIndex((t) => t.startsWith('*Contexte / constat*\n'));
    const end = sections.findIndex((t) => t.startsWith('*Objectif général*\n'));
    expect(end - start).toBeGreaterThanOrEqual(2);
    const chunks = sections.slice(start, end);
    expect(chunks[0]!.length).toBeGreaterThan(2000); // the label does not sit alone in its block
    const words = chunks.join(' ').replace('*Contexte / constat*', '').split(/\s+/).filter(Boolean);
    expect(words).toEqual(hugeFiche.context!.split(' '));
  });

  it('shows what a draft misses and where each field came from', () => {
    const messages = renderFicheBlocks(draftFiche, { draft: draftView });
    assertWithinLimits(messages);
    const text = allText(messages);
    expect(text).toContain('*À compléter*\n• Pilote(s)\n• Indicateurs d\'évaluation\n• Moyens / financement\n• date du premier COPIL');
    expect(text).toContain('_sources : m3, m7_');
    expect(text).toContain('(Intitulé — source : m1)');
    expect(messages[0]!.text).toBe('Fiche action — Former les bailleurs sociaux aux premiers secours en santé mentale — brouillon à compléter');
  });

  it('clips a very long title in the header', () => {
    const fiche = Fiche.parse({ id: 'long', title: filler(400), updatedAt: '2025-01-01' });
    const [m] = renderFicheBlocks(fiche);
    const header = blocksOf(m!)[0]!;
    expect(header.type).toBe('header');
    expect(header.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
  });
});

describe('splitMrkdwn', () => {
  it('splits on lines first and never inside an entity', () => {
    expect(splitMrkdwn('aaa\nbbb\nccc', 7)).toEqual(['aaa\nbbb', 'ccc']);
    const noSpaces = 'x'.repeat(8) + '&amp;' + 'y'.repeat(8);
    const chunks = splitMrkdwn(noSpaces, 10);
    expect(chunks.join('')).toBe(noSpaces);
    expect(chunks.every((c) => c.length <= 10)).toBe(true);
    expect(chunks.some((c) => c.includes('&amp;'))).toBe(true);
  });

  it('cuts long lines at spaces', () => {
    const chunks = splitMrkdwn('un deux trois quatre cinq', 10);
    expect(chunks).toEqual(['un deux', 'trois', 'quatre', 'cinq']);
  });
});
