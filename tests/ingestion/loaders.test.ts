import { describe, expect, it } from 'vitest';
import { PtsmError } from '../../src/core/errors.js';
import { decodeText } from '../../src/ingestion/decode.js';
import { loaderFor } from '../../src/ingestion/loaders.js';
import { markdownToBlocks } from '../../src/ingestion/blocks/markdown.js';
import { htmlToBlocks } from '../../src/ingestion/blocks/html.js';
import { plainToBlocks } from '../../src/ingestion/blocks/plain.js';
import { makeDocx, makePdf } from '../helpers/files.js';

describe('decodeText', () => {
  it('reads UTF-8 and Windows-1252 alike', () => {
    expect(decodeText(Buffer.from('Médiateur de santé pair', 'utf8'), 'a.txt').text).toBe('Médiateur de santé pair');
    const latin = decodeText(Buffer.from('Décision : créer un poste de médiateur', 'latin1'), 'b.txt');
    expect(latin.encoding).toBe('windows-1252');
    expect(latin.text).toBe('Décision : créer un poste de médiateur');
  });
  it('refuses empty and binary content, naming the file', () => {
    expect(() => decodeText(Buffer.alloc(0), 'vide.txt')).toThrow(/vide\.txt/);
    const err = (() => { try { decodeText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2]), 'image.md'); } catch (e) { return e; } return null; })();
    expect(err).toBeInstanceOf(PtsmError);
    expect((err as PtsmError).code).toBe('INPUT_UNSUPPORTED');
    expect((err as PtsmError).message).toContain('image.md');
  });
});

describe('block builders', () => {
  it('keeps markdown lists whole under their heading', () => {
    const blocks = markdownToBlocks('# Fiche 4\n\n## Objectifs opérationnels\n\n- Former 12 médiateurs\n- Créer un réseau\n  départemental\n\nTexte libre.');
    expect(blocks.map((b) => b.type)).toEqual(['heading', 'heading', 'list', 'paragraph']);
    expect(blocks[2]!.items).toEqual(['Former 12 médiateurs', 'Créer un réseau départemental']);
  });
  it('reads HTML headings, lists and tables with lists inside cells', () => {
    const blocks = htmlToBlocks('<h1>Fiche &laquo; Logement &raquo;</h1><p>Constat&nbsp;: manque</p><table><tr><td><p>Pilote(s)</p></td><td><ul><li>Mme A</li><li>M. B</li></ul></td></tr></table>');
    expect(blocks[0]).toMatchObject({ type: 'heading', level: 1, text: 'Fiche « Logement »' });
    const table = blocks.find((b) => b.type === 'table')!;
    expect(table.rows).toEqual([['Pilote(s)', 'Mme A\nM. B']]);
  });
  it('finds headings, bullets and wrapped lines in plain text', () => {
    const blocks = plainToBlocks('FICHE ACTION N° 3\n\nObjectifs :\n• Réduire les délais d’accès\nau CMP de Vaubrun\n• Former les équipes\n\nLe constat partagé par le groupe de travail montre que les\ndélais sont longs.');
    expect(blocks[0]).toMatchObject({ type: 'heading', text: 'FICHE ACTION N° 3' });
    expect(blocks[1]).toMatchObject({ type: 'heading', text: 'Objectifs' });
    expect(blocks[2]!.items).toEqual(['Réduire les délais d’accès au CMP de Vaubrun', 'Former les équipes']);
    expect(blocks[3]!.text).toBe('Le constat partagé par le groupe de travail montre que les délais sont longs.');
  });
});

describe('loaders', () => {
  it('reads a PDF page by page with accents', async () => {
    const pdf = await makePdf(['Fiche action 2\n\nPremiers secours en santé mentale', 'Indicateurs\n\n• Nombre de personnes formées']);
    const doc = await loaderFor('x.pdf')!.load(pdf, 'x.pdf');
    expect(doc.pageCount).toBe(2);
    const all = doc.blocks.map((b) => `${b.page}:${b.text}`).join('\n');
    expect(all).toContain('1:Premiers secours en santé mentale');
    expect(all).toContain('2:Nombre de personnes formées');
  });
  it('reads DOCX tables through mammoth', async () => {
    const docx = await makeDocx('Fiche action 5 — Habitat inclusif', [['Pilote', ['Mme Odile Ferrand (CCAS)']], ['Partenaires', ['Bailleurs sociaux', 'SAMSAH']]]);
    const doc = await loaderFor('f.docx')!.load(docx, 'f.docx');
    expect(doc.title).toBe('Fiche action 5 — Habitat inclusif');
    const table = doc.blocks.find((b) => b.type === 'table')!;
    expect(table.rows![1]).toEqual(['Partenaires', 'Bailleurs sociaux\nSAMSAH']);
  });
  it.each([
    ['corrompu.pdf', Buffer.from('%PDF-1.4\n garbage garbage'), 'INPUT_CORRUPT'],
    ['pas-un-pdf.pdf', Buffer.from('hello'), 'INPUT_CORRUPT'],
    ['vide.docx', Buffer.alloc(0), 'INPUT_EMPTY'],
    ['faux.docx', Buffer.from('PK\u0003\u0004 not really a zip'), 'INPUT_CORRUPT'],
    ['vide.pdf', Buffer.alloc(0), 'INPUT_EMPTY'],
  ])('rejects %s with a typed error naming it', async (name, buf, code) => {
    const err = await loaderFor(name)!.load(buf, name).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(PtsmError);
    expect((err as PtsmError).code).toBe(code);
    expect((err as PtsmError).message).toContain(name);
  });
});

describe('Windows-1252 upper half', () => {
  it('decodes €, ’, œ and typographic quotes', () => {
    const bytes = Buffer.from([0x80, 0x20, 0x92, 0x20, 0x9c, 0x75, 0x76, 0x72, 0x65, 0x20, 0x93, 0x61, 0x94, 0x20, 0xe9]);
    expect(decodeText(bytes, 'cr.txt').text).toBe('€ ’ œuvre “a” é');
  });
});
