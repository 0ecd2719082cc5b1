import { describe, expect, it } from 'vitest';
import { DocumentView } from '../../src/answers/document-view.js';
import { fitLogistic, fitRanking, probability } from '../../src/answers/model/logistic.js';
import { SHIPPED_ANSWER_MODEL, parseAnswerModel } from '../../src/answers/model/answer-model.js';
import { answerUnits } from '../../src/answers/units.js';
import type { Block, Chunk } from '../../src/core/types.js';
import { chunkDocument } from '../../src/ingestion/chunker.js';
import type { ScoredChunk } from '../../src/search/knowledge-base.js';

const chunk = (text: string, extra: Partial<Chunk> = {}): ScoredChunk => ({
  chunk: { id: 'd:0', docId: 'd', source: 'd.md', title: 'Doc', kind: 'autre', page: null, section: null, headingPath: [], date: null, text, ord: 0, ...extra },
  score: 1, bm25: 2, cosine: 0.5,
});

describe('answer units', () => {
  it('keeps a table row with its header as context and a label line with its list', () => {
    const units = answerUnits([chunk('Action | Pilote | Échéance\nRepérage | CH Vaubrun | T2 2026\nPartenaires :\n- GEM\n- UNAFAM')]);
    const row = units.find((u) => u.text.startsWith('Repérage'))!;
    expect(row.context).toContain('Action | Pilote | Échéance');
    const label = units.find((u) => u.text.startsWith('Partenaires'))!;
    expect(label.text).toBe('Partenaires :\n- GEM\n- UNAFAM');
    expect(units.every((u) => u.bm25 === 1 && u.cosine === 1)).toBe(true);
  });

  it('splits long prose into sentences and keeps the next line for context', () => {
    const long = 'Le PTSM de Gironde est porté par les acteurs du territoire depuis plusieurs années, avec un appui de l’ARS et des collectivités locales. ' +
      'Il s’articule au total autour de 23 projets, chacun décrit dans une fiche-action rédigée par un groupe de travail dédié.';
    const units = answerUnits([chunk(long)]);
    expect(units.map((u) => u.text)).toHaveLength(2);
    expect(units[0]!.next).toContain('23 projets');
  });

  it('cites the page that holds the line, not the passage’s first page', () => {
    const blocks: Block[] = [
      { type: 'paragraph', text: 'Première page : contexte général du projet.', page: 3 },
      { type: 'paragraph', text: 'Le CTSM a été signé le 15 avril 2022 par les partenaires.', page: 4 },
    ];
    const view = new DocumentView({ blocks: new Map([['d', blocks]]) });
    const units = answerUnits([chunk('Première page : contexte général du projet.\nLe CTSM a été signé le 15 avril 2022 par les partenaires.', { page: 3 })], [], view);
    expect(units.map((u) => u.page)).toEqual([3, 4]);
    const doc = { docId: 'd', title: 'Doc', source: 'd.md' };
    expect(view.mentions(doc, 'ctsm')).toBe(true);
    expect(view.mentions(doc, 'Gironde')).toBe(false);
  });

  it('counts a name as present when the title or the file name says it, whatever the hyphens and apostrophes', () => {
    // A document about the Deux-Sèvres that names them only in its file name: the question's name is not missing.
    const blocks: Block[] = [{ type: 'paragraph', text: 'Le PTSM comprend 11 fiches-actions thématiques.', page: null }];
    const view = new DocumentView({ blocks: new Map([['d', blocks], ['t', blocks]]) });
    const hit = chunk('Le PTSM comprend 11 fiches-actions thématiques.', { source: 'corpus/09-santementale79-ptsm-deux-sevres.txt' });
    expect(answerUnits([hit], ['Deux-Sèvres'], view)[0]!.namesAbsent).toBe(0);
    expect(answerUnits([hit], ['Vendée'], view)[0]!.namesAbsent).toBe(1);
    const titled = chunk('Le PTSM comprend 11 fiches-actions thématiques.', { docId: 't', title: 'PTSM des Côtes d’Armor' });
    expect(answerUnits([titled], ["Côtes-d'Armor"], view)[0]!.namesAbsent).toBe(0);
    // In the text too, the spelling of the separators does not matter, but whole words do.
    const text = new DocumentView({ blocks: new Map([['d', [{ type: 'paragraph', text: 'Dans les Côtes d’Armor, le GCSSM pilote.', page: null }]]]) });
    const doc = { docId: 'd', title: 'Convention', source: 'convention.md' };
    expect(text.mentions(doc, "Côtes-d'Armor")).toBe(true);
    expect(text.mentions(doc, 'Armo')).toBe(false);
  });
});

