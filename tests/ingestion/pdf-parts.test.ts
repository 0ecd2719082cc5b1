import { describe, expect, it } from 'vitest';
import { DocumentView } from '../../src/answers/document-view.js';
import { chunkDocument } from '../../src/ingestion/chunker.js';
import { joinWrapped } from '../../src/ingestion/blocks/plain.js';
import { loaderFor } from '../../src/ingestion/loaders.js';
import { headingLines } from '../../src/ingestion/pdf/font-headings.js';
import { mendPageBreaks } from '../../src/ingestion/pdf/page-blocks.js';
import { makeCollectedPdf, makePdf } from '../helpers/files.js';

const LONG_TITLE = 'Signature du contrat territorial de santé mentale de la Vendée par le directeur général de l’ARS Pays de la Loire';

/** Body text long enough that titles are a small share of the print, as in any real document. */
const FILLER = ' Le groupe de travail a réuni les partenaires du territoire autour du diagnostic partagé et des actions à mener.'.repeat(6);

async function recueil(): Promise<Buffer> {
  const docs = [
    { title: 'Recueil de documents', pages: ['Documents rassemblés pour le groupe de coordination.'] },
    { title: LONG_TITLE, pages: ['Le contrat de la Vendée a été signé le 3 décembre 2019 pour cinq ans.', 'Objectifs\n\nLe contrat de la Vendée fixe les engagements de chaque signataire et la gouvernance du suivi.'] },
    { title: 'Conseil local de santé mentale de Meaux', pages: ['Le CLSM de Meaux réunit la ville, le centre hospitalier et les associations.'] },
    { title: 'Fonds d’innovation organisationnelle en psychiatrie', pages: ['Quatre projets normands ont été retenus en 2023.'] },
  ];
  return makeCollectedPdf(docs.map((d) => ({ ...d, pages: d.pages.map((p) => p + FILLER) })));
}

describe('collected PDF (recueil)', () => {
  it('reads each document title from its font size, whole even when it wraps, and marks it as a part', async () => {
    const doc = await loaderFor('recueil.pdf')!.load(await recueil(), 'recueil.pdf');
    const parts = doc.blocks.filter((b) => b.part);
    expect(parts.map((b) => [b.page, b.text])).toEqual([
      [1, 'Recueil de documents'],
      [2, LONG_TITLE],
      [4, 'Conseil local de santé mentale de Meaux'],
      [5, 'Fonds d’innovation organisationnelle en psychiatrie'],
    ]);
    // Headings the text alone suggests nest below the printed titles.
    const objectifs = doc.blocks.find((b) => b.type === 'heading' && b.text === 'Objectifs');
    expect(objectifs?.level).toBeGreaterThan(1);
    expect(objectifs?.part).toBeUndefined();
  });

  it('cites each passage under its own document, never mixing two of them', async () => {
    const parsed = await loaderFor('recueil.pdf')!.load(await recueil(), 'recueil.pdf');
    const chunks = chunkDocument(parsed, { docId: 'r', source: 'recueil.pdf', title: parsed.title, kind: 'autre', date: null });
    const byPage = new Map(chunks.map((c) => [c.page, c]));
    expect(byPage.get(3)!.title).toBe(LONG_TITLE);
    expect(byPage.get(3)!.headingPath[0]).toBe(LONG_TITLE);
    expect(byPage.get(4)!.title).toBe('Conseil local de santé mentale de Meaux');
    expect(byPage.get(4)!.text).not.toContain('Vendée');
    expect(chunks.every((c) => c.text.split('\n').filter((l) => [LONG_TITLE, 'Conseil local de santé mentale de Meaux'].includes(l)).length <= 1)).toBe(true);
  });

  it('checks a name against the document printed on the page, not the pages around it', async () => {
    const parsed = await loaderFor('recueil.pdf')!.load(await recueil(), 'recueil.pdf');
    const view = new DocumentView({ blocks: new Map([['r', parsed.blocks]]) });
    const doc = { docId: 'r', title: 'Recueil de documents', source: 'recueil.pdf' };
    // Page 3 is the Vendée contract's second page: its document names the Vendée (on page 2).
    expect(view.mentions(doc, 'Vendée', 3)).toBe(true);
    // Page 4 is Meaux's page: the Vendée is named on the page before, in another document.
    expect(view.mentions(doc, 'Vendée', 4)).toBe(false);
    expect(view.mentions(doc, 'Meaux', 4)).toBe(true);
  });

  it('finds no parts in a PDF printed in one size', async () => {
    const doc = await loaderFor('x.pdf')!.load(await makePdf(['Fiche action 2\n\nPremiers secours', 'Indicateurs\n\n• Nombre de personnes formées']), 'x.pdf');
    expect(doc.blocks.some((b) => b.part)).toBe(false);
  });
});