describe('field lines read as headings', () => {
  it('quotes a heading that carries its value, and keeps the section it sits in', () => {
    const blocks: Block[] = [
      { type: 'heading', level: 2, text: 'Calendrier', page: null },
      { type: 'heading', level: 3, text: 'Échéance (date butoir) : 24 octobre 2025', page: null },
      { type: 'paragraph', text: 'Les ARS transmettent les projets à la DGOS.', page: null },
    ];
    const view = new DocumentView({ blocks: new Map([['d', blocks]]) });
    const chunk = { id: 'd:0', docId: 'd', source: 'fiop.txt', title: 'Instruction FIOP 2025', kind: 'autre', page: null, section: 'Calendrier', headingPath: ['Calendrier'], date: null,
      text: 'Calendrier\nÉchéance (date butoir) : 24 octobre 2025\nLes ARS transmettent les projets à la DGOS.', ord: 0 } as Chunk;
    const units = answerUnits([{ chunk, score: 1, bm25: 1, cosine: 1 } as ScoredChunk], [], view);
    expect(units.map((u) => [u.text, u.section])).toEqual([
      ['Échéance (date butoir) : 24 octobre 2025', 'Calendrier'],
      ['Les ARS transmettent les projets à la DGOS.', 'Calendrier'],
    ]);
  });
});

describe('the line after a passage', () => {
  const blocks: Block[] = [
    { type: 'paragraph', text: 'Le CLSM réunit la ville et ses partenaires. L’ARS participe au financement du poste de coordinateur.', page: 56 },
    { type: 'paragraph', text: 'Son engagement court sur trois ans et représente 33 000 euros par an. Une autre phrase.', page: 57 },
    { type: 'heading', level: 2, text: 'Gouvernance', page: 57 },
    { type: 'paragraph', text: 'Le comité de pilotage se réunit deux fois par an.', page: 57 },
  ];
  const view = new DocumentView({ blocks: new Map([['d', blocks]]) });

  it('is the first sentence of the next block, so the last unit of a passage still has its continuation', () => {
    const chunk = { id: 'd:0', docId: 'd', source: 'r.pdf', title: 'CLSM de Meaux', kind: 'autre', page: 56, section: null, headingPath: [], date: null, text: blocks[0]!.text, ord: 0 } as Chunk;
    const units = answerUnits([{ chunk, score: 1, bm25: 1, cosine: 1 } as ScoredChunk], [], view);
    expect(units.at(-1)!.next).toBe('Son engagement court sur trois ans et représente 33 000 euros par an.');
  });

  it('is nothing when the next block is a heading: another topic starts', () => {
    expect(view.lineAfter('d', 'Son engagement court sur trois ans et représente 33 000 euros par an. Une autre phrase.')).toBe('');
    expect(view.lineAfter('d', 'Le comité de pilotage se réunit deux fois par an.')).toBe('');
  });
});

describe('PDF passages', () => {
  it('never run over a page break, so a new document of a collected PDF starts a new passage', () => {
    const blocks: Block[] = [
      { type: 'paragraph', text: 'Fin du premier document, courte.', page: 1 },
      { type: 'paragraph', text: 'Début du second document, sur sa propre page.', page: 2 },
    ];
    const chunks = chunkDocument({ title: 'Recueil', blocks, pageCount: 2 }, { docId: 'r', source: 'r.pdf', title: 'Recueil', kind: 'autre', date: null });
    expect(chunks.map((c) => [c.page, c.text])).toEqual([[1, 'Fin du premier document, courte.'], [2, 'Début du second document, sur sa propre page.']]);
  });
});

describe('fitted decisions', () => {
  it('fits a logistic model that separates what the data separates', () => {
    const samples = Array.from({ length: 40 }, (_, i) => ({ features: { x: i / 40, noise: (i * 7) % 3 }, label: (i >= 20 ? 1 : 0) as 0 | 1 }));
    const m = { ...fitLogistic(['x', 'noise'], samples), threshold: 0.5 };
    expect(probability(m, { x: 0.95, noise: 1 })).toBeGreaterThan(0.7);
    expect(probability(m, { x: 0.05, noise: 1 })).toBeLessThan(0.3);
  });

  it('fits a ranker that puts the right unit of each question first', () => {
    const groups = Array.from({ length: 10 }, () => ({ rows: [{ features: { own: 0.9, rank: 0.2 }, right: true }, { features: { own: 0.2, rank: 1 }, right: false }, { features: { own: 0.1, rank: 0.5 }, right: false }] }));
    const m = fitRanking(['own', 'rank'], groups);
    expect(m.weights[0]!).toBeGreaterThan(m.weights[1]!);
  });

  it('ships a model whose file is validated, and refuses a malformed one', () => {
    expect(SHIPPED_ANSWER_MODEL.ranker.features.length).toBe(SHIPPED_ANSWER_MODEL.ranker.weights.length);
    expect(SHIPPED_ANSWER_MODEL.answer.threshold).toBeGreaterThan(0);
    expect(() => parseAnswerModel({ ranker: { features: ['a'], weights: [], bias: 0, threshold: 0.5 }, answer: {} })).toThrow();
  });
});