describe('printed heading sizes', () => {
  const line = (text: string, size: number) => ({ text, size });
  const body = (n: number) => Array.from({ length: n }, (_, i) => line(`Ligne de texte courant numéro ${i} du document.`, 11));

  it('ranks the sizes larger than the body text into levels', () => {
    const pages = [[line('Titre du document', 18), line('Une section', 14), ...body(30)]];
    expect(headingLines(pages).map((h) => [h.text, h.level])).toEqual([['Titre du document', 1], ['Une section', 2]]);
  });

  it('reads no headings where a large size is the bulk of the text (a slide deck) or close to the body size', () => {
    const slides = [[...body(3).map((l) => ({ ...l, size: 24 })), ...body(4)]];
    expect(headingLines(slides)).toEqual([]);
    expect(headingLines([[line('Presque pareil', 11.5), ...body(30)]])).toEqual([]);
  });
});

describe('wrapped lines', () => {
  it('keeps the hyphen of a proper noun wrapped at it, and repairs a word hyphenated at the line end', () => {
    expect(joinWrapped(['Projets territoriaux de santé mentale - ARS Île-', 'de-France'])).toBe('Projets territoriaux de santé mentale - ARS Île-de-France');
    expect(joinWrapped(['le PTSM des Côtes-', 'd’Armor'])).toBe('le PTSM des Côtes-d’Armor');
    expect(joinWrapped(['un accompa-', 'gnement'])).toBe('un accompagnement');
  });
});

describe('page breaks', () => {
  it('puts a sentence cut by a page break back on the page that holds most of it', () => {
    const pages = mendPageBreaks([
      { num: 56, text: 'Le CLSM réunit la ville et ses partenaires.\nL’ARS participe au financement du poste de coordinateur. Son' },
      { num: 57, text: 'engagement court sur trois ans et représente 33 000 euros par an.\nLa suite du document.' },
    ]);
    expect(pages[0]!.text).toBe('Le CLSM réunit la ville et ses partenaires.\nL’ARS participe au financement du poste de coordinateur.');
    expect(pages[1]!.text.split('\n').slice(0, 2)).toEqual(['Son', 'engagement court sur trois ans et représente 33 000 euros par an.']);
  });

  it('keeps a long sentence on its first page when only its end runs over', () => {
    const pages = mendPageBreaks([
      { num: 1, text: 'Le groupe de travail a réuni les partenaires du territoire autour du diagnostic partagé et a retenu' },
      { num: 2, text: 'six actions. Une deuxième phrase suit.' },
    ]);
    expect(pages[0]!.text).toBe('Le groupe de travail a réuni les partenaires du territoire autour du diagnostic partagé et a retenu\nsix actions.');
    expect(pages[1]!.text).toBe('Une deuxième phrase suit.');
  });

  it('leaves pages alone when the next one starts a sentence, a list or a title', () => {
    const input = [
      { num: 1, text: 'Une phrase sans point final' },
      { num: 2, text: 'Une nouvelle phrase.' },
      { num: 3, text: 'Une autre sans point' },
      { num: 4, text: '- un élément de liste' },
    ];
    expect(mendPageBreaks(input)).toEqual(input);
  });
});
